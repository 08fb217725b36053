"""One event's brief, as any executor runs it: in this process, a worker process or a Ray worker;
and what every executor is given.

A job carries only plain, picklable values (the folder's path and the options), and its outcome is
the manifest entry plus the rendered brief: the driver writes every file, so workers need no
access to BRIEFS/.

An executor (`batches.EXECUTORS`) runs jobs and hands each outcome to `record` as it completes. It
asks `stopping()` before it starts an event: once the --max-cost budget is reached, the events not
yet started are left for the next run instead of each loading its articles only to be refused.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BudgetExhaustedError, SummarizerError
from ..models import Brief
from ..pipeline import summarize_async
from ..render import format_named, render_brief
from ..settings import EngineChoice, LLMOptions, SimilarityName

__all__ = ["EVENTS_AT_ONCE", "EventJob", "Executor", "ExecutorOptions", "Outcome", "Record", "Stopping", "brief_one",
           "brief_one_async", "brief_suffix", "failed", "stopped"]

# LLM events in progress at once per event loop; their requests are bounded by the gate whatever this is.
EVENTS_AT_ONCE = 16


@dataclass(frozen=True)
class EventJob:
    """Brief the articles of `folder` as `name` with these options."""

    name: str
    folder: Path
    output_format: str
    engine: EngineChoice
    max_tokens: int
    similarity: SimilarityName
    llm: LLMOptions | None


@dataclass(frozen=True)
class Outcome:
    """What became of one event: its manifest entry, and the rendered brief when it was made."""

    name: str
    entry: dict[str, Any]
    text: str | None


Record = Callable[[Outcome], None]
Stopping = Callable[[], bool]


@dataclass(frozen=True)
class ExecutorOptions:
    """What the executors are told besides the jobs."""

    workers: int | None = None  # processes of the local executor (default: one per core)
    ray_address: str | None = None  # None starts a Ray instance on this machine for the batch


Executor = Callable[[list[EventJob], Record, Stopping, ExecutorOptions], None]


def brief_one(job: EventJob) -> Outcome:
    """Brief one event (in a worker process or a Ray task, where no event loop runs)."""
    return asyncio.run(brief_one_async(job))


async def brief_one_async(job: EventJob) -> Outcome:
    """Brief one event in the running event loop (the LLM engine's events, side by side). Its
    errors are recorded, not raised, so the batch goes on."""
    started = time.perf_counter()
    try:
        brief = await summarize_async([job.folder], engine=job.engine, max_tokens=job.max_tokens,
                                      similarity=job.similarity, llm=job.llm)
    except (SummarizerError, OSError) as exc:
        return _not_done(job.name, exc, started)
    return _done(job, brief, started)


def _not_done(name: str, exc: SummarizerError | OSError, started: float) -> Outcome:
    """A budget reached stops the event for the next run; any other error fails it."""
    return (stopped if isinstance(exc, BudgetExhaustedError) else failed)(name, str(exc), started)


def failed(name: str, error: str, started: float | None = None) -> Outcome:
    """An event that could not be briefed; `--retry-failed` does it again."""
    return Outcome(name, {"status": "failed", "error": error, **_seconds(started)}, None)


def stopped(name: str, reason: str, started: float | None = None) -> Outcome:
    """An event left for the next run: the budget was reached before it was done."""
    return Outcome(name, {"status": "stopped", "error": reason, **_seconds(started)}, None)


def _seconds(started: float | None) -> dict[str, float]:
    return {} if started is None else {"seconds": round(time.perf_counter() - started, 3)}


def _done(job: EventJob, brief: Brief, started: float) -> Outcome:
    entry = {"status": "done", "output": f"{job.name}{brief_suffix(job.output_format)}", "title": brief.title,
             "sources": len(brief.sources), "disagreements": len(brief.disagreements), "usage": brief.usage,
             **_seconds(started)}
    return Outcome(job.name, entry, render_brief(brief, job.output_format))


def brief_suffix(output_format: str) -> str:
    """The file suffix of a brief in `output_format` (the first of the format's suffixes)."""
    return format_named(output_format).suffixes[0]
