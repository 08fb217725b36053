"""The LLM engine at the limits of the model and the endpoint (issue 7): prompts that never exceed
the context window, a refused prompt that falls back instead of crashing, a Retry-After too long to
wait for, a dead endpoint under `--engine auto`, and a header that says who wrote the brief."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fake_openai import (
    FakeOpenAI,
    RecordedRequest,
    Reply,
    api_error,
    completion,
    rate_limited,
    server_error,
    smart_reply,
)

from summarizer import (
    LLMOptions,
    RateLimitedError,
    ServerFailedError,
    load_sources,
    render_brief,
    summarize,
)
from summarizer.cli import main
from summarizer.engines.llm import client as llm_client
from summarizer.engines.llm import constants
from summarizer.engines.llm.config import resolve_llm_config
from summarizer.text.tokens import count_tokens

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ARTICLE = ("GENEVA (Reuters) - Negotiators from twelve countries agreed on Tuesday to cut fishing quotas in the "
           "North Atlantic by 15 percent. The deal still needs the approval of each parliament, officials said.\n")


# Retry waits of milliseconds, for every test here (the fixture is in conftest.py).
# ... and every report asked of the model, however short (these reports are a few sentences).
pytestmark = pytest.mark.usefixtures("fast_retries", "every_report_asked")


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "reuters.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def options(fake: FakeOpenAI, tmp_path: Path, **overrides: Any) -> LLMOptions:
    values: dict[str, Any] = {"base_url": fake.url, "model": "fake-model", "use_cache": False,
                              "cache_dir": tmp_path / "cache", "request_timeout": 5.0, "concurrency": 4}
    return LLMOptions(**(values | overrides))


def prompt_tokens(request: RecordedRequest) -> int:
    return count_tokens("\n".join(str(m["content"]) for m in request.messages))


def model_with_window(window: int) -> Any:
    """A responder that refuses, as OpenAI and vLLM do, a prompt and answer longer than `window`."""
    def respond(request: RecordedRequest) -> Reply:
        asked = prompt_tokens(request) + int(request.body.get("max_tokens") or 0)
        if asked > window:
            return api_error(400, f"This model's maximum context length is {window} tokens. However, you "
                                  f"requested {asked} tokens. Please reduce the length of the messages.",
                             code="context_length_exceeded", param="messages")
        return smart_reply(request)
    return respond


def long_article(tmp_path: Path, copies: int) -> Path:
    """One article of the seeds' sentences, `copies` times over with the copies told apart (~5,000
    tokens a copy)."""
    pool = [sentence for source in load_sources([SEEDS]) for sentence in source.sentences]
    paragraphs = [f"{sentence} (Part {copy + 1}.)" for copy in range(copies) for sentence in pool]
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


# --- prompts that fit the window --------------------------------------------------------------------


@pytest.mark.parametrize(("window", "copies"), [(2048, 2), (8192, 4)])
def test_a_long_article_never_sends_a_prompt_longer_than_the_window(window: int, copies: int, fake: FakeOpenAI,
                                                                    tmp_path: Path) -> None:
    fake.responder = model_with_window(window)
    article = long_article(tmp_path, copies)
    assert article.stat().st_size > 40_000

    brief = summarize(article, engine="llm", llm=options(fake, tmp_path, context_window=window, concurrency=8))

    refused = [r for r in fake.completions if prompt_tokens(r) + int(r.body["max_tokens"]) > window]
    assert refused == []
    assert not [w for w in brief.warnings if "used the extractive summary" in w]
    assert fake.by_stage("source_summary"), "a source of many chunks is reduced"
    config = resolve_llm_config(options(fake, tmp_path, context_window=window), environ={})
    assert max(prompt_tokens(r) for r in fake.completions) <= config.prompt_tokens


def test_a_prompt_the_model_refuses_as_too_long_falls_back_per_source(tmp_path: Path, fake: FakeOpenAI) -> None:
    # The server's real window is smaller than the --context-window the user claimed.
    fake.responder = model_with_window(2048)
    article = long_article(tmp_path, 2)
    out = tmp_path / "brief.json"

    result = CliRunner().invoke(main, [str(article), str(SEEDS / "000_b9e1f2c980d2316d.txt"), "--engine", "llm",
                                       "--base-url", fake.url, "--model", "m", "--context-window", "8192",
                                       "--no-cache", "-q", "--out", str(out)])

    assert result.exit_code == 0, result.stderr
    brief = json.loads(out.read_text(encoding="utf-8"))
    assert all(entry["summary"] for entry in brief["per_source"])
    assert "longer than the model's context window" in result.stderr
    assert "used the extractive summary instead" in result.stderr
    assert "Traceback" not in result.output


# --- Retry-After: obeyed up to the cap, else no retry and a message that says when ----------------------


def test_a_retry_after_longer_than_the_cap_fails_at_once_and_says_when(article: Path, fake: FakeOpenAI,
                                                                       tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    real = llm_client.wait_for_retry
    monkeypatch.setattr(llm_client, "wait_for_retry", lambda state: waits.append(real(state)) or waits[-1])
    fake.responder = lambda request: rate_limited(retry_after="3600")

    with pytest.raises(RateLimitedError) as caught:
        summarize(article, engine="llm", llm=options(fake, tmp_path))

    assert len(fake.completions) == caught.value.attempts == 1  # one request, no retry, no waiting
    assert waits == []
    message = str(caught.value)
    assert "the server asks to wait 3600 s; try again after" in message
    assert re.search(r"try again after \d{4}-\d\d-\d\d \d\d:\d\d UTC", message)


def test_a_503_asking_for_a_long_wait_is_not_retried_either(article: Path, fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.responder = lambda request: Reply(status=503, error={"message": "maintenance", "type": "server_error"},
                                           headers={"Retry-After": "7200"})
    with pytest.raises(ServerFailedError, match="asks to wait 7200 s"):
        summarize(article, engine="llm", llm=options(fake, tmp_path))
    assert len(fake.completions) == 1


@pytest.mark.parametrize("reply", [rate_limited(retry_after="0.01"), server_error(502)])
def test_requests_made_equal_the_attempts_reported(reply: Reply, article: Path, fake: FakeOpenAI,
                                                   tmp_path: Path) -> None:
    fake.responder = lambda request: reply
    with pytest.raises((RateLimitedError, ServerFailedError)) as caught:
        summarize(article, engine="llm", llm=options(fake, tmp_path))
    assert len(fake.completions) == caught.value.attempts == constants.MAX_ATTEMPTS  # type: ignore[union-attr]


# --- auto with a dead endpoint says how to go on ----------------------------------------------------


def test_auto_with_a_dead_endpoint_names_the_extractive_engine(article: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    result = CliRunner().invoke(main, [str(article), "--no-cache", "-q"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach http://127.0.0.1:9/v1" in lines[0]
    assert "--engine extractive" in lines[0]


# --- the header says who wrote the brief ----------------------------------------------------------------


def header(brief: Any) -> str:
    return render_brief(brief, "md").splitlines()[2]


def test_a_full_fallback_is_credited_to_the_extractive_engine(article: Path, fake: FakeOpenAI,
                                                              tmp_path: Path) -> None:
    fake.responder = lambda request: completion('{"answer": "no"}')
    brief = summarize(article, engine="llm", llm=options(fake, tmp_path))
    assert brief.engine == "llm" and brief.written_by == ["extractive"]
    assert "by the extractive engine, because the llm engine (fake-model) gave no usable answer" in header(brief)
    assert "by the extractive engine, because" in render_brief(brief, "html")


def test_a_partial_fallback_says_the_extractive_engine_stood_in(article: Path, fake: FakeOpenAI,
                                                                tmp_path: Path) -> None:
    def notes_fail(request: RecordedRequest) -> Reply:
        return completion("no JSON here") if request.stage == "chunk_notes" else smart_reply(request)

    fake.responder = notes_fail
    brief = summarize(article, engine="llm", llm=options(fake, tmp_path))
    assert brief.written_by == ["llm", "extractive"]
    assert "by the llm engine (fake-model), the extractive engine standing in where the model gave no usable " \
           "answer" in header(brief)


def test_a_brief_the_model_wrote_is_credited_to_it(article: Path, fake: FakeOpenAI, tmp_path: Path) -> None:
    brief = summarize(article, engine="llm", llm=options(fake, tmp_path))
    assert brief.written_by == ["llm"]
    assert header(brief).endswith("by the llm engine (fake-model). Each statement cites the reports it rests on; "
                                  "the JSON form gives the exact sentences._")
