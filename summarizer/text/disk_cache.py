"""Facts about texts kept on disk by the text's hash, so a second run over the same articles reads
them instead of working them out again: sentence vectors (similarity/vector_cache.py) and token
counts (tokens.py).

One SQLite file per kind of fact under `cache_root()`: a key is the first 16 bytes of the sha256
of the text, a value bytes. SQLite gives atomic, concurrent-safe writes with no server (the worker
processes of a batch share the files); a cache that cannot be opened or written is skipped (the
facts are worked out again), never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

__all__ = ["DiskCache", "not_yet_known", "text_key"]

# SQLite's default limit on the parameters of one statement is 999.
_QUERY_BATCH = 900


def text_key(text: str) -> bytes:
    """The cache key of a text."""
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


_Value = TypeVar("_Value")


def not_yet_known(wanted: Mapping[bytes, str], known: dict[bytes, _Value],
                  read: Callable[[list[bytes]], Mapping[bytes, _Value]] | None) -> dict[bytes, str]:
    """The texts (by key) of `wanted` in neither `known` (a run's memory) nor the disk: what `read`
    finds on disk for the others moves into `known` on the way. `read` is asked only when something
    is missing from memory, so a warm run need not open its cache file at all."""
    missing = {key: text for key, text in wanted.items() if key not in known}
    if missing and read is not None:
        known.update(read(list(missing)))
        missing = {key: text for key, text in missing.items() if key not in known}
    return missing


class DiskCache:
    """Bytes by text key in one SQLite file; one that cannot be opened keeps nothing."""

    def __init__(self, path: Path, table: str) -> None:
        self._connection: sqlite3.Connection | None = None
        self._table = table
        # One connection shared by the threads of a run (the alignment runs beside the engine):
        # sqlite3 leaves serialising its use to the caller.
        self._lock = threading.Lock()
        connection: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=30, check_same_thread=False)
            # Write-ahead logging, synced at checkpoints rather than at every commit: a batch's
            # workers each commit a few times per event, and an fsync per commit made a lexical
            # batch 30% slower. A crash can lose the last commits (they are worked out again),
            # never leave the file damaged.
            with contextlib.suppress(sqlite3.Error):  # a read-only cache can still be read without it
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(f"CREATE TABLE IF NOT EXISTS {table} (key BLOB PRIMARY KEY, value BLOB NOT NULL)")
            connection.commit()
            self._connection = connection
        except (OSError, sqlite3.Error):
            if connection is not None:
                connection.close()
            self._connection = None  # a read-only or broken cache: work everything out

    def get(self, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        """The values kept for these keys (the others are simply absent)."""
        found: dict[bytes, bytes] = {}
        if self._connection is None:
            return found
        try:
            with self._lock:
                for start in range(0, len(keys), _QUERY_BATCH):
                    batch = list(keys[start : start + _QUERY_BATCH])
                    marks = ",".join("?" * len(batch))
                    query = f"SELECT key, value FROM {self._table} WHERE key IN ({marks})"
                    found.update(self._connection.execute(query, batch))
        except sqlite3.Error:
            return {}
        return found

    def items(self) -> list[tuple[bytes, bytes]]:
        """Every key and value kept, by key."""
        if self._connection is None:
            return []
        try:
            with self._lock:
                return sorted(self._connection.execute(f"SELECT key, value FROM {self._table}"))
        except sqlite3.Error:
            return []

    def put(self, items: Iterable[tuple[bytes, bytes]]) -> None:
        """Keep these values; a cache that cannot be written is skipped."""
        if self._connection is None:
            return
        rows = list(items)
        try:
            with self._lock, self._connection:
                self._connection.executemany(f"INSERT OR REPLACE INTO {self._table} (key, value) VALUES (?, ?)", rows)
        except sqlite3.Error:
            return

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
