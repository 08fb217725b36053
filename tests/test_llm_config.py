"""LLM engine configuration, prices, cache and engine selection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.engines import ENGINE_MODULES, ENGINES, Engine, chosen_engine, create_engine, preload_engine
from summarizer.engines.extractive import ExtractiveEngine
from summarizer.engines.llm import constants
from summarizer.engines.llm.cache import ResponseCache, cache_key
from summarizer.engines.llm.config import PLACEHOLDER_KEY, resolve_llm_config
from summarizer.engines.llm.usage import UsageMeter, load_prices
from summarizer.errors import ConfigError
from summarizer.settings import DEFAULT_LLM_MODEL, LLMOptions, Settings


def test_no_key_and_no_base_url_says_how_to_fix() -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_llm_config(environ={})
    message = str(caught.value)
    assert "OPENAI_API_KEY" in message and "--base-url" in message and "--engine extractive" in message


def test_local_server_needs_no_key() -> None:
    config = resolve_llm_config(environ={"OPENAI_BASE_URL": "http://127.0.0.1:8080/v1"})
    assert config.api_key.get_secret_value() == PLACEHOLDER_KEY
    assert config.endpoint == "http://127.0.0.1:8080/v1"
    assert config.model == DEFAULT_LLM_MODEL


def test_options_win_over_the_environment() -> None:
    env = {"OPENAI_API_KEY": "sk-env", "OPENAI_BASE_URL": "http://a/v1", "SUMMARIZER_MODEL": "env-model"}
    config = resolve_llm_config(LLMOptions(model="opt-model", base_url="http://b/v1", api_key="sk-opt"), environ=env)
    assert (config.model, config.base_url, config.api_key.get_secret_value()) == ("opt-model", "http://b/v1", "sk-opt")
    assert resolve_llm_config(environ=env).model == "env-model"


def test_the_key_never_shows_in_the_config_repr() -> None:
    options = LLMOptions(api_key="sk-secret-123")
    config = resolve_llm_config(options, environ={})
    assert "sk-secret-123" not in repr(config) and "sk-secret-123" not in config.model_dump_json()
    assert "sk-secret-123" not in repr(options) and "sk-secret-123" not in str(options)


@pytest.mark.parametrize("kwargs, words", [
    ({"base_url": "127.0.0.1:8080"}, "http"),
    ({"api_key": "k", "concurrency": 0}, "concurrency"),
    ({"api_key": "k", "context_window": 100}, "context_window"),
])
def test_bad_settings_are_config_errors(kwargs: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        resolve_llm_config(LLMOptions(**kwargs), environ={})  # type: ignore[arg-type]


def test_budgets_follow_the_context_window() -> None:
    small = resolve_llm_config(LLMOptions(api_key="k", context_window=1024), environ={})
    large = resolve_llm_config(LLMOptions(api_key="k", context_window=128_000), environ={})
    assert small.answer_tokens == constants.MIN_ANSWER_TOKENS
    assert large.answer_tokens == constants.MAX_ANSWER_TOKENS
    for config in (small, large):
        assert 0 < config.prompt_tokens + config.answer_tokens < config.context_window


def test_auto_picks_llm_only_with_an_endpoint(tmp_path: Path) -> None:
    engine, note = create_engine(Settings(engine="auto"), environ={})
    assert isinstance(engine, ExtractiveEngine) and note and "extractive" in note
    engine, note = create_engine(Settings(engine="auto", llm=LLMOptions(cache_dir=tmp_path)),
                                 environ={"OPENAI_BASE_URL": "http://127.0.0.1:1/v1"})
    assert engine.name == "llm" and note and "llm" in note
    engine, _ = create_engine(Settings(engine="extractive"), environ={"OPENAI_API_KEY": "k"})
    assert engine.name == "extractive"


def test_chosen_engine_resolves_auto_as_create_engine_does() -> None:
    endpoint = {"OPENAI_BASE_URL": "http://127.0.0.1:1/v1"}
    assert chosen_engine("auto", environ={}) == "extractive"
    assert chosen_engine("auto", environ=endpoint) == "llm"
    assert chosen_engine("auto", LLMOptions(api_key="k"), environ={}) == "llm"
    assert chosen_engine("extractive", environ=endpoint) == "extractive"
    with pytest.raises(ConfigError, match="unknown engine 'gpt'"):
        chosen_engine("gpt", environ={})  # type: ignore[arg-type]


def test_every_engine_can_be_preloaded_by_the_module_its_factory_imports(tmp_path: Path) -> None:
    import sys

    assert set(ENGINE_MODULES) == set(ENGINES)
    for name, module in ENGINE_MODULES.items():
        preload_engine(name)
        assert module in sys.modules
        engine, _ = create_engine(Settings(engine=name, llm=LLMOptions(cache_dir=tmp_path)),
                                  environ={"OPENAI_BASE_URL": "http://127.0.0.1:1/v1"})
        assert type(engine).__module__ == module  # the module its factory imports, named once more


def test_llm_engine_chunks_fit_the_context_window(tmp_path: Path) -> None:
    def llm_engine(context_window: int) -> Engine:
        options = LLMOptions(base_url="http://127.0.0.1:1/v1", context_window=context_window, cache_dir=tmp_path)
        return create_engine(Settings(engine="llm", llm=options), environ={})[0]

    small, large = llm_engine(4096), llm_engine(32768)
    assert 128 <= small.chunk_tokens < 4096 - 1024
    assert large.chunk_tokens > small.chunk_tokens


def test_cache_round_trip_and_disabled(tmp_path: Path) -> None:
    key = cache_key({"model": "m", "messages": [{"role": "user", "content": "hi"}]})
    assert key == cache_key({"messages": [{"content": "hi", "role": "user"}], "model": "m"})  # order-free
    cache = ResponseCache(tmp_path)
    assert cache.get(key) is None
    cache.put(key, {"text": "answer"})
    assert cache.get(key) == {"text": "answer"}
    (tmp_path / key[:2] / f"{key}.json").write_text("{broken", encoding="utf-8")
    assert cache.get(key) is None  # a corrupt entry is a miss, not an error
    disabled = ResponseCache(None)
    disabled.put(key, {"text": "x"})
    assert disabled.get(key) is None


def test_prices_can_be_extended_and_cost_is_estimated(tmp_path: Path) -> None:
    prices_file = tmp_path / "prices.json"
    prices_file.write_text(json.dumps({"my-model": {"input": 1.0, "output": 2.0}}), encoding="utf-8")
    prices = load_prices({"SUMMARIZER_PRICES": str(prices_file)})
    assert prices["my-model"] == {"input": 1.0, "output": 2.0} and "gpt-4o-mini" in prices
    meter = UsageMeter(model="my-model", prices=prices)
    meter.record_call("synthesis", prompt_tokens=1_000_000, completion_tokens=500_000, seconds=1.0)
    meter.record_cache_hit("synthesis")
    report = meter.report()
    assert report["cost_usd"] == 2.0
    assert report["stages"]["synthesis"]["calls"] == 1 and report["cache_hits"] == 1
    assert UsageMeter(model="local", prices=prices).cost(10, 10) is None


def test_a_broken_price_file_is_a_config_error(tmp_path: Path) -> None:
    broken = tmp_path / "prices.json"
    broken.write_text('{"m": {"input": "cheap"}}', encoding="utf-8")
    with pytest.raises(ConfigError, match="SUMMARIZER_PRICES"):
        load_prices({"SUMMARIZER_PRICES": str(broken)})
