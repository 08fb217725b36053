"""The `ray` executor: a batch's events on a Ray cluster (`pip install 'summarizer[ray]'`).

- The offline engine: one Ray task per event (a CPU each), at most two per CPU of the cluster
  submitted at a time, so that finished briefs do not pile up in the object store.
- The LLM engine: async actors, one per CPU, each briefing up to EVENTS_AT_ONCE events side by
  side; every request of every actor passes one gate actor, which holds the batch's limits on
  requests in flight, requests and tokens per minute, and its --max-cost budget
  (engines/llm/gate.py), so however many workers there are, the endpoint sees one client.
- Outcomes come back to the driver, which writes every file (batches/__init__.py): the workers read
  the articles (CLUSTERS/ at the same path on every node) and never BRIEFS/, so the manifest stays
  the driver's and a batch resumes as it does locally.

Ray starts a local instance when no address is given (about 3-7 s); `--ray-address auto` joins the
cluster this machine belongs to, `ray://HOST:10001` a remote one through Ray Client.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import os
import uuid
from collections.abc import Callable
from typing import Any

from ..engines.llm.gate import Gate, GateLimits, RequestGate, install_gate
from ..engines.llm.usage import PRICES_VARIABLE
from ..errors import BudgetExhaustedError, ConfigError
from ..files import CACHE_DIR_VARIABLE
from ..settings import LLMOptions, env_var_of
from .jobs import (
    EVENTS_AT_ONCE,
    EventJob,
    ExecutorOptions,
    Outcome,
    Record,
    Stopping,
    brief_one,
    brief_one_async,
    failed,
)

__all__ = ["run_on_ray"]

# Submitted tasks per CPU of the cluster: enough to keep every CPU busy while results come back.
TASKS_PER_CPU = 2
# How many times a dead briefer actor is started again before its events fail for good.
BRIEFER_RESTARTS = 3
# What a worker needs from the driver's environment to reach the same endpoint with the same model.
FORWARDED_ENVIRONMENT = tuple(filter(None, (env_var_of(LLMOptions, name) for name in ("model", "base_url", "api_key"))))
FORWARDED_ENVIRONMENT += (PRICES_VARIABLE, CACHE_DIR_VARIABLE)


def run_on_ray(jobs: list[EventJob], record: Record, stopping: Stopping, options: ExecutorOptions) -> None:
    """Brief the jobs on Ray; connect (or start a local instance) unless Ray is already initialised."""
    if not jobs:
        return
    # A worker on another node does not start in this shell's folder: it is given absolute paths.
    jobs = [dataclasses.replace(job, folder=job.folder.resolve()) for job in jobs]
    ray = _import_ray()
    started_here = not ray.is_initialized()
    if started_here:
        _connect(ray, options.ray_address)
    try:
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        if jobs[0].engine == "extractive":
            task = ray.remote(brief_one)
            _drain(ray, jobs, task.remote, TASKS_PER_CPU * cpus, record, stopping)
        else:
            _run_llm_events(ray, jobs, record, stopping, cpus)
    finally:
        if started_here:
            ray.shutdown()


def _run_llm_events(ray: Any, jobs: list[EventJob], record: Record, stopping: Stopping, cpus: int) -> None:
    """The LLM engine's events on briefer actors, one per CPU, every request through one gate actor."""
    # Named, so that the briefers find it by name: a handle given to their constructors would live
    # in the object store, which Ray warns a restarted actor may not find again.
    gate_name = f"summarizer-gate-{uuid.uuid4().hex}"
    gate = ray.remote(num_cpus=0)(GateActor).options(name=gate_name).remote(GateLimits.of(jobs[0].llm or LLMOptions()))
    # A briefer that dies (killed, out of memory) is started again for the events after; the ones it
    # held fail and are recorded so. The gate is not restarted: a new one would not know what was spent.
    briefers = [ray.remote(num_cpus=1, max_concurrency=EVENTS_AT_ONCE, max_restarts=BRIEFER_RESTARTS)(
        EventBriefer).remote(gate_name) for _ in range(cpus)]
    turns = itertools.cycle(briefers)
    try:
        _drain(ray, jobs, lambda job: next(turns).brief.remote(job), EVENTS_AT_ONCE * cpus, record, stopping)
    finally:  # on a cluster that outlives the batch, its actors must not
        for actor in (*briefers, gate):
            ray.kill(actor)


def _import_ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise ConfigError("--executor ray needs Ray: pip install 'summarizer[ray]' (or use --executor local)") from exc
    return ray


def _connect(ray: Any, address: str | None) -> None:
    """Join the cluster at `address`, or start one on this machine; the workers get the driver's
    endpoint settings (a remote node does not have this shell's environment)."""
    forwarded = {name: os.environ[name] for name in FORWARDED_ENVIRONMENT if os.environ.get(name)}
    try:
        ray.init(address=address, include_dashboard=False, runtime_env={"env_vars": forwarded},
                 # A local instance's start-up notices would drown the batch's progress.
                 logging_level=logging.WARNING if address else logging.ERROR)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        raise ConfigError(f"cannot start or reach {where} ({exc}); check --ray-address (auto, or ray://HOST:10001), "
                          "or leave it out to start Ray on this machine") from exc


def _drain(ray: Any, jobs: list[EventJob], submit: Callable[[EventJob], Any], at_once: int, record: Record,
           stopping: Stopping) -> None:
    """Keep `at_once` jobs submitted and record each outcome as it arrives."""
    waiting = iter(jobs)
    pending: dict[Any, EventJob] = {}

    def top_up() -> None:
        while len(pending) < at_once and not stopping():
            job = next(waiting, None)
            if job is None:
                return
            pending[submit(job)] = job

    top_up()
    while pending:
        ready, _ = ray.wait(list(pending), num_returns=1)
        job = pending.pop(ready[0])
        try:
            outcome: Outcome = ray.get(ready[0])
        except ray.exceptions.RayError as exc:  # the worker died (killed, out of memory): this event only
            outcome = failed(job.name, f"the Ray worker failed: {exc}")
        record(outcome)
        top_up()


class GateActor:
    """The cluster's one gate (run as a Ray actor): answers instead of raising, so that the proxy
    raises the package's own errors, not Ray's wrappers of them."""

    def __init__(self, limits: GateLimits) -> None:
        self._gate = RequestGate(limits)

    async def acquire(self, tokens: int, cost: float) -> tuple[str, str] | None:
        try:
            await self._gate.acquire(tokens, cost)
        except BudgetExhaustedError as exc:
            return "budget", str(exc)
        except ConfigError as exc:
            return "config", str(exc)
        return None

    async def release(self, reserved: float, spent: float) -> None:
        await self._gate.release(reserved, spent)


class ActorGate(Gate):
    """A worker's proxy to the gate actor."""

    def __init__(self, actor: Any) -> None:
        self._actor = actor

    async def acquire(self, tokens: int, cost: float) -> None:
        refused = await self._actor.acquire.remote(tokens, cost)
        if refused is not None:
            kind, message = refused
            raise (BudgetExhaustedError if kind == "budget" else ConfigError)(message)

    async def release(self, reserved: float, spent: float) -> None:
        await self._actor.release.remote(reserved, spent)


class EventBriefer:
    """Briefs LLM events side by side in its event loop (run as an async Ray actor)."""

    def __init__(self, gate_name: str) -> None:
        import ray

        install_gate(ActorGate(ray.get_actor(gate_name)))

    async def brief(self, job: EventJob) -> Outcome:
        return await brief_one_async(job)
