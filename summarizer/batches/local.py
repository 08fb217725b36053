"""The `local` executor: the offline engine in worker processes (CPU work, one per core); the LLM
engine's events side by side in one event loop, all their requests through one gate
(engines/llm/gate.py), so that however many events are in flight the endpoint's limits hold.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

from .jobs import EVENTS_AT_ONCE, EventJob, ExecutorOptions, Outcome, Record, Stopping, brief_one, brief_one_async

__all__ = ["run_locally"]


def run_locally(jobs: list[EventJob], record: Record, stopping: Stopping, options: ExecutorOptions) -> None:
    """The offline engine in worker processes; the LLM engine's events side by side in one loop."""
    if not jobs:
        return
    if jobs[0].engine != "extractive":
        asyncio.run(_run_side_by_side(jobs, record, stopping))
        return
    count = min(options.workers or os.cpu_count() or 1, len(jobs))
    if count <= 1:
        for job in jobs:
            record(brief_one(job))
        return
    # The offline engine makes no call, so no budget can stop it: every job is submitted at once.
    with ProcessPoolExecutor(max_workers=count, initializer=_exit_with_parent) as pool:
        futures = [pool.submit(brief_one, job) for job in jobs]
        try:
            for future in as_completed(futures):
                record(future.result())
        except BaseException:
            for future in futures:
                future.cancel()
            raise


async def _run_side_by_side(jobs: list[EventJob], record: Record, stopping: Stopping) -> None:
    """LLM events at once, at most `EVENTS_AT_ONCE` of them holding their articles in memory."""
    room = asyncio.Semaphore(EVENTS_AT_ONCE)
    refused = False  # seen here at once; the driver sees it only when the outcome is recorded

    async def one(job: EventJob) -> Outcome | None:
        nonlocal refused
        async with room:
            if refused or stopping():
                return None
            outcome = await brief_one_async(job)
            refused = refused or outcome.entry["status"] == "stopped"
            return outcome

    # Tasks made in the jobs' order take the room in that order (as_completed would start
    # bare coroutines in the order of a set).
    tasks = [asyncio.ensure_future(one(job)) for job in jobs]
    for finished in asyncio.as_completed(tasks):
        outcome = await finished
        if outcome is not None:
            record(outcome)


def _exit_with_parent() -> None:
    """Worker initializer: leave when the process that started this worker is gone (the batch, or
    the fork server that starts workers for it). A `kill -9` of the batch gives it no chance to stop
    its pool, and the workers, each holding the other end of the pool's pipes, would otherwise wait
    on them for ever."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


# How often a worker looks for its parent.
PARENT_CHECK_S = 0.5
