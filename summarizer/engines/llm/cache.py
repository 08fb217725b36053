"""An on-disk cache of model answers, so a re-run makes zero calls and gives the same brief.

The key covers everything that shapes an answer: the endpoint, the model, the prompt template's
own text, the messages, the response format and the sampling settings. Entries are JSON files
written atomically; a corrupt entry is treated as a miss.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ...files import cache_root, write_atomically

__all__ = ["ResponseCache", "cache_key", "default_cache_dir"]


def cache_key(payload: dict[str, Any]) -> str:
    """A stable hash of the request's defining parts."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def default_cache_dir() -> Path:
    """Where answers are kept unless told otherwise."""
    return cache_root() / "llm"


class ResponseCache:
    """Answers by key; `folder=None` disables it (`--no-cache`)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored answer, or None on a miss (or a disabled or unreadable cache)."""
        if self.folder is None:
            return None
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def put(self, key: str, answer: dict[str, Any]) -> None:
        """Store an answer; a cache that cannot be written is skipped, never an error."""
        if self.folder is None:
            return
        try:
            write_atomically(self._path(key), json.dumps(answer, ensure_ascii=False), make_parents=True)
        except OSError:
            return
