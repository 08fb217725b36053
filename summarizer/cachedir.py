"""Where the package keeps its caches: tiktoken's BPE files and the LLM engine's answers."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """`$SUMMARIZER_CACHE_DIR`, else `$XDG_CACHE_HOME/summarizer`, else `~/.cache/summarizer`."""
    override = os.environ.get("SUMMARIZER_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base).expanduser() / "summarizer"
