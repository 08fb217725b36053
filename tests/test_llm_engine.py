"""The LLM engine's own plumbing: cancellation, fallbacks and the alignment safety net."""

from __future__ import annotations

import asyncio

import pytest

from summarizer.engines.llm import gather_or_cancel


def test_gather_or_cancel_keeps_order_and_cancels_the_rest_on_failure() -> None:
    cancelled: list[str] = []

    async def slow(name: str) -> str:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.append(name)
            raise
        return name

    async def fail() -> str:
        await asyncio.sleep(0)
        raise RuntimeError("key revoked")

    async def fast(name: str) -> str:
        return name

    assert asyncio.run(gather_or_cancel([fast("a"), fast("b")])) == ["a", "b"]
    with pytest.raises(RuntimeError, match="key revoked"):
        asyncio.run(gather_or_cancel([slow("x"), fail(), slow("y")]))
    assert sorted(cancelled) == ["x", "y"]
