"""`summarize batch` throughput: synthetic event folders of five articles each, offline engine.

Each event is one Multi-News dev cluster's articles (../shared/eval-data), topped up to five from
the next cluster and each given a distinct first line, so that no two events are the same files.
Runs the CLI in a fresh process (imports included), default workers (one per core), with an empty
vector cache for the semantic run; peak memory is the largest resident set of the run and its
workers (`/usr/bin/time` of the parent includes its children's maximum).

    python bench/batch_bench.py --events 200      # writes its section of bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "eval-data"
sys.path.insert(0, str(REPO / "bench"))

from results import write_section  # noqa: E402

SECTION = "## Batch: event folders briefed per second"


def make_events(root: Path, count: int) -> Path:
    clusters = [[a["text"] for a in json.loads(line)["articles"]]
                for line in (EVAL / "multinews_dev.jsonl").open(encoding="utf-8")]
    for k in range(count):
        articles = (clusters[k % len(clusters)] + clusters[(k + 1) % len(clusters)])[:5]
        folder = root / f"event-{k:04d}"
        folder.mkdir(parents=True)
        for j, text in enumerate(articles):
            (folder / f"a{j}.txt").write_text(f"Dispatch {k}-{j} from the wire desk.\n\n{text}", encoding="utf-8")
    return root


def run(events: Path, out: Path, similarity: str, cache: Path) -> tuple[float, float]:
    command = ["/usr/bin/time", "-f", "%e %M", sys.executable, "-m", "summarizer", "batch", str(events), "--out",
               str(out), "--engine", "extractive", "--similarity", similarity, "-q"]
    environment = os.environ | {"SUMMARIZER_CACHE_DIR": str(cache)}
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=True)
    seconds, kilobytes = re.findall(r"([\d.]+) (\d+)\s*$", done.stderr)[0]
    return float(seconds), int(kilobytes) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        events = make_events(root / "events", args.events)
        for similarity in ("lexical", "semantic"):
            seconds, mib = run(events, root / f"briefs-{similarity}", similarity, root / f"cache-{similarity}")
            rows.append((similarity, seconds, mib))
            print(similarity, f"{seconds:.1f} s, {args.events / seconds:.2f} events/s, {mib:.0f} MiB", flush=True)
    lines = [SECTION, "",
             f"`python bench/batch_bench.py --events {args.events}` on {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}: {args.events} event folders of five "
             "articles, `summarize batch --engine extractive`, one worker per core, empty caches.", "",
             "| similarity | wall (s) | events / s | peak memory (MiB) | target |", "|---|---:|---:|---:|---|"]
    for similarity, seconds, mib in rows:
        target = ">= 5 events/s" if similarity == "lexical" else ">= 1 event/s (cold cache)"
        lines.append(f"| {similarity} | {seconds:.1f} | {args.events / seconds:.2f} | {mib:.0f} | {target}, <= 2 GiB |")
    print("\n".join(lines))
    write_section(SECTION, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
