"""`summarize batch CLUSTERS/ --out BRIEFS/`: one brief per event folder, resumable.

The events are the folders listed by CLUSTERS/clusters.json (as `summarize cluster` writes it),
else every sub-folder of CLUSTERS/ but `singletons`. Each is briefed into BRIEFS/<name>.<format>.

Resumable: BRIEFS/manifest.json records, per event, a key (the sha256 of the options and of every
input file's path and bytes) and the outcome, and is rewritten atomically as each event ends, just
before its brief is written (atomically too). Run the same command again, after a crash or a `kill -9`, and
events whose key and brief are still there are skipped, changed ones are done again, and no brief
is ever half written. An event that fails is recorded with its error and the batch goes on;
`retry_failed` does those again. BRIEFS/index.md links every brief with its title, source count and
disagreements; BRIEFS/batch.json holds status, timing and usage per event.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InvalidPathError, SummarizerError
from .files import write_atomically
from .models import Brief
from .pipeline import summarize, summarize_async
from .render import FORMATS, render_brief
from .settings import DEFAULTS, EngineChoice, LLMOptions, SimilarityName

__all__ = ["BatchResult", "batch", "event_folders"]

MANIFEST = "manifest.json"
# Bumped when what a brief is made from changes in a way the options do not show.
MANIFEST_VERSION = 1
Progress = Callable[[str], None]
# (events done in this run, events to do in this run, the event just done, its status)
Step = Callable[[int, int, str, str], None]


@dataclass
class BatchResult:
    """What a batch did: per event, its status ("done", "skipped", "failed"), and the counts."""

    events: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def failed(self) -> list[str]:
        return [name for name, entry in self.events.items() if entry["status"] == "failed"]


def event_folders(clusters: Path) -> dict[str, Path]:
    """The events to brief: those clusters.json lists, else every sub-folder but singletons/."""
    listing = clusters / "clusters.json"
    if listing.is_file():
        events = json.loads(listing.read_text(encoding="utf-8")).get("events", [])
        return {str(e["folder"]): clusters / str(e["folder"]) for e in events}
    return {p.name: p for p in sorted(clusters.iterdir()) if p.is_dir() and p.name != "singletons"
            and not p.name.startswith(".")}


def _key(folder: Path, options: dict[str, Any]) -> str:
    """What the brief is made of: the options and every file below the folder, path and bytes."""
    digest = hashlib.sha256(json.dumps({"version": MANIFEST_VERSION, **options}, sort_keys=True).encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def batch(clusters: str | Path, out: str | Path, *, output_format: str = "md",
          engine: EngineChoice = DEFAULTS.engine, max_tokens: int = DEFAULTS.max_tokens,
          similarity: SimilarityName = DEFAULTS.similarity, llm: LLMOptions | None = None,
          retry_failed: bool = False, workers: int | None = None, on_progress: Progress | None = None,
          on_step: Step | None = None) -> BatchResult:
    """Brief every event of `clusters` into `out`; skip what an earlier run finished. The offline
    engine runs `workers` processes (default: one per core). `on_progress` gets lines to show,
    `on_step` the counts after each event (for a progress bar)."""
    clusters, out = Path(clusters), Path(out)
    if not clusters.is_dir():
        raise InvalidPathError(f"{clusters}: not a folder; give the folder `summarize cluster` wrote")
    suffix = _suffix(output_format)
    report = on_progress or (lambda _message: None)
    events = event_folders(clusters)
    if not events:
        raise InvalidPathError(f"{clusters}: no event folders in it (and no clusters.json listing them)")
    out.mkdir(parents=True, exist_ok=True)
    # A run killed while writing leaves the temporary file of an atomic write: never a brief, removed.
    ours = {f"{name}{suffix}" for name in events} | {MANIFEST, "index.md", "batch.json"}
    for stale in out.glob(".*.tmp"):
        if stale.name[1:].rsplit(".", 2)[0] in ours:
            stale.unlink(missing_ok=True)
    manifest_path = out / MANIFEST
    manifest: dict[str, dict[str, Any]] = (json.loads(manifest_path.read_text(encoding="utf-8"))
                                           if manifest_path.is_file() else {})
    options = {"format": output_format, "engine": engine, "max_tokens": max_tokens, "similarity": similarity,
               "model": llm.model if llm else None}
    result = BatchResult()
    todo: dict[str, str] = {}  # event -> key, of the events to brief in this run
    for name, folder in events.items():
        key = _key(folder, options)
        previous = manifest.get(name, {})
        finished = previous.get("key") == key and (
            (previous.get("status") == "done" and (out / f"{name}{suffix}").is_file())
            or (previous.get("status") == "failed" and not retry_failed))
        if finished:
            result.events[name] = previous | {"status": "skipped" if previous["status"] == "done" else "failed"}
        else:
            todo[name] = key
    report(f"{len(events)} events: {len(events) - len(todo)} done before, {len(todo)} to brief")
    started = time.perf_counter()
    jobs = [(name, events[name], output_format, engine, max_tokens, similarity, llm) for name in todo]

    def record(name: str, entry: dict[str, Any], text: str | None) -> None:
        # The driver writes, both atomically: the manifest entry first, then the brief. Killed in
        # between, the next run finds the entry without its file and writes it then; the other
        # order would find a brief the manifest does not know and write it a second time.
        result.events[name] = manifest[name] = {"key": todo[name], **entry}
        write_atomically(manifest_path, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        if text is not None:
            write_atomically(out / f"{name}{suffix}", text)
        done = len(result.events) - (len(events) - len(todo))
        elapsed = time.perf_counter() - started
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = (len(todo) - done) / rate if rate > 0 else 0.0
        if on_step is not None:
            on_step(done, len(todo), name, entry["status"])
        report(f"{done}/{len(todo)} {name}: {entry['status']} ({rate:.1f} events/s, about {eta:.0f} s left)")

    _run(jobs, workers, record)
    _write_index(out, events, manifest, suffix)
    write_atomically(out / "batch.json", json.dumps({"events": result.events}, indent=2, ensure_ascii=False) + "\n")
    return result


Job = tuple[str, Path, str, EngineChoice, int, SimilarityName, "LLMOptions | None"]
# (event, what the manifest records, the rendered brief or None when it failed)
Outcome = tuple[str, dict[str, Any], "str | None"]
Record = Callable[[str, dict[str, Any], "str | None"], None]
# LLM events in progress at once; their requests are bounded by --concurrency whatever this is.
EVENTS_AT_ONCE = 16


def _run(jobs: list[Job], workers: int | None, record: Record) -> None:
    """Brief every job, handing each outcome to `record` as it completes: the offline engine in
    worker processes (CPU work), the LLM engine's events side by side in one event loop (their
    calls wait on the network and share the endpoint's --concurrency limit)."""
    if not jobs:
        return
    if jobs[0][3] != "extractive":
        asyncio.run(_run_side_by_side(jobs, record))
        return
    count = min(workers or os.cpu_count() or 1, len(jobs))
    if count <= 1:
        for job in jobs:
            record(*_brief_one(job))
        return
    with ProcessPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(_brief_one, job) for job in jobs]
        try:
            for future in as_completed(futures):
                record(*future.result())
        except BaseException:
            for future in futures:
                future.cancel()
            raise


async def _run_side_by_side(jobs: list[Job], record: Record) -> None:
    """LLM events at once, at most `EVENTS_AT_ONCE` of them holding their articles in memory; the
    requests of all of them are bounded together (engines/llm/client.py)."""
    room = asyncio.Semaphore(EVENTS_AT_ONCE)

    async def one(job: Job) -> Outcome:
        async with room:
            return await _brief_one_async(job)

    for finished in asyncio.as_completed([one(job) for job in jobs]):
        record(*await finished)


def _brief_one(job: Job) -> Outcome:
    """Brief one event: (name, what the manifest records, the rendered brief or None). An error is
    recorded, not raised, so the batch goes on."""
    name, folder, output_format, engine, max_tokens, similarity, llm = job
    started = time.perf_counter()
    try:
        brief = summarize([folder], engine=engine, max_tokens=max_tokens, similarity=similarity, llm=llm)
    except (SummarizerError, OSError) as exc:
        return _failed(name, exc, started)
    return _outcome(name, brief, output_format, started)


async def _brief_one_async(job: Job) -> Outcome:
    """`_brief_one` in the running event loop."""
    name, folder, output_format, engine, max_tokens, similarity, llm = job
    started = time.perf_counter()
    try:
        brief = await summarize_async([folder], engine=engine, max_tokens=max_tokens, similarity=similarity, llm=llm)
    except (SummarizerError, OSError) as exc:
        return _failed(name, exc, started)
    return _outcome(name, brief, output_format, started)


def _failed(name: str, exc: Exception, started: float) -> Outcome:
    return name, {"status": "failed", "error": str(exc), "seconds": round(time.perf_counter() - started, 3)}, None


def _outcome(name: str, brief: Brief, output_format: str, started: float) -> Outcome:
    entry = {"status": "done", "output": f"{name}{_suffix(output_format)}", "title": brief.title,
             "sources": len(brief.sources), "disagreements": len(brief.disagreements), "usage": brief.usage,
             "seconds": round(time.perf_counter() - started, 3)}
    return name, entry, render_brief(brief, output_format)


def _suffix(output_format: str) -> str:
    """The file suffix of a brief in `output_format` (the first of the format's suffixes)."""
    return next(f.suffixes[0] for f in FORMATS if f.name == output_format)


def _write_index(out: Path, events: dict[str, Path], manifest: dict[str, dict[str, Any]], suffix: str) -> None:
    lines = ["# Briefs", "", "| event | sources | disagreements | status |", "|---|---:|---:|---|"]
    for name in events:
        entry = manifest.get(name, {})
        if entry.get("status") == "done":
            title = str(entry.get("title", name)).replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")
            lines.append(f"| [{title}]({name}{suffix}) | {entry.get('sources', '')} | "
                         f"{entry.get('disagreements', '')} | done |")
        else:
            error = str(entry.get("error", "not done")).replace("|", "\\|")
            lines.append(f"| {name} | | | failed: {error} |")
    write_atomically(out / "index.md", "\n".join(lines) + "\n")
