"""Time the LLM engine on the seeds against a local fake server that answers after a fixed delay.

The fake server (tests/fake_openai.py) answers every prompt validly after `--delay` seconds, like a
model that always takes the same time to think, so what is measured is the engine's own shape:
how many calls it makes, how many prompt tokens it sends per token of source text, and how well
its calls overlap. Runs, each on the five seeds:

- concurrency 1, cache off: every call waits for the one before it;
- concurrency 8, cache off: the chunk calls overlap; target: wall time close to one chunk call plus
  one synthesis call (2 delays);
- concurrency 8 into an empty cache, then the same run again from that cache: target 0 calls;
- the extractive engine on the same seeds, for the start-up the LLM path adds beyond it;
- token counts only, two piles of 50 articles, where the summaries must be collapsed to fit the
  synthesis: seed sentences (as bench/run_bench.py writes them), and short articles of several
  events (Multi-News dev, when ../shared/eval-data is there);
- token counts only, 60 Multi-News dev events briefed one by one, as a batch of a day's events is.

Rounds are the time from the first request to the last answer, in delays. Prompt tokens are split
into a fixed overhead per call (the call's template rendered with no content: rules, instructions,
framing) and the rest, which is measured per source token (target: at most 1.3).

Runs are in-process (imports and tiktoken's files loaded once beforehand, not timed); wall time is
the median of the repeats. Source tokens are the tiktoken count of all sources' sentences. The
results replace this script's own section of bench/RESULTS.md; the rest of the file is kept.

    python bench/llm_bench.py                 # 0.5 s per answer, 3 repeats
    python bench/llm_bench.py --delay 0.2 --repeats 1
    # fresh processes of this environment and of a plain install (no test extras), 15 pairs each
    python bench/llm_bench.py --fresh-pairs 15 --fresh-python "$PWD/.venv/bin/python" \
        --fresh-python /path/to/plain-venv/bin/python
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SECTION = "## LLM engine (fake server, fixed delay)"
sys.path.insert(0, str(REPO / "tests"))  # the fake server lives with the tests that use it
sys.path.insert(0, str(REPO / "bench"))

from fake_openai import FakeOpenAI  # noqa: E402
from results import RESULTS, write_section  # noqa: E402

from summarizer import LLMOptions, load_sources, summarize  # noqa: E402
from summarizer.engines.llm import constants  # noqa: E402
from summarizer.engines.llm.prompts import Prompt, prompt_size  # noqa: E402
from summarizer.engines.llm.schema import (  # noqa: E402
    ChunkNotesAnswer,
    CollapseAnswer,
    SourceSummaryAnswer,
    SynthesisAnswer,
)
from summarizer.text.tokens import count_tokens  # noqa: E402

# Each stage's prompt with no content, as sent when the request carries the schema: the fixed
# overhead of one call (rules, instructions, framing).
EMPTY_PROMPTS = {
    "chunk_notes": Prompt("chunk_notes.j2", ChunkNotesAnswer, {"max_notes": constants.NOTES_PER_CHUNK, "source_id": 1,
                                                               "outlet": None, "part": 1, "parts": 1, "sentences": []}),
    "source_summary": Prompt("source_summary.j2", SourceSummaryAnswer, {
        "max_statements": constants.STATEMENTS_PER_SOURCE, "source_id": 1, "outlet": None, "notes": []}),
    "collapse": Prompt("collapse.j2", CollapseAnswer, {"max_statements": 12, "statements": []}),
    "synthesis": Prompt("synthesis.j2", SynthesisAnswer, {"max_summary": 4, "summaries": [],
                                                          "agreements": [], "conflicts": [], "disputed": False}),
}


def fixed_overhead(stages: dict[str, dict[str, int]]) -> int:
    """The fixed overhead of the calls made, stage by stage."""
    return sum(prompt_size(EMPTY_PROMPTS[stage].messages(with_schema=False)) * counts["calls"]
               for stage, counts in stages.items())


@dataclass
class RunResult:
    """One measured run of the engine."""

    name: str
    calls: int
    requests: int
    cache_hits: int
    prompt_tokens: int
    completion_tokens: int
    peak_in_flight: int
    wall_s: float
    sections: str
    rounds: float = 0.0
    fixed_tokens: int = 0


def source_tokens(folder: Path) -> int:
    """The tiktoken count of every source's sentences (what the model is asked to read)."""
    return sum(count_tokens(" ".join(source.sentences)) for source in load_sources([folder]))


def run_once(name: str, fake: FakeOpenAI, *, concurrency: int, cache_dir: Path | None,
             response_format: str = "auto") -> RunResult:
    """One run of the seeds through the llm engine; the server's counters are reset first."""
    fake.reset()
    options = LLMOptions(base_url=fake.url, model="fake-model", concurrency=concurrency,
                         use_cache=cache_dir is not None, cache_dir=cache_dir,
                         response_format=response_format)  # type: ignore[arg-type]
    started = time.perf_counter()
    brief = summarize(SEEDS, engine="llm", llm=options)
    wall = time.perf_counter() - started
    usage = brief.usage
    fallbacks = [w for w in brief.warnings if "used the extractive" in w]
    if fallbacks:  # the fake answers validly: a fallback here is a bug, not a measurement
        raise SystemExit(f"{name}: unexpected fallback: {fallbacks[0]}")
    arrivals = [request.received_at for request in fake.completions]
    rounds = (max(arrivals) + fake.delay - min(arrivals)) / fake.delay if arrivals else 0.0
    return RunResult(
        name=name, calls=usage["calls"], requests=len(fake.completions), cache_hits=usage["cache_hits"],
        prompt_tokens=usage["prompt_tokens"], completion_tokens=usage["completion_tokens"],
        peak_in_flight=fake.peak_in_flight, wall_s=wall,
        sections=f"{len(brief.summary)}/{len(brief.agreements)}/{len(brief.disagreements)}/{len(brief.exclusives)}",
        rounds=rounds, fixed_tokens=fixed_overhead(usage["stages"]),
    )


def offline_wall(repeats: int) -> float:
    """The extractive engine on the seeds, median wall time (the LLM path's baseline)."""
    walls = []
    for _ in range(repeats):
        started = time.perf_counter()
        summarize(SEEDS, engine="extractive")
        walls.append(time.perf_counter() - started)
    return statistics.median(walls)


def median_run(runs: list[RunResult]) -> RunResult:
    """The first run's counts (they do not vary) with the median wall time."""
    first = runs[0]
    first.wall_s = statistics.median(r.wall_s for r in runs)
    first.peak_in_flight = max(r.peak_in_flight for r in runs)
    return first


def fresh_processes(fake: FakeOpenAI, pairs: int, python: str) -> tuple[float, float, float, tuple[float, float]]:
    """The CLI in a fresh process of `python` (imports included), the extractive engine and the LLM
    engine with an empty cache, in interleaved pairs (a fresh run's wall varies by 0.1 s here, and
    drifts): the median walls, the LLM run's median rounds of calls, and the lowest and highest gap
    of a pair."""
    def run(engine: str) -> tuple[float, float]:
        fake.reset()
        with tempfile.TemporaryDirectory() as scratch:
            command = [python, "-m", "summarizer", str(SEEDS), "--engine", engine, "--out",
                       str(Path(scratch) / "brief.md"), "-q", "--base-url", fake.url, "--model", "fake-model"]
            environment = os.environ | {"SUMMARIZER_CACHE_DIR": str(Path(scratch) / "cache")}
            tiktoken_files = Path(os.environ.get("SUMMARIZER_CACHE_DIR", Path.home() / ".cache" / "summarizer"))
            if (tiktoken_files / "tiktoken").is_dir():  # tiktoken's parsed files and the vectors are not the point
                shutil.copytree(tiktoken_files / "tiktoken", Path(scratch) / "cache" / "tiktoken")
            if (tiktoken_files / "vectors").is_dir():
                shutil.copytree(tiktoken_files / "vectors", Path(scratch) / "cache" / "vectors")
            started = time.perf_counter()
            subprocess.run(command, check=True, env=environment)
            wall = time.perf_counter() - started
        arrivals = [request.received_at for request in fake.completions]
        rounds = (max(arrivals) + fake.delay - min(arrivals)) / fake.delay if arrivals else 0.0
        return wall, rounds

    runs = [(run("extractive")[0], run("llm")) for _ in range(pairs)]
    gaps = [wall - rounds * fake.delay - offline for offline, (wall, rounds) in runs]
    return (statistics.median(offline for offline, _ in runs), statistics.median(w for _, (w, _) in runs),
            statistics.median(r for _, (_, r) in runs), (min(gaps), max(gaps)))


def measure(delay: float, repeats: int, fresh_pythons: list[str], fresh_pairs: int) -> tuple[list[RunResult], float]:
    """Every case of the module docstring, `repeats` times each; fresh processes of each of
    `fresh_pythons`, in `fresh_pairs` pairs."""
    # Warm-up, untimed: imports, tiktoken's files, the sentence splitter's first use.
    tokens = source_tokens(SEEDS)
    del tokens
    rows: list[RunResult] = []
    with FakeOpenAI(delay=delay) as fake:
        for concurrency in (1, 8):
            name = f"concurrency {concurrency}, cache off"
            rows.append(median_run([run_once(name, fake, concurrency=concurrency, cache_dir=None)
                                    for _ in range(repeats)]))
            print(f"{name}: {rows[-1].wall_s:.2f} s, {rows[-1].calls} calls", flush=True)
        # With the mode known (chosen, or remembered from an earlier run), no call probes alone.
        name = "concurrency 8, cache off, --response-format json_schema"
        rows.append(median_run([run_once(name, fake, concurrency=8, cache_dir=None, response_format="json_schema")
                                for _ in range(repeats)]))
        print(f"{name}: {rows[-1].wall_s:.2f} s, {rows[-1].calls} calls", flush=True)
        cold: list[RunResult] = []
        warm: list[RunResult] = []
        for _ in range(repeats):
            with tempfile.TemporaryDirectory() as scratch:
                cache = Path(scratch) / "llm-cache"
                cold.append(run_once("concurrency 8, empty cache", fake, concurrency=8, cache_dir=cache))
                warm.append(run_once("concurrency 8, again from the cache", fake, concurrency=8, cache_dir=cache))
        for runs in (cold, warm):
            rows.append(median_run(runs))
            print(f"{rows[-1].name}: {rows[-1].wall_s:.2f} s, {rows[-1].calls} calls", flush=True)
        for python in fresh_pythons:
            FRESH[python] = fresh_processes(fake, fresh_pairs, python)
    return rows, offline_wall(repeats)


# Per interpreter: the fresh-process medians (see `fresh_processes`); set by measure().
FRESH: dict[str, tuple[float, float, float, tuple[float, float]]] = {}
FRESH_PAIRS = 7  # interleaved fresh runs of each engine, by default
PILE_ARTICLES = 50
EVENTS = 60  # Multi-News dev clusters briefed one by one
MULTINEWS = REPO.parent / "shared" / "eval-data" / "multinews_dev.jsonl"


@dataclass
class PileResult:
    """One run over a pile of many articles: the token counts only."""

    what: str
    source_tokens: int
    prompt_tokens: int
    fixed_tokens: int
    calls: dict[str, int]


def write_multinews_pile(folder: Path) -> str:
    """The first PILE_ARTICLES articles of the Multi-News dev set: several events, short articles."""
    import json

    write_articles(folder, [article["text"] for line in MULTINEWS.open(encoding="utf-8")
                            for article in json.loads(line)["articles"]][:PILE_ARTICLES])
    return f"{PILE_ARTICLES} short articles (the first of the Multi-News dev set)"


def write_articles(folder: Path, texts: list[str]) -> None:
    """Each text as an article file of `folder`, in order."""
    for k, text in enumerate(texts):
        (folder / f"{k:03d}.txt").write_text(text, encoding="utf-8")


def llm_usage(folder: Path, fake: FakeOpenAI) -> dict[str, Any]:
    """What the LLM engine spends on `folder`'s brief against `fake`, with no answer cache."""
    return summarize(folder, engine="llm", llm=LLMOptions(base_url=fake.url, model="fake-model", use_cache=False)).usage


def write_seed_pile(folder: Path) -> str:
    """PILE_ARTICLES articles of seed sentences, as bench/run_bench.py writes them (perturbed)."""
    from run_bench import SENTENCES_PER_ARTICLE, make_corpus

    make_corpus(folder, PILE_ARTICLES, perturbed=True)
    return (f"{PILE_ARTICLES} articles of {SENTENCES_PER_ARTICLE} seed sentences each "
            "(bench/run_bench.py's perturbed corpus)")


def pile_runs() -> list[PileResult]:
    """Each pile through the engine against a fake that answers at once (the Multi-News one only
    where ../shared/eval-data is)."""
    writers = [write_seed_pile] + ([write_multinews_pile] if MULTINEWS.is_file() else [])
    results = []
    for write in writers:
        with tempfile.TemporaryDirectory() as scratch, FakeOpenAI(delay=0.0) as fake:
            folder = Path(scratch) / "pile"
            folder.mkdir()
            what = write(folder)
            tokens = source_tokens(folder)
            usage = llm_usage(folder, fake)
        results.append(PileResult(what=what, source_tokens=tokens, prompt_tokens=usage["prompt_tokens"],
                                  fixed_tokens=fixed_overhead(usage["stages"]),
                                  calls={stage: counts["calls"] for stage, counts in usage["stages"].items()}))
    return results


@dataclass
class EventsResult:
    """Events briefed one by one (as `summarize batch` does): the token counts, summed and per event."""

    events: int
    source_tokens: int
    rest_tokens: int  # prompt tokens besides the fixed overhead
    per_event: list[float]  # each event's rest per source token
    calls: dict[str, int]


def event_runs() -> EventsResult | None:
    """The first EVENTS Multi-News dev clusters, each briefed on its own against a fake that answers
    at once (what a batch of a day's events costs); None where ../shared/eval-data is not."""
    import json

    if not MULTINEWS.is_file():
        return None
    clusters = [json.loads(line)["articles"] for line in MULTINEWS.open(encoding="utf-8")][:EVENTS]
    source = rest = 0
    per_event: list[float] = []
    calls: dict[str, int] = {}
    with FakeOpenAI(delay=0.0) as fake:
        for articles in clusters:
            with tempfile.TemporaryDirectory() as scratch:
                folder = Path(scratch)
                write_articles(folder, [article["text"] for article in articles])
                tokens = source_tokens(folder)
                usage = llm_usage(folder, fake)
            event_rest = usage["prompt_tokens"] - fixed_overhead(usage["stages"])
            source += tokens
            rest += event_rest
            per_event.append(event_rest / tokens)
            for stage, counts in usage["stages"].items():
                calls[stage] = calls.get(stage, 0) + counts["calls"]
    return EventsResult(events=len(clusters), source_tokens=source, rest_tokens=rest, per_event=per_event,
                        calls=calls)


def section_text(rows: list[RunResult], offline: float, *, delay: float, repeats: int, tokens: int,
                 piles: list[PileResult], events: EventsResult | None, fresh_pairs: int) -> str:
    """This benchmark's section of RESULTS.md."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    lines = [
        SECTION,
        "",
        f"`python bench/llm_bench.py --delay {delay:g} --repeats {repeats} --fresh-pairs {fresh_pairs}"
        f"{''.join(f' --fresh-python {python}' for python in FRESH if python != sys.executable)}` "
        f"on {platform.machine()}, {cpus} cores, "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}.",
        f"The seeds (5 sources, {tokens} source tokens) through `--engine llm` against the fake",
        "OpenAI-compatible server of tests/fake_openai.py on 127.0.0.1, which answers every request",
        f"validly after {delay:g} s. In-process runs (imports and tiktoken loaded beforehand); wall time is the",
        "median of the repeats. Prompt tokens are tiktoken counts of the messages sent; per source token =",
        "prompt tokens / source tokens. Sections = summary/agreements/disagreements/exclusives kept.",
        f"Target: with concurrency, wall close to one chunk call plus one synthesis call ({2 * delay:g} s);",
        "the cached re-run makes no calls.",
        "",
        "| run | calls | HTTP requests | cache hits | prompt tokens | per source token | fixed per call "
        "| rest per source token | completion tokens | peak in flight | sections | rounds | wall (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in rows:
        fixed = f"{r.fixed_tokens / r.calls:.0f}" if r.calls else ""
        lines.append(
            f"| {r.name} | {r.calls} | {r.requests} | {r.cache_hits} | {r.prompt_tokens} | "
            f"{r.prompt_tokens / tokens:.2f} | {fixed} | {(r.prompt_tokens - r.fixed_tokens) / tokens:.2f} | "
            f"{r.completion_tokens} | {r.peak_in_flight} | {r.sections} | {r.rounds:.1f} | {r.wall_s:.2f} |"
        )
    by_name = {r.name: r for r in rows}
    serial = by_name["concurrency 1, cache off"]
    probing = by_name["concurrency 8, cache off"]
    parallel = by_name["concurrency 8, cache off, --response-format json_schema"]
    cached = by_name["concurrency 8, again from the cache"]
    lines += [
        "",
        f"- concurrency 8 over 1: {serial.wall_s / parallel.wall_s:.2f}x faster with the structured-output mode "
        f"known; then concurrency 8 takes {parallel.wall_s:.2f} s against the {2 * delay:g} s of one chunk call "
        f"plus one synthesis call ({parallel.wall_s - 2 * delay:+.2f} s of engine work: loading, alignment, "
        "prompts, verification).",
        f"- with `--response-format auto` and nothing remembered yet ({probing.wall_s:.2f} s, "
        f"{probing.rounds:.1f} rounds from the first request to the last answer), the first round goes out at "
        "once in the richest mode (a server that refuses it would be asked the round again in the next mode).",
        f"- start-up: the extractive engine takes {offline:.2f} s on the seeds in this process; the LLM path "
        f"takes {probing.wall_s - probing.rounds * delay:.2f} s besides its rounds of calls "
        f"({probing.wall_s - probing.rounds * delay - offline:+.2f} s; target within 0.3 s).",
        *[f"- the same in a fresh process (`summarize seeds/ --engine ...`, imports included), "
          f"{'this environment' if python == sys.executable else f'`{python}`'}: extractive "
          f"{offline_s:.2f} s; LLM {llm_s:.2f} s with {rounds:.1f} rounds of calls, so "
          f"{llm_s - rounds * delay:.2f} s besides them ({llm_s - rounds * delay - offline_s:+.2f} s; "
          f"medians of {fresh_pairs} interleaved pairs, whose own gaps ranged {low:+.2f} to "
          f"{high:+.2f} s; target within 0.3 s)."
          for python, (offline_s, llm_s, rounds, (low, high)) in FRESH.items()],
        f"- from the cache: {cached.calls} calls, {cached.requests} HTTP requests, {cached.cache_hits} cache hits, "
        f"{cached.wall_s:.2f} s.",
    ]
    for pile in piles:
        calls = ", ".join(f"{count} {stage}" for stage, count in pile.calls.items())
        lines.append(
            f"- a pile of {pile.what}, {pile.source_tokens} source tokens, in one folder: {pile.prompt_tokens} "
            f"prompt tokens in {calls} calls, {(pile.prompt_tokens - pile.fixed_tokens) / pile.source_tokens:.2f} "
            "per source token besides the fixed overhead.")
    if piles:
        lines.append(
            f"  The summaries of {PILE_ARTICLES} articles need collapsing to fit the synthesis window, so they are "
            "read twice; "
            "the fake's notes copy each article's first four sentences, which is most of a short article.")
    if events is not None:
        calls = ", ".join(f"{count} {stage}" for stage, count in events.calls.items())
        lines.append(
            f"- the first {events.events} events of the Multi-News dev set, each briefed on its own (as a batch "
            f"does), {events.source_tokens} source tokens: {events.rest_tokens / events.source_tokens:.2f} per source "
            f"token besides the fixed overhead, in {calls} calls; per event, median "
            f"{statistics.median(events.per_event):.2f}, highest {max(events.per_event):.2f} (target 1.3).")
    return "\n".join([*lines, ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--delay", type=float, default=0.5, help="seconds the fake server takes per answer")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print the section, leave RESULTS.md alone")
    parser.add_argument("--fresh-python", action="append", metavar="PYTHON",
                        help="an interpreter with summarizer installed for the fresh-process runs (repeatable; "
                             "default this one), e.g. a plain `pip install .` without the test extras")
    parser.add_argument("--fresh-pairs", type=int, default=FRESH_PAIRS,
                        help="interleaved fresh runs of each engine, per interpreter")
    args = parser.parse_args()
    rows, offline = measure(args.delay, args.repeats, args.fresh_python or [sys.executable], args.fresh_pairs)
    text = section_text(rows, offline, delay=args.delay, repeats=args.repeats, tokens=source_tokens(SEEDS),
                        piles=pile_runs(), events=event_runs(), fresh_pairs=args.fresh_pairs)
    print()
    print(text)
    if not args.no_write:
        write_section(SECTION, text)
        print(f"wrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
