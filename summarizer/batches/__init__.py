"""`summarize batch CLUSTERS/ --out BRIEFS/`: one brief per event folder, resumable.

The events are the folders listed by CLUSTERS/clusters.json (as `summarize cluster` writes it),
else every sub-folder of CLUSTERS/ but `singletons`. Each is briefed into BRIEFS/<name>.<format>.

Resumable: BRIEFS/manifest.json records, per event, a key (the sha256 of the options and of every
input file's path and bytes) and the outcome, and is rewritten atomically as each event ends, just
before its brief is written (atomically too). Run the same command again, after a crash or a `kill -9`, and
events whose key and brief are still there are skipped, changed ones are done again, and no brief
is ever half written. An event that fails is recorded with its error and the batch goes on;
`retry_failed` does those again. When the LLM engine's --max-cost budget is reached, the events not
done are recorded as stopped and the next run does them. BRIEFS/index.md (index.html for HTML
briefs) links every brief with its title, source count and disagreements; BRIEFS/batch.json holds
status, timing and usage per event, and the run's totals (events by status, calls, estimated cost).

Where the events are briefed is the executor's business (`EXECUTORS`: local processes, or Ray); the
driver here writes every file, whichever runs them.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import ConfigError, InvalidPathError
from ..files import write_atomically
from ..models import ClusterListing
from ..render import DEFAULT_FORMAT
from ..render.batch_index import IndexRow, index_name, render_index
from ..settings import DEFAULTS, EngineChoice, LLMOptions, Settings, SimilarityName
from ..text.plural import counted
from .jobs import EventJob, Executor, ExecutorOptions, Outcome, Record, Stopping, brief_suffix, stopped
from .local import run_locally

__all__ = ["EXECUTORS", "BatchResult", "batch", "event_folders"]

MANIFEST = "manifest.json"
# Bumped when what a brief is made from changes in a way the options do not show.
MANIFEST_VERSION = 1
Progress = Callable[[str], None]
# (events done in this run, events to do in this run, the event just done, its status)
Step = Callable[[int, int, str, str], None]


def _run_on_ray(jobs: list[EventJob], record: Record, stopping: Stopping, options: ExecutorOptions) -> None:
    # Ray is imported only when asked for (`pip install 'summarizer[ray]'`).
    from .ray_executor import run_on_ray

    run_on_ray(jobs, record, stopping, options)


# --executor: where the events are briefed.
EXECUTORS: dict[str, Executor] = {"local": run_locally, "ray": _run_on_ray}


@dataclass
class BatchResult:
    """What a batch did: per event, its status ("done", "skipped", "failed", "stopped")."""

    events: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def failed(self) -> list[str]:
        return [name for name, entry in self.events.items() if entry["status"] == "failed"]

    @property
    def stopped(self) -> list[str]:
        """Events left for the next run because the --max-cost budget was reached."""
        return [name for name, entry in self.events.items() if entry["status"] == "stopped"]

    @property
    def totals(self) -> dict[str, Any]:
        """Events by status, and what the events briefed in this run spent (LLM calls and estimated
        USD; None where the model's price is unknown). Events briefed by an earlier run are skipped
        here, so their spending is not counted again."""
        statuses = Counter(entry["status"] for entry in self.events.values())
        usages = [entry.get("usage") or {} for entry in self.events.values() if entry["status"] == "done"]
        costs = [usage.get("cost_usd") for usage in usages if usage.get("calls")]
        priced = [float(cost) for cost in costs if cost is not None]
        return {**{status: statuses.get(status, 0) for status in ("done", "skipped", "failed", "stopped")},
                "calls": sum(int(usage.get("calls", 0)) for usage in usages),
                "cost_usd": round(sum(priced), 6) if priced and len(priced) == len(costs) else None}


def event_folders(clusters: Path) -> dict[str, Path]:
    """The events to brief: those clusters.json lists, else every sub-folder but singletons/; an
    InvalidPathError when there is none."""
    listing = clusters / "clusters.json"
    if listing.is_file():
        listed = read_listing(listing)
        if not listed.events:
            raise InvalidPathError(f"{listing}: lists no event of two or more articles ({len(listed.singletons)} "
                                   "alone, in singletons/): nothing to brief")
        return {event.folder: clusters / event.folder for event in listed.events}
    folders = {p.name: p for p in sorted(clusters.iterdir()) if p.is_dir() and p.name != "singletons"
               and not p.name.startswith(".")}
    if not folders:
        raise InvalidPathError(f"{clusters}: no event folders in it (and no clusters.json listing them)")
    return folders


def read_listing(listing: Path) -> ClusterListing:
    """clusters.json as `summarize cluster` wrote it; an InvalidPathError that names what is wrong."""
    fix = "write it again with `summarize cluster`, or remove it to brief every sub-folder"
    try:
        return ClusterListing.model_validate_json(listing.read_bytes())
    except OSError as exc:
        raise InvalidPathError(f"{listing}: cannot read it ({exc.strerror or exc})") from exc
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        problem = "not valid JSON" if error["type"] == "json_invalid" else f"{where}: {message}"
        raise InvalidPathError(f"{listing}: {problem}; {fix}") from exc


def _key(folder: Path, options: dict[str, Any]) -> str:
    """What the brief is made of: the options and every file below the folder, path and bytes."""
    digest = hashlib.sha256(json.dumps({"version": MANIFEST_VERSION, **options}, sort_keys=True).encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def batch(clusters: str | Path, out: str | Path, *, output_format: str = DEFAULT_FORMAT,
          engine: EngineChoice = DEFAULTS.engine, max_tokens: int = DEFAULTS.max_tokens,
          similarity: SimilarityName = DEFAULTS.similarity, llm: LLMOptions | None = None,
          retry_failed: bool = False, workers: int | None = DEFAULTS.workers, executor: str = "local",
          ray_address: str | None = None, on_progress: Progress | None = None,
          on_step: Step | None = None) -> BatchResult:
    """Brief every event of `clusters` into `out`; skip what an earlier run finished.

    `executor` is a name of EXECUTORS: "local" runs the offline engine in `workers` processes
    (default: one per core), "ray" runs the events on the Ray cluster at `ray_address` (default: a
    local instance started for the batch). The LLM engine's limits (`llm.concurrency`,
    `requests_per_minute`, `tokens_per_minute`) hold for all the events together, and
    `llm.max_cost` stops the batch before its spending could cross it. `on_progress` gets lines to
    show, `on_step` the counts after each event (for a progress bar)."""
    clusters, out = Path(clusters), Path(out)
    Settings(max_tokens=max_tokens, similarity=similarity, workers=workers)  # a ConfigError naming it
    if executor not in EXECUTORS:
        raise ConfigError(f"unknown executor {executor!r}: use one of {', '.join(EXECUTORS)}")
    if llm is not None and llm.max_cost is not None and engine != "extractive":
        _check_budget_priced(llm)
    if not clusters.is_dir():
        raise InvalidPathError(f"{clusters}: not a folder; give the folder `summarize cluster` wrote")
    suffix = brief_suffix(output_format)
    report = on_progress or (lambda _message: None)
    events = event_folders(clusters)
    out.mkdir(parents=True, exist_ok=True)
    # A run killed while writing leaves the temporary file of an atomic write: never a brief, removed.
    ours = {f"{name}{suffix}" for name in events} | {MANIFEST, index_name(output_format), "batch.json"}
    for stale in out.glob(".*.tmp"):
        if stale.name[1:].rsplit(".", 2)[0] in ours:
            stale.unlink(missing_ok=True)
    manifest_path = out / MANIFEST
    manifest = _read_manifest(manifest_path)
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
    report(f"{counted(len(events), 'event')}: {len(events) - len(todo)} done before, "
           f"{len(todo)} to brief")
    started = time.perf_counter()
    jobs = [EventJob(name, events[name], output_format, engine, max_tokens, similarity, llm) for name in todo]
    budget_reached = False

    def record(outcome: Outcome) -> None:
        # The driver writes, both atomically: the manifest entry first, then the brief. Killed in
        # between, the next run finds the entry without its file and writes it then; the other
        # order would find a brief the manifest does not know and write it a second time.
        nonlocal budget_reached
        name, entry = outcome.name, outcome.entry
        budget_reached = budget_reached or entry["status"] == "stopped"
        result.events[name] = manifest[name] = {"key": todo[name], **entry}
        write_atomically(manifest_path, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        if outcome.text is not None:
            write_atomically(out / f"{name}{suffix}", outcome.text)
        done = len(result.events) - (len(events) - len(todo))
        elapsed = time.perf_counter() - started
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = (len(todo) - done) / rate if rate > 0 else 0.0
        if on_step is not None:
            on_step(done, len(todo), name, entry["status"])
        report(f"{done}/{len(todo)} {name}: {entry['status']} ({rate:.1f} events/s, about {eta:.0f} s left)")

    EXECUTORS[executor](jobs, record, lambda: budget_reached, ExecutorOptions(workers=workers, ray_address=ray_address))
    for name in todo:  # not started once the budget was reached: the next run does them
        if name not in result.events:
            record(stopped(name, "not started: the --max-cost budget was reached"))
    _write_index(out, events, manifest, output_format)
    write_atomically(out / "batch.json", json.dumps({"events": result.events, "totals": result.totals}, indent=2,
                                                    ensure_ascii=False) + "\n")
    return result


def _read_manifest(path: Path) -> dict[str, dict[str, Any]]:
    """BRIEFS/manifest.json, what earlier runs finished (empty before the first). Written atomically
    by the batch, it is damaged only by a hand or a disk: named as such, since going on without it
    would brief every event again over the briefs there."""
    if not path.is_file():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidPathError(f"{path}: damaged, it cannot be read ({exc}); remove it and the same command "
                               "briefs every event again") from exc
    if not isinstance(manifest, dict) or not all(isinstance(entry, dict) for entry in manifest.values()):
        raise InvalidPathError(f"{path}: damaged, it is not the batch's record of events; remove it and the same "
                               "command briefs every event again")
    return manifest


def _check_budget_priced(llm: LLMOptions) -> None:
    """A budget needs the model's price: refused before any event, not once per event."""
    from ..engines.llm.config import resolve_llm_config
    from ..engines.llm.usage import require_price

    try:
        model = resolve_llm_config(llm).model
    except ConfigError:
        return  # no endpoint: `auto` briefs offline, and `llm` fails each event with the reason
    require_price(model)


def _write_index(out: Path, events: dict[str, Path], manifest: dict[str, dict[str, Any]], output_format: str) -> None:
    """BRIEFS/index.md (index.html for HTML briefs): every event, linked to its brief when it has one."""
    rows = []
    for name in events:
        entry = manifest.get(name, {})
        if entry.get("status") == "done":
            rows.append(IndexRow(event=name, status="done", brief=str(entry.get("output")), title=entry.get("title"),
                                 sources=entry.get("sources"), disagreements=entry.get("disagreements")))
        else:
            rows.append(IndexRow(event=name, status=str(entry.get("status", "failed")), error=entry.get("error")))
    write_atomically(out / index_name(output_format), render_index(rows, output_format))
