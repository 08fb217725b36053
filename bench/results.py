"""bench/RESULTS.md is shared by the benchmarks: each one replaces only its own section. Also the
one way the benchmarks time the CLI in a fresh process (`time_cli`)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
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


def time_cli(arguments: list[str], cache: Path) -> tuple[float, float]:
    """`python -m summarizer ARGUMENTS` in a fresh process with its caches in `cache`: wall seconds
    and peak MiB (`/usr/bin/time`, whose maximum includes the children's)."""
    command = ["/usr/bin/time", "-f", "%e %M", sys.executable, "-m", "summarizer", *arguments]
    environment = os.environ | {"SUMMARIZER_CACHE_DIR": str(cache)}
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=True)
    seconds, kilobytes = re.findall(r"([\d.]+) (\d+)\s*$", done.stderr)[0]
    return float(seconds), int(kilobytes) / 1024
