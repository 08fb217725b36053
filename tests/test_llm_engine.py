"""The LLM engine's own plumbing: cancellation, fallbacks and the alignment safety net."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from fake_openai import FakeOpenAI, RecordedRequest, Reply, completion, smart_answer

from summarizer import LLMOptions, load_sources, summarize
from summarizer.engines.llm import gather_or_cancel
from summarizer.engines.llm_config import resolve_llm_config
from summarizer.tokens import count_tokens

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


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


def write_corpus(folder: Path, articles: int) -> list[Path]:
    """Distinct articles made of the seeds' sentences (distinct, so duplicates are not merged)."""
    pool = [sentence for source in load_sources([SEEDS]) for sentence in source.sentences]
    folder.mkdir()
    paths = []
    for number in range(articles):
        picked = [pool[(number * 7 + step * 11) % len(pool)] for step in range(14)]
        path = folder / f"article_{number:02d}.txt"
        path.write_text("\n\n".join(picked) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def shrinking_collapse(request: RecordedRequest) -> Reply:
    """A good model whose collapse really merges: at most two statements per batch."""
    answer = smart_answer(request)
    if request.stage == "collapse":
        answer["statements"] = answer["statements"][:2]
    return completion(answer)


def test_summaries_that_do_not_fit_are_collapsed_until_the_synthesis_fits(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", 12)
    options = LLMOptions(model="m", context_window=3072, use_cache=False, cache_dir=tmp_path / "cache")
    with FakeOpenAI(responder=shrinking_collapse) as fake:
        brief = summarize(corpus, engine="llm", llm=options.model_copy(update={"base_url": fake.url}))
        requests = list(fake.completions)
    config = resolve_llm_config(base_url="http://x/v1", context_window=3072, environ={})
    stages = [request.stage for request in requests]
    assert stages.count("collapse") >= 2
    synthesis = [request for request in requests if request.stage == "synthesis"]
    assert len(synthesis) == 1
    prompt = "\n".join(message["content"] for message in synthesis[0].messages)
    assert count_tokens(prompt) <= config.prompt_tokens
    assert brief.agreements and brief.per_source
    assert len(brief.sources) == 12
