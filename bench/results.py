"""bench/RESULTS.md is shared by the benchmarks: each one replaces only its own section."""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(heading: str, text: str, path: Path = RESULTS) -> None:
    """Replace the section that starts with `heading` (or append it), keeping the rest of the file."""
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    # A section runs from its heading to the next level-2 heading or the end of the file.
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _match: text.rstrip("\n") + "\n\n", current, count=1)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")
