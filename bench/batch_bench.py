"""`summarize batch` throughput: synthetic event folders of five articles each.

Each event is one Multi-News dev cluster's articles (../shared/eval-data), topped up to five from
the next cluster and each given a distinct first line, so that no two events are the same files.

Offline engine: the CLI in a fresh process (imports included), default workers (one per core),
with empty caches; lexical and semantic similarity on the local executor, and lexical on Ray (a
local instance the command starts, its start-up included), plus a run of a tenth of the events to
show the time per event is flat. Peak memory is the largest resident set of the run and its
workers (`/usr/bin/time` of the parent includes its children's maximum; Ray's own daemons are not
counted).

LLM engine (`--llm N`): N events through the fake OpenAI server of tests/fake_openai.py answering
every request after a fixed delay, with --concurrency 8, in this process; the ideal wall time is
calls x delay / 8.

    python bench/batch_bench.py --events 1000 --llm 100     # writes its section of bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "eval-data"
sys.path.insert(0, str(REPO / "bench"))

from results import time_cli, write_section  # noqa: E402

from summarizer.text.sentences import split_sentences  # noqa: E402

SECTION = "## Batch: event folders briefed per second"


def make_events(root: Path, count: int, *, distinct: bool = False) -> Path:
    """`count` event folders of five dev articles; `distinct`: every sentence of every event made
    new by dropping one of its words at random, so that no vector comes from the cache."""
    clusters = [[a["text"] for a in json.loads(line)["articles"]]
                for line in (EVAL / "multinews_dev.jsonl").open(encoding="utf-8")]
    for k in range(count):
        articles = (clusters[k % len(clusters)] + clusters[(k + 1) % len(clusters)])[:5]
        folder = root / f"event-{k:04d}"
        folder.mkdir(parents=True)
        for j, text in enumerate(articles):
            if distinct:
                text = " ".join(_drop_a_word(sentence, random.Random(f"{k}-{j}-{n}"))
                                for n, sentence in enumerate(split_sentences(text)))
            (folder / f"a{j}.txt").write_text(f"Dispatch {k}-{j} from the wire desk.\n\n{text}", encoding="utf-8")
    return root


def _drop_a_word(sentence: str, rng: random.Random) -> str:
    words = sentence.split()
    if len(words) > 3:
        del words[rng.randrange(1, len(words) - 1)]  # not the first or the last: the sentence still ends
    return " ".join(words)


def run(events: Path, out: Path, similarity: str, cache: Path, executor: str = "local") -> tuple[float, float]:
    return time_cli(["batch", str(events), "--out", str(out), "--engine", "extractive", "--similarity", similarity,
                     "--executor", executor, "-q"], cache)


def kill_and_resume(events: Path, out: Path, cache: Path, count: int) -> dict[str, float]:
    """The lexical batch killed (SIGKILL) once half its events are in the manifest, then the same
    command again: how many events the second run briefs, and its wall time."""
    command = [sys.executable, "-m", "summarizer", "batch", str(events), "--out", str(out), "--engine", "extractive",
               "--similarity", "lexical", "-q"]
    environment = os.environ | {"SUMMARIZER_CACHE_DIR": str(cache)}
    running = subprocess.Popen(command, env=environment)
    manifest = out / "manifest.json"
    while running.poll() is None:
        try:
            done = len(json.loads(manifest.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            done = 0
        if done >= count // 2:
            running.send_signal(signal.SIGKILL)
            break
        time.sleep(0.2)
    running.wait()
    before = len(json.loads(manifest.read_text(encoding="utf-8")))
    started = time.perf_counter()
    subprocess.run(command, env=environment, check=True)
    seconds = time.perf_counter() - started
    statuses = [e["status"] for e in json.loads((out / "batch.json").read_text(encoding="utf-8"))["events"].values()]
    return {"before": before, "skipped": statuses.count("skipped"), "briefed": statuses.count("done"),
            "seconds": seconds}


def run_llm(root: Path, count: int, delay: float) -> dict[str, float]:
    """`count` events through the LLM engine against the fake server; wall, calls, peak in flight."""
    sys.path.insert(0, str(REPO / "tests"))
    from fake_openai import FakeOpenAI

    from summarizer import LLMOptions, batch

    events = make_events(root / "llm-events", count)
    with FakeOpenAI(delay=delay) as fake:
        llm = LLMOptions(base_url=fake.url, model="fake-model", concurrency=CONCURRENCY, use_cache=False)
        started = time.perf_counter()
        result = batch(events, root / "llm-briefs", engine="llm", similarity="lexical", llm=llm)
        seconds = time.perf_counter() - started
        calls = len(fake.completions)
        peak = fake.peak_in_flight
    assert not result.failed, result.failed
    return {"seconds": seconds, "calls": calls, "peak": peak, "ideal": calls * delay / CONCURRENCY}


CONCURRENCY = 8
NOTE = """The events of the first rows reuse the sentences of the 60 dev clusters (only each article's first
line is new), so in the semantic run most sentences come from the vector cache after the first
cycle, which the workers share on disk. The row "every sentence new" drops one word of every
sentence at random per event, so that every sentence is embedded: that is the cold-cache case."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--llm", type=int, default=0, help="also N events through the LLM engine on the fake server")
    parser.add_argument("--delay", type=float, default=0.5, help="the fake server's delay per request, in seconds")
    parser.add_argument("--distinct", type=int, default=0,
                        help="also N events of sentences all new (semantic, nothing from the vector cache)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        small = max(1, args.events // 10)
        events = make_events(root / "events", args.events)
        few = make_events(root / "few", small)
        for similarity, executor, folder, count in (("lexical", "local", few, small),
                                                     ("lexical", "local", events, args.events),
                                                     ("semantic", "local", events, args.events),
                                                     ("lexical", "ray", events, args.events)):
            label = f"{similarity}-{executor}-{count}"
            seconds, mib = run(folder, root / f"briefs-{label}", similarity, root / f"cache-{label}", executor)
            rows.append((similarity, executor, count, seconds, mib))
            print(label, f"{seconds:.1f} s, {count / seconds:.2f} events/s, {mib:.0f} MiB", flush=True)
        if args.distinct:
            fresh = make_events(root / "distinct", args.distinct, distinct=True)
            seconds, mib = run(fresh, root / "briefs-distinct", "semantic", root / "cache-distinct")
            rows.append(("semantic, every sentence new", "local", args.distinct, seconds, mib))
            print(f"distinct {args.distinct}: {seconds:.1f} s, {args.distinct / seconds:.2f} events/s", flush=True)
        resumed = kill_and_resume(events, root / "briefs-killed", root / "cache-killed", args.events)
        print(f"killed at {resumed['before']:.0f}; the same command briefed {resumed['briefed']:.0f} in "
              f"{resumed['seconds']:.1f} s", flush=True)
        llm = run_llm(root, args.llm, args.delay) if args.llm else None
    lines = [SECTION, "",
             f"`python bench/batch_bench.py --events {args.events} --llm {args.llm} --distinct {args.distinct}` "
             f"on {platform.machine()}, "
             f"{os.cpu_count()} cores, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}: event folders "
             "of five articles, `summarize batch --engine extractive`, one worker per core, empty caches; Ray "
             "starts a local instance (its start-up is in the wall time).", "",
             "| similarity | executor | events | wall (s) | events / s | ms / event | peak memory (MiB) | target |",
             "|---|---|---:|---:|---:|---:|---:|---|"]
    local_wall = next(seconds for sim, ex, count, seconds, _ in rows if (sim, ex, count) == ("lexical", "local",
                                                                                            args.events))
    for similarity, executor, count, seconds, mib in rows:
        if executor == "ray":
            target = f"within 1.5x of local: {seconds / local_wall:.2f}x"
        elif similarity.startswith("lexical"):
            target = ">= 5 events/s, <= 2 GiB"
        else:
            target = ">= 1 event/s (cold cache), <= 2 GiB"
        lines.append(f"| {similarity} | {executor} | {count} | {seconds:.1f} | {count / seconds:.2f} | "
                     f"{1000 * seconds / count:.0f} | {mib:.0f} | {target} |")
    lines += ["", f"Resume: the lexical batch of {args.events} killed with SIGKILL once {resumed['before']:.0f} "
              f"events were in its manifest, then the same command: it skipped {resumed['skipped']:.0f} and briefed "
              f"{resumed['briefed']:.0f} (the rest only) in {resumed['seconds']:.1f} s.", "", NOTE]
    if llm is not None:
        lines += ["", f"LLM engine, {args.llm} events, fake server answering after {args.delay} s, --concurrency "
                  f"{CONCURRENCY}: {llm['calls']:.0f} calls in {llm['seconds']:.1f} s; the ideal is "
                  f"{llm['calls']:.0f} x {args.delay} s / {CONCURRENCY} = {llm['ideal']:.1f} s, so "
                  f"**{llm['seconds'] / llm['ideal']:.2f}x the ideal** (target <= 1.3x); at most "
                  f"{llm['peak']:.0f} requests were in flight at the server (limit {CONCURRENCY})."]
    print("\n".join(lines))
    write_section(SECTION, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
