"""Time the `summarize` CLI on the seeds and on synthetic corpora of 100 and 200 articles.

The synthetic articles are made from the seeds' own sentences (as loaded and cleaned): each one
takes 40 sentences from the pool in a seeded random order under a dateline of its own. Two variants:
`verbatim` reuses sentences word for word; `perturbed` also drops one word from a third of them, so
near-duplicates cannot be collapsed by hashing and alignment has to compare them.

Each run is a fresh process (`python -m summarizer ... --format json --out ...`); wall time is the
median of the repeats, peak memory the largest resident set of the child. Results go to
their own section of bench/RESULTS.md (and are printed).

    python bench/run_bench.py            # all cases, 3 repeats each
    python bench/run_bench.py --repeats 1
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from results import RESULTS, write_section  # noqa: E402

SEEDS = REPO / "seeds"
SECTION = "## CLI, extractive engine"
SENTENCES_PER_ARTICLE = 40
CITIES = ["MOSCOW", "WASHINGTON", "LONDON", "PARIS", "BEIRUT", "GENEVA", "NEW YORK", "DAMASCUS"]


def seed_sentence_pool() -> list[str]:
    """Every body sentence of the seeds, as the loader sees them."""
    from summarizer import load_sources

    return [sentence for source in load_sources([SEEDS], on_warning=lambda _: None) for sentence in source.sentences]


def make_corpus(folder: Path, articles: int, *, perturbed: bool) -> None:
    """Write `articles` synthetic articles made of seed sentences into `folder`."""
    pool = seed_sentence_pool()
    rng = random.Random(articles * 2 + perturbed)  # fixed: the same corpus on every run
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(articles):
        picked = rng.sample(pool, min(SENTENCES_PER_ARTICLE, len(pool)))
        if perturbed:
            for index in range(0, len(picked), 3):
                words = picked[index].split()
                if len(words) > 6:
                    del words[rng.randrange(1, len(words) - 1)]
                    picked[index] = " ".join(words)
        dateline = f"{rng.choice(CITIES)} (Wire {number % 7}) - "
        body = dateline + "\n\n".join(picked) + "\n"
        (folder / f"article_{number:03d}.txt").write_text(body, encoding="utf-8")


def measure_once(corpus: Path, out: Path) -> dict[str, float]:
    """Run the CLI once in a child; its wall time and peak resident memory."""
    command = [sys.executable, "-m", "summarizer", str(corpus), "--engine", "extractive",
               "--format", "json", "--out", str(out), "--quiet"]
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"summarize failed on {corpus}: {completed.stderr.strip()}")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: KiB, max over children
    brief = json.loads(out.read_text(encoding="utf-8"))
    return {
        "wall_s": wall,
        "peak_mib": peak_kib / 1024,
        "sources": len(brief["sources"]),
        "sentences": sum(len(s["sentences"]) for s in brief["sources"]),
        "agreements": len(brief["agreements"]),
        "disagreements": len(brief["disagreements"]),
    }


def measure(corpus: Path, repeats: int) -> dict[str, float]:
    """Median wall time over `repeats` fresh processes (each measured in its own wrapper)."""
    runs = []
    for _ in range(repeats):
        # A wrapper process per run, so RUSAGE_CHILDREN's maximum belongs to this run alone.
        wrapper = subprocess.run(
            [sys.executable, __file__, "--measure-one", str(corpus)], capture_output=True, text=True
        )
        if wrapper.returncode != 0:
            raise SystemExit(wrapper.stderr or wrapper.stdout)
        runs.append(json.loads(wrapper.stdout))
    result = dict(runs[0])
    result["wall_s"] = statistics.median(r["wall_s"] for r in runs)
    result["peak_mib"] = max(r["peak_mib"] for r in runs)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--measure-one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_one:
        with tempfile.TemporaryDirectory() as scratch:
            print(json.dumps(measure_once(args.measure_one, Path(scratch) / "brief.json")))
        return

    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        cases: list[tuple[str, Path]] = [("seeds", SEEDS)]
        for variant in ("verbatim", "perturbed"):
            for articles in (100, 200):
                folder = Path(scratch) / f"{variant}_{articles}"
                make_corpus(folder, articles, perturbed=variant == "perturbed")
                cases.append((f"{variant} {articles}", folder))
        for name, folder in cases:
            result = measure(folder, args.repeats)
            rows.append((name, result))
            print(f"{name:>15}: {result['wall_s']:.2f} s, {result['peak_mib']:.0f} MiB, "
                  f"{result['sources']} sources, {result['sentences']} sentences", flush=True)

    by_name = dict(rows)
    ratios = {
        variant: by_name[f"{variant} 200"]["wall_s"] / by_name[f"{variant} 100"]["wall_s"]
        for variant in ("verbatim", "perturbed")
    }
    lines = [
        SECTION,
        "",
        f"`python bench/run_bench.py --repeats {args.repeats}` on {platform.machine()}, "
        f"{_cpu_count()} cores, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}.",
        "Each run is `python -m summarizer CORPUS --engine extractive --format json` in a fresh process;",
        "wall time is the median of the repeats (start-up and imports included), peak memory the largest",
        "resident set. Targets: seeds < 1 s; 200 articles < 15 s and < 1 GiB; 200 articles at most ~2.2x",
        "the time of 100.",
        "",
        "| corpus | sources | sentences | agreements | disagreements | wall (s) | peak memory (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows:
        lines.append(f"| {name} | {r['sources']} | {r['sentences']} | {r['agreements']} | "
                     f"{r['disagreements']} | {r['wall_s']:.2f} | {r['peak_mib']:.0f} |")
    lines += ["", "Time of 200 articles over 100:", ""]
    lines += [f"- {variant}: {ratio:.2f}x" for variant, ratio in ratios.items()]
    lines.append("")
    write_section(SECTION, "\n".join(lines))
    print(f"wrote {RESULTS.relative_to(REPO)}")


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    main()
