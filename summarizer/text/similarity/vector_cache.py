"""Sentence vectors kept on disk, by model and text, so a sentence is embedded once per machine.

One SQLite file per model under `cache_root()/vectors/` (`text.disk_cache`): a key is the text's
hash, a value the vector's float32 bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from ...files import cache_root
from ..disk_cache import DiskCache, text_key

__all__ = ["VectorCache", "text_key"]


class VectorCache:
    """Vectors of one model by text; `folder=None` keeps them under the cache root."""

    def __init__(self, model_id: str, dimensions: int, folder: Path | None = None) -> None:
        self.dimensions = dimensions
        # Earlier builds kept a table "vectors" of another layout in the same file: it is not read,
        # and those sentences are embedded once more.
        self._disk = DiskCache((folder or cache_root() / "vectors") / f"{model_id}.sqlite", table="embeddings")

    def get(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """The vectors cached for these keys (the others are simply absent)."""
        return dict(self._vectors(self._disk.get(keys).items()))

    def items(self) -> list[tuple[bytes, np.ndarray]]:
        """Every vector kept, by key (a recording keeps its run's vectors with its cassette)."""
        return self._vectors(self._disk.items())

    def _vectors(self, blobs: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, np.ndarray]]:
        """The stored blobs as vectors; one of another length (another model's) is left out."""
        found = ((key, np.frombuffer(blob, dtype=np.float32)) for key, blob in blobs)
        return [(key, vector) for key, vector in found if vector.shape == (self.dimensions,)]

    def put(self, items: Iterable[tuple[bytes, np.ndarray]]) -> None:
        """Keep these vectors; a cache that cannot be written is skipped."""
        self._disk.put((key, np.asarray(vector, dtype=np.float32).tobytes()) for key, vector in items)

    def close(self) -> None:
        """Close the database."""
        self._disk.close()
