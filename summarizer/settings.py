"""Every option a run takes, with its default, its allowed range and its environment variable,
declared once.

The CLI builds its options from these fields (`DEFAULTS`, `range_of`, `env_var_of`), the
library validates its keyword arguments with the same models, and the LLM engine resolves what is
left unset from the same environment variables. A bad value is a `ConfigError` that names the
setting, wherever it came from.

The shape of a brief (how many statements each section holds) is declared here too, because both
engines, the LLM answer schema and the evidence shown to the model must agree on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, NamedTuple

import annotated_types
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ConfigError

__all__ = [
    "DEFAULTS",
    "DEFAULT_LLM_MODEL",
    "LEDE_STATEMENTS",
    "MAX_AGREEMENTS",
    "MAX_EXCLUSIVES",
    "EngineChoice",
    "LLMOptions",
    "Range",
    "ResponseFormatMode",
    "Settings",
    "SimilarityName",
    "env_var_of",
    "range_of",
]

# --- The shape of a brief --------------------------------------------------------------------------
# Statements the LLM engine is asked for in the lede, at most (the extractive lede is as long as
# --max-tokens allows).
LEDE_STATEMENTS = 4
# Section caps keep a brief of many articles readable; the JSON `usage` says how many were left out.
MAX_AGREEMENTS = 20
MAX_EXCLUSIVES = 15

# --- What a run can be told ------------------------------------------------------------------------
# "auto" and the names of `EngineName`, in one Literal so that a wrong value is told every choice (a
# union of two Literals named only the first's); a test keeps the two in step.
EngineChoice = Literal["auto", "extractive", "llm"]
# The similarities of `text.similarity.SIMILARITIES` (a test keeps the two in step).
SimilarityName = Literal["semantic", "lexical"]
ResponseFormatMode = Literal["auto", "json_schema", "json_object", "prompt"]
# The model asked for when neither --model nor SUMMARIZER_MODEL names one.
DEFAULT_LLM_MODEL = "gpt-4o-mini"


def _env(name: str) -> dict[str, Any]:
    """Field metadata naming the environment variable that sets it when no option does."""
    return {"env": name}


class _Options(BaseModel):
    """Options validated on construction; a bad value is a ConfigError naming the setting."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:  # translated here, the boundary where it happens
            raise ConfigError(_describe(exc, type(self))) from exc


class LLMOptions(_Options):
    """The LLM engine's options as a caller gives them; unset ones come from the environment."""

    model: str | None = Field(default=None, description="the model name", json_schema_extra=_env("SUMMARIZER_MODEL"))
    base_url: str | None = Field(default=None, description="an OpenAI-compatible endpoint",
                                 json_schema_extra=_env("OPENAI_BASE_URL"))
    # Kept out of repr, so that a logged or printed options object does not show the key.
    api_key: str | None = Field(default=None, repr=False, description="the API key",
                                json_schema_extra=_env("OPENAI_API_KEY"))
    concurrency: int = Field(default=8, ge=1, le=64, description="requests in flight at once")
    # An endpoint's published rate limits; a batch of many events keeps within them together.
    requests_per_minute: int | None = Field(default=None, ge=1, description="requests started per minute, at most")
    tokens_per_minute: int | None = Field(default=None, ge=1,
                                          description="tokens (prompt and answer budget) started per minute, at most")
    # Checked before each call against what was spent so far plus the call's worst case.
    max_cost: float | None = Field(default=None, gt=0, description="US dollars this run may spend, at most")
    # Conservative, so that small local models fit too.
    context_window: int = Field(default=8192, ge=1024, description="the model's context window in tokens")
    # Long, because a local model on a CPU takes minutes to answer one prompt.
    request_timeout: float = Field(default=180.0, gt=0, description="seconds to wait for one answer")
    response_format: ResponseFormatMode = Field(default="auto", description="how structured answers are requested")
    use_cache: bool = Field(default=True, description="read and write the on-disk answer cache")
    cache_dir: Path | None = Field(default=None, description="where answers are cached (default under cache_root)")


class Settings(_Options):
    """What a run is told: the engine, the summary budget and the LLM engine's options."""

    engine: EngineChoice = Field(default="auto", description="which engine writes the brief")
    # Semantic finds paraphrases that share no word; lexical is the fastest, and the fallback when
    # the model cannot load.
    similarity: SimilarityName = Field(default="semantic", description="how sentences are compared")
    max_tokens: int = Field(default=200, ge=20, description="token budget of each source's summary and of the lede")
    # News articles are tens of kilobytes, saved web pages a few megabytes: a larger file is not an
    # article (a log, a dump, /dev/zero), and reading it whole could exhaust memory.
    max_file_mb: float = Field(default=5.0, gt=0, description="the largest article file read, in megabytes")
    # Reports of one event come out within days of each other; a dated article further from an
    # event's articles starts an event of its own (`summarize cluster`).
    window_days: int = Field(default=3, ge=0, description="days between dated articles of one event, at most")
    # None: one process per core (`summarize batch --executor local`).
    workers: int | None = Field(default=None, ge=1, description="processes that brief events side by side")
    llm: LLMOptions = Field(default_factory=LLMOptions)


# Every default, as declared above: `DEFAULTS.max_tokens`, `DEFAULTS.llm.concurrency`, ...
DEFAULTS = Settings()


def env_var_of(model: type[BaseModel], name: str) -> str | None:
    """The environment variable that sets a setting, if any."""
    extra = model.model_fields[name].json_schema_extra
    return extra.get("env") if isinstance(extra, Mapping) else None  # type: ignore[return-value]


class Range(NamedTuple):
    """The bounds of a numeric setting; None where it has none."""

    min: float | None = None
    max: float | None = None
    min_open: bool = False  # min itself is not allowed
    max_open: bool = False


def range_of(model: type[BaseModel], name: str) -> Range:
    """The declared range of a numeric setting."""
    bounds: dict[str, Any] = {}
    for constraint in model.model_fields[name].metadata:
        if isinstance(constraint, annotated_types.Ge):
            bounds["min"] = constraint.ge
        elif isinstance(constraint, annotated_types.Gt):
            bounds["min"], bounds["min_open"] = constraint.gt, True
        elif isinstance(constraint, annotated_types.Le):
            bounds["max"] = constraint.le
        elif isinstance(constraint, annotated_types.Lt):
            bounds["max"], bounds["max_open"] = constraint.lt, True
    return Range(**bounds)


def _describe(exc: ValidationError, model: type[BaseModel]) -> str:
    """One line naming the first bad setting, what is wrong with it and what it is for."""
    error = exc.errors()[0]
    location = ".".join(str(part) for part in error["loc"]) or "?"
    field = model.model_fields.get(str(error["loc"][0])) if error["loc"] else None
    purpose = f" ({field.description})" if field is not None and field.description else ""
    return f"invalid setting {location}{purpose}: {error['msg']}"
