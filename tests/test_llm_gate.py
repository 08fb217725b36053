"""The gate every LLM request passes (issue 10): requests in flight, requests and tokens per minute,
and the --max-cost budget, shared by every engine of a run."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from fake_openai import FakeOpenAI
from sample_feed import STORM

import summarizer.engines.llm.gate as gating
from summarizer import BudgetExhaustedError, ConfigError, LLMOptions, summarize
from summarizer.engines.llm.gate import GateLimits, RequestGate


class FakeClock:
    """Time that moves only when the gate sleeps: a minute's window is tested in no time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


def _starts(limits: GateLimits, requests: list[int], clock: FakeClock) -> list[float]:
    """When each request of `tokens` got through the gate (requests made one after another)."""

    async def go() -> list[float]:
        gate = RequestGate(limits, clock=clock, sleep=clock.sleep)
        times = []
        for tokens in requests:
            async with gate.request(tokens=tokens, cost=0.0):
                times.append(clock.now)
        return times

    return asyncio.run(go())


def test_requests_per_minute_hold_the_next_request_until_the_oldest_leaves_the_window() -> None:
    clock = FakeClock()
    starts = _starts(GateLimits(concurrency=8, requests_per_minute=3), [1] * 7, clock)
    assert starts == [0.0, 0.0, 0.0, 60.0, 60.0, 60.0, 120.0]


def test_tokens_per_minute_count_prompt_and_answer_budget_of_the_window() -> None:
    clock = FakeClock()
    starts = _starts(GateLimits(concurrency=8, tokens_per_minute=1000), [400, 400, 400, 100, 900], clock)
    # 800 in the window leave no room for 400 more; at 60 s the first two leave; 400 + 100 + 900 > 1000.
    assert starts == [0.0, 0.0, 60.0, 60.0, 120.0]


def test_a_request_larger_than_the_token_limit_is_refused_with_what_to_change() -> None:
    with pytest.raises(ConfigError, match="--tokens-per-minute 500"):
        _starts(GateLimits(concurrency=1, tokens_per_minute=500), [600], FakeClock())


def test_requests_in_flight_never_exceed_the_concurrency() -> None:
    async def go() -> int:
        gate = RequestGate(GateLimits(concurrency=3))
        out = peak = 0

        async def one() -> None:
            nonlocal out, peak
            async with gate.request(tokens=0, cost=0.0):
                out += 1
                peak = max(peak, out)
                await asyncio.sleep(0.01)
                out -= 1

        await asyncio.gather(*(one() for _ in range(20)))
        return peak

    assert asyncio.run(go()) == 3


def test_the_budget_refuses_the_call_that_could_cross_it_and_every_call_after() -> None:
    async def go() -> tuple[list[float], float, str]:
        gate = RequestGate(GateLimits(concurrency=4, max_cost=1.0))
        spent = []
        try:
            for _ in range(5):
                async with gate.request(tokens=0, cost=0.4) as held:
                    held.cost = 0.3  # what it really cost: less than its worst case
                spent.append(gate.spent)
        except BudgetExhaustedError as exc:
            refused = str(exc)
        with pytest.raises(BudgetExhaustedError):
            async with gate.request(tokens=0, cost=0.0001):
                pass  # a call small enough to fit is refused too: the stop is clean
        return spent, gate.spent, refused

    spent, total, refused = asyncio.run(go())
    # 0.6 spent + 0.4 worst case = 1.0 fits; 0.9 + 0.4 does not.
    assert spent == pytest.approx([0.3, 0.6, 0.9]) and total == pytest.approx(0.9)
    assert "$1 would be crossed" in refused and "$0.9000 spent" in refused


def test_the_budget_counts_calls_in_flight_at_their_worst_case() -> None:
    async def go() -> list[str]:
        gate = RequestGate(GateLimits(concurrency=4, max_cost=1.0))
        outcomes = []

        async def one() -> None:
            try:
                async with gate.request(tokens=0, cost=0.6) as held:
                    await asyncio.sleep(0.01)
                    held.cost = 0.1
                outcomes.append("sent")
            except BudgetExhaustedError:
                outcomes.append("refused")

        await asyncio.gather(one(), one())
        return outcomes

    assert sorted(asyncio.run(go())) == ["refused", "sent"]


def _storm(folder: Path) -> Path:
    folder.mkdir()
    for k, text in enumerate(STORM):
        (folder / f"storm-{k}.txt").write_text(text + "\n", encoding="utf-8")
    return folder


@pytest.mark.usefixtures("every_report_asked")  # the storm reports are three sentences each
def test_a_run_keeps_within_the_requests_per_minute_counted_at_the_server(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gating, "WINDOW_S", 0.5)  # "per minute" over half a second, to keep the test short
    with FakeOpenAI() as fake:
        llm = LLMOptions(base_url=fake.url, model="fake-model", requests_per_minute=2, use_cache=False,
                         request_timeout=5.0)
        brief = summarize([_storm(tmp_path / "storm")], engine="llm", llm=llm)
    starts = [r.received_at for r in fake.completions]
    assert brief.engine == "llm" and len(starts) >= 4
    # No three requests within one window: the third waits for the first to leave it.
    assert all(later - earlier >= 0.45 for earlier, later in zip(starts, starts[2:]))


@pytest.mark.usefixtures("every_report_asked")  # the storm reports are three sentences each
def test_max_cost_stops_the_run_before_the_budget_is_crossed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"fake-model": {"input": 1.0, "output": 1.0}}), encoding="utf-8")
    monkeypatch.setenv("SUMMARIZER_PRICES", str(prices))
    storm = _storm(tmp_path / "storm")
    with FakeOpenAI() as fake:
        llm = LLMOptions(base_url=fake.url, model="fake-model", use_cache=False, max_cost=0.005)
        with pytest.raises(BudgetExhaustedError, match=r"--max-cost budget of \$0.005"):
            summarize([storm], engine="llm", llm=llm)
        # Each call may cost up to (prompt + 2,048 answer tokens) at $1 per million, about $0.003:
        # the three chunk calls go out together, and the second already does not fit.
        assert len(fake.completions) <= 1
        fake.reset()
        brief = summarize([storm], engine="llm", llm=llm.model_copy(update={"max_cost": 0.02}))
    assert brief.engine == "llm" and 0 < brief.usage["cost_usd"] <= 0.02


def test_max_cost_with_a_model_of_unknown_price_is_refused_before_any_call(tmp_path: Path) -> None:
    with FakeOpenAI() as fake:
        llm = LLMOptions(base_url=fake.url, model="no-such-price", use_cache=False, max_cost=1.0)
        with pytest.raises(ConfigError, match="SUMMARIZER_PRICES"):
            summarize([_storm(tmp_path / "storm")], engine="llm", llm=llm)
        assert fake.completions == []
