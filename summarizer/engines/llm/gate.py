"""The gate every request to an endpoint passes: a slot among --concurrency, room in the
requests-per-minute and tokens-per-minute windows, and room in the --max-cost budget.

One gate per endpoint and run, not per engine: the events of a batch run side by side, each with an
engine of its own, and together must stay within the endpoint's limits and the run's budget. In one
process the gate lives with the event loop (`gate_for`); on a Ray cluster one actor holds it and
every worker reaches it through a proxy it installs with `install_gate` (batches/ray_executor.py).

The windows count what was started in the last 60 s, as the endpoints publish their limits: a
request's tokens are its prompt plus its answer budget (what OpenAI counts against the limit when
the request arrives). The budget is checked before each call with that call's worst case (the whole
answer budget at the output price) on top of what was spent and what is in flight, so it is never
crossed; once a call is refused, every later one is too, and the run stops cleanly.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from ...errors import BudgetExhaustedError, ConfigError
from ...settings import LLMOptions
from .config import LLMConfig

__all__ = ["Gate", "GateLimits", "Pass", "RequestGate", "gate_for", "install_gate"]

# The window the per-minute limits are counted over, in seconds.
WINDOW_S = 60.0


@dataclass(frozen=True)
class GateLimits:
    """What the gate enforces; None is no limit."""

    concurrency: int
    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None
    max_cost: float | None = None

    @classmethod
    def of(cls, config: LLMConfig | LLMOptions) -> GateLimits:
        return cls(concurrency=config.concurrency, requests_per_minute=config.requests_per_minute,
                   tokens_per_minute=config.tokens_per_minute, max_cost=config.max_cost)

    @property
    def counts_tokens(self) -> bool:
        """Whether a request's tokens and cost must be estimated before it goes out."""
        return self.tokens_per_minute is not None or self.max_cost is not None


@dataclass
class Pass:
    """Held while one request is out; the holder sets `cost` to what the request cost (USD)."""

    cost: float = 0.0


class Gate(ABC):
    """Where a request waits for its turn."""

    @asynccontextmanager
    async def request(self, *, tokens: int, cost: float) -> AsyncIterator[Pass]:
        """`async with gate.request(tokens=..., cost=...) as held:` around one request; `tokens` and
        `cost` are its worst case (prompt plus answer budget). Raises BudgetExhaustedError, without
        waiting, when the call could cross the budget."""
        await self.acquire(tokens, cost)
        held = Pass()
        try:
            yield held
        finally:
            await self.release(cost, held.cost)

    @abstractmethod
    async def acquire(self, tokens: int, cost: float) -> None:
        """Wait for a slot and room in the windows, then reserve `cost` of the budget."""

    @abstractmethod
    async def release(self, reserved: float, spent: float) -> None:
        """The request is back: free its slot and replace its reserved cost with what it spent."""


class RequestGate(Gate):
    """The gate of one event loop: a semaphore, a deque of the last minute's starts, a budget."""

    def __init__(self, limits: GateLimits, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        self.limits = limits
        self._clock = clock
        self._sleep = sleep
        self._slots = asyncio.Semaphore(limits.concurrency)
        self._started: deque[tuple[float, int]] = deque()  # (when, tokens) of the window's requests
        self._window_tokens = 0
        self.spent = 0.0
        self._in_flight_cost = 0.0
        self._refused: str | None = None

    async def acquire(self, tokens: int, cost: float) -> None:
        self._check_budget(cost)  # fail at once, not after waiting in the queue
        limit = self.limits.tokens_per_minute
        if limit is not None and tokens > limit:
            raise ConfigError(f"one request needs {tokens} tokens (prompt and answer budget), more than "
                              f"--tokens-per-minute {limit} allows; raise it, or lower --context-window")
        await self._slots.acquire()
        try:
            await self._wait_for_room(tokens)
            self._check_budget(cost)  # again: calls that went out while this one waited count now
        except BaseException:
            self._slots.release()
            raise
        self._in_flight_cost += cost

    async def release(self, reserved: float, spent: float) -> None:
        self._in_flight_cost -= reserved
        self.spent += spent
        self._slots.release()

    def _check_budget(self, cost: float) -> None:
        budget = self.limits.max_cost
        if budget is None:
            return
        if self._refused is None and self.spent + self._in_flight_cost + cost > budget:
            self._refused = (f"the --max-cost budget of ${budget:g} would be crossed: ${self.spent:.4f} spent, "
                             f"${self._in_flight_cost:.4f} in flight, and the next call may cost up to ${cost:.4f}")
        if self._refused is not None:
            raise BudgetExhaustedError(self._refused)

    async def _wait_for_room(self, tokens: int) -> None:
        """Until the last minute's starts leave room for one more request of `tokens`, then count it."""
        rpm, tpm = self.limits.requests_per_minute, self.limits.tokens_per_minute
        while True:
            now = self._clock()
            while self._started and self._started[0][0] <= now - WINDOW_S:
                self._window_tokens -= self._started.popleft()[1]
            if (rpm is None or len(self._started) < rpm) and (tpm is None or self._window_tokens + tokens <= tpm):
                self._started.append((now, tokens))
                self._window_tokens += tokens
                return
            # Nothing awaited between the check and the count above, so no other request slips in.
            await self._sleep(self._started[0][0] + WINDOW_S - now)


# The gates of each event loop, by endpoint and limits; a Ray worker installs its proxy instead.
_GATES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[str, GateLimits], RequestGate]] = (
    weakref.WeakKeyDictionary())
_installed: Gate | None = None


def gate_for(config: LLMConfig) -> Gate:
    """The gate requests to this endpoint pass in the running loop (or the one installed)."""
    if _installed is not None:
        return _installed
    per_loop = _GATES.setdefault(asyncio.get_running_loop(), {})
    key = (config.endpoint, GateLimits.of(config))
    if key not in per_loop:
        per_loop[key] = RequestGate(key[1])
    return per_loop[key]


def install_gate(gate: Gate | None) -> None:
    """From now on every request of this process passes `gate` (a Ray worker's proxy to the
    cluster's one gate); None goes back to a gate per event loop. Process-wide, not scoped to a
    block: a worker's events run side by side in one loop and must all keep it."""
    global _installed
    _installed = gate
