"""Settings: each default, range and environment variable is declared once and used everywhere."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from summarizer import ConfigError, LLMOptions, summarize
from summarizer.cli import main
from summarizer.engines.extractive import ExtractiveEngine
from summarizer.engines.llm.config import resolve_llm_config
from summarizer.settings import DEFAULTS, Settings, env_var_of, range_of

# (CLI option, settings model, field)
NUMERIC_OPTIONS = [
    ("max_tokens", Settings, "max_tokens"),
    ("concurrency", LLMOptions, "concurrency"),
    ("context_window", LLMOptions, "context_window"),
    ("request_timeout", LLMOptions, "request_timeout"),
]


def cli_param(name: str) -> click.Parameter:
    return next(param for param in main.params if param.name == name)


@pytest.mark.parametrize(("option", "model", "field"), NUMERIC_OPTIONS)
def test_the_cli_takes_defaults_and_ranges_from_the_settings(option: str, model: type, field: str) -> None:
    param = cli_param(option)
    declared = model.model_fields[field].get_default()
    assert param.default == declared
    bounds = range_of(model, field)
    assert isinstance(param.type, click.IntRange | click.FloatRange)
    assert (param.type.min, param.type.max, param.type.min_open) == (bounds.min, bounds.max, bounds.min_open)
    assert bounds.min is not None  # every numeric option has a lower bound


@pytest.mark.parametrize("field", ["model", "base_url", "api_key"])
def test_the_cli_reads_the_same_environment_variables_as_the_library(field: str) -> None:
    assert cli_param(field).envvar == env_var_of(LLMOptions, field)
    assert env_var_of(LLMOptions, field) is not None


def test_the_engine_and_response_format_choices_and_defaults_are_the_settings() -> None:
    assert cli_param("engine").default == DEFAULTS.engine
    assert cli_param("response_format").default == DEFAULTS.llm.response_format


@pytest.mark.parametrize(("command", "field", "bad"), [("cluster_main", "window_days", -1), ("batch_main", "workers", 0)])
def test_the_feed_commands_take_defaults_and_ranges_from_the_settings_as_the_library_does(
        tmp_path: Path, command: str, field: str, bad: int) -> None:
    import summarizer.commands as commands
    from summarizer import batch, cluster_articles

    param = next(p for p in getattr(commands, command).params if p.name == field)
    assert param.default == getattr(DEFAULTS, field)
    assert isinstance(param.type, click.IntRange) and param.type.min == range_of(Settings, field).min
    call = {"window_days": lambda: cluster_articles([tmp_path], window_days=bad),
            "workers": lambda: batch(tmp_path, tmp_path / "briefs", engine="extractive", workers=bad)}[field]
    with pytest.raises(ConfigError, match=f"invalid setting {field}"):
        call()


def test_an_unknown_engine_is_told_every_choice_and_the_choices_are_the_engines() -> None:
    from typing import get_args

    from summarizer.models import EngineName
    from summarizer.settings import EngineChoice

    assert set(get_args(EngineChoice)) == {"auto", *get_args(EngineName)}
    with pytest.raises(ConfigError, match=r"engine \(which engine writes the brief\): Input should be 'auto', "
                                          r"'extractive' or 'llm'"):
        Settings(engine="gpt")  # type: ignore[arg-type]


def test_a_value_out_of_range_is_refused_alike_by_the_cli_and_the_library(seeds_dir: Path) -> None:
    too_small = int(range_of(Settings, "max_tokens").min or 0) - 1
    result = CliRunner().invoke(main, [str(seeds_dir), "--max-tokens", str(too_small)])
    assert result.exit_code == 2 and "--max-tokens" in result.stderr
    with pytest.raises(ConfigError, match=r"max_tokens .*token budget.*greater than or equal to 20"):
        summarize([seeds_dir], engine="extractive", max_tokens=too_small)
    with pytest.raises(ConfigError, match="max_tokens"):
        ExtractiveEngine(max_tokens=too_small)


@pytest.mark.parametrize(("values", "named"), [
    ({"concurrency": 0}, "concurrency"),
    ({"concurrency": 65}, "concurrency"),
    ({"context_window": 100}, "context_window"),
    ({"request_timeout": 0}, "request_timeout"),
    ({"temperature": 0.2}, "temperature"),
])
def test_bad_llm_options_are_config_errors_that_name_the_setting(values: dict[str, object], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        LLMOptions(**values)  # type: ignore[arg-type]


def test_the_library_resolves_the_model_from_the_variable_the_settings_name() -> None:
    variable = env_var_of(LLMOptions, "model")
    assert variable is not None
    config = resolve_llm_config(LLMOptions(base_url="http://127.0.0.1:1/v1"), environ={variable: "from-env"})
    assert config.model == "from-env"
    assert config.concurrency == DEFAULTS.llm.concurrency and config.request_timeout == DEFAULTS.llm.request_timeout


def test_options_are_immutable_so_a_checked_value_stays_checked() -> None:
    options = LLMOptions(concurrency=4)
    with pytest.raises(ValueError):  # pydantic's frozen-instance error
        options.concurrency = 0  # type: ignore[misc]
    assert options.concurrency == 4
