"""Sentence vectors kept on disk, by model and text, so a sentence is embedded once per machine.

One SQLite file per model under `cache_root()/vectors/`: a key is the first 16 bytes of the
sha256 of the text, a value the vector's float32 bytes. SQLite gives atomic, concurrent-safe writes
with no server; a cache that cannot be opened or written is skipped (the vectors are recomputed),
never an error.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from ...files import cache_root

__all__ = ["VectorCache", "text_key"]

# SQLite's default limit on the parameters of one statement is 999.
_QUERY_BATCH = 900


def text_key(text: str) -> bytes:
    """The cache key of a text."""
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


class VectorCache:
    """Vectors of one model by text; `folder=None` keeps nothing."""

    def __init__(self, model_id: str, dimensions: int, folder: Path | None = None) -> None:
        self.dimensions = dimensions
        self._connection: sqlite3.Connection | None = None
        # One connection shared by the threads of a run (the alignment runs beside the engine):
        # sqlite3 leaves serialising its use to the caller.
        self._lock = threading.Lock()
        path = (folder or cache_root() / "vectors") / f"{model_id}.sqlite"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=30, check_same_thread=False)
            connection.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")
            connection.commit()
            self._connection = connection
        except (OSError, sqlite3.Error):
            self._connection = None  # a read-only or broken cache: compute everything

    def get(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """The vectors cached for these keys (the others are simply absent)."""
        found: dict[bytes, np.ndarray] = {}
        if self._connection is None:
            return found
        try:
            with self._lock:
                for start in range(0, len(keys), _QUERY_BATCH):
                    batch = list(keys[start : start + _QUERY_BATCH])
                    marks = ",".join("?" * len(batch))
                    query = f"SELECT key, vector FROM vectors WHERE key IN ({marks})"
                    for key, blob in self._connection.execute(query, batch):
                        vector = np.frombuffer(blob, dtype=np.float32)
                        if vector.shape == (self.dimensions,):
                            found[key] = vector
        except sqlite3.Error:
            return {}
        return found

    def put(self, items: Iterable[tuple[bytes, np.ndarray]]) -> None:
        """Keep these vectors; a cache that cannot be written is skipped."""
        if self._connection is None:
            return
        rows = [(key, np.asarray(vector, dtype=np.float32).tobytes()) for key, vector in items]
        try:
            with self._lock, self._connection:
                self._connection.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)
        except sqlite3.Error:
            return

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
