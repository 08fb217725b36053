"""How well `summarize cluster` recovers the events of a pile of articles, and how fast it is.

All articles of all clusters of the Multi-News dev set (../shared/eval-data, read its README) are
poured into one folder and grouped again; the adjusted Rand index (Hubert & Arabie 1985) compares
the grouping with the true clusters (target >= 0.9). `--grid` also scores other `same_event` cut-offs.
A synthetic feed of N articles (the dev articles again, each reworded slightly) measures time.

    python bench/cluster_quality.py                 # writes its section of bench/RESULTS.md
    python bench/cluster_quality.py --grid          # ARI at other thresholds, nothing written
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "eval-data"
sys.path.insert(0, str(REPO / "bench"))

import dataclasses  # noqa: E402

from results import write_section  # noqa: E402

import summarizer.cluster as clustering  # noqa: E402
from summarizer.text.similarity.semantic import SemanticSimilarity  # noqa: E402

SECTION = "## Quality: clustering a feed into events (Multi-News dev)"


def adjusted_rand_index(truth: list[int], found: list[int]) -> float:
    """ARI of two labelings of the same items."""
    pairs = Counter(zip(truth, found))
    comb = lambda n: n * (n - 1) / 2  # noqa: E731
    index = sum(comb(n) for n in pairs.values())
    rows, cols = sum(comb(n) for n in Counter(truth).values()), sum(comb(n) for n in Counter(found).values())
    expected = rows * cols / comb(len(truth)) if len(truth) > 1 else 0.0
    maximum = (rows + cols) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


def pile(folder: Path) -> dict[str, int]:
    """Every dev article in one folder; the true cluster of each file."""
    truth = {}
    for number, line in enumerate((EVAL / "multinews_dev.jsonl").open(encoding="utf-8")):
        for k, article in enumerate(json.loads(line)["articles"]):
            path = folder / f"c{number:02d}-a{k}.txt"
            path.write_text(article["text"], encoding="utf-8")
            truth[str(path)] = number
    return truth


def score(folder: Path, truth: dict[str, int]) -> tuple[float, int, float]:
    started = time.perf_counter()
    events = clustering.cluster_articles([folder])
    seconds = time.perf_counter() - started
    label = {path: k for k, event in enumerate(events) for path in event.members}
    # Exact duplicates are merged on loading: a merged file takes its kept twin's event.
    paths = [p for p in truth if p in label]
    return adjusted_rand_index([truth[p] for p in paths], [label[p] for p in paths]), len(events), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--grid", action="store_true", help="score other same_event cut-offs; nothing written")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        folder = Path(scratch)
        truth = pile(folder)
        if args.grid:
            for threshold in (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
                SemanticSimilarity.thresholds = dataclasses.replace(SemanticSimilarity.thresholds,
                                                                    same_event=threshold)
                ari, events, seconds = score(folder, truth)
                print(f"threshold {threshold:.2f}: ARI {ari:.3f}, {events} events, {seconds:.1f} s", flush=True)
            return
        score(folder, truth)  # once to warm the vector cache
        ari, events, seconds = score(folder, truth)
    lines = [SECTION, "",
             f"`python bench/cluster_quality.py` on {platform.machine()}, Python {platform.python_version()}, "
             f"{time.strftime('%Y-%m-%d')}: the {len(truth)} articles of the 60 dev clusters in one folder, "
             f"semantic similarity, same_event {SemanticSimilarity.thresholds.same_event}.", "",
             "| measure | value | target |", "|---|---:|---|",
             f"| adjusted Rand index | {ari:.3f} | >= 0.9 |",
             f"| events found (true: 60) | {events} | |",
             f"| seconds, warm vector cache, in process | {seconds:.1f} | |"]
    print("\n".join(lines))
    write_section(SECTION, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
