"""Time the CLI of two checkouts on the same corpora, runs interleaved, and check their briefs match.

For a change meant to keep behaviour (a restructuring): the briefs of both checkouts must be the
same byte for byte (generated_at and timings aside), and their times within noise. Runs alternate
between the two so that a busy neighbour slows both alike; the medians are compared.

    git worktree add /tmp/before <commit>
    python bench/compare_revisions.py --before /tmp/before --repeats 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from results import write_section  # noqa: E402
from run_bench import SEEDS, make_corpus  # noqa: E402

SECTION = "## Two revisions side by side"


def run_cli(checkout: Path, corpus: Path, out: Path) -> float:
    """Seconds for one fresh `python -m summarizer` of `checkout` on `corpus`."""
    env = dict(os.environ, PYTHONPATH=str(checkout))
    command = [sys.executable, "-m", "summarizer", str(corpus), "--engine", "extractive", "--format", "json",
               "--out", str(out), "--quiet"]
    started = time.perf_counter()
    completed = subprocess.run(command, env=env, cwd=tempfile.gettempdir(), capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"{checkout} failed on {corpus}: {completed.stderr.strip()}")
    return time.perf_counter() - started


def comparable(brief_file: Path) -> dict[str, object]:
    """The brief without what differs from run to run."""
    brief = json.loads(brief_file.read_text(encoding="utf-8"))
    brief.pop("generated_at")
    brief["usage"].pop("seconds", None)
    return brief


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="a checkout of the earlier revision")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    checkouts = {"before": args.before.resolve(), "after": REPO}
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        cases: list[tuple[str, Path]] = [("seeds", SEEDS)]
        for variant, articles in (("verbatim", 100), ("perturbed", 200)):
            folder = Path(scratch) / f"{variant}_{articles}"
            make_corpus(folder, articles, perturbed=variant == "perturbed")
            cases.append((f"{variant} {articles}", folder))
        for name, corpus in cases:
            times: dict[str, list[float]] = {which: [] for which in checkouts}
            for _ in range(args.repeats):
                for which, checkout in checkouts.items():
                    times[which].append(run_cli(checkout, corpus, Path(scratch) / f"{which}.json"))
            same = comparable(Path(scratch) / "before.json") == comparable(Path(scratch) / "after.json")
            medians = {which: statistics.median(values) for which, values in times.items()}
            spread = {which: (min(values), max(values)) for which, values in times.items()}
            rows.append((name, medians, spread, same))
            print(f"{name:>15}: before {medians['before']:.2f} s, after {medians['after']:.2f} s, "
                  f"briefs {'identical' if same else 'DIFFER'}", flush=True)
    lines = [
        SECTION, "",
        f"`python bench/compare_revisions.py --before CHECKOUT --repeats {args.repeats}`, "
        f"{time.strftime('%Y-%m-%d')}: the CLI of both revisions on the same corpora, runs interleaved;",
        "median wall time, and the range over the repeats.", "",
        "| corpus | before (s) | range | after (s) | range | after / before | briefs |",
        "|---|---:|---|---:|---|---:|---|",
    ]
    for name, medians, spread, same in rows:
        lines.append(f"| {name} | {medians['before']:.2f} | {spread['before'][0]:.2f}-{spread['before'][1]:.2f} | "
                     f"{medians['after']:.2f} | {spread['after'][0]:.2f}-{spread['after'][1]:.2f} | "
                     f"{medians['after'] / medians['before']:.2f} | {'identical' if same else 'differ'} |")
    lines.append("")
    write_section(SECTION, "\n".join(lines))
    if not all(same for *_, same in rows):
        raise SystemExit("the briefs differ")


if __name__ == "__main__":
    main()
