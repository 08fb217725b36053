"""Engine selection: `extractive` (embedded default), `llm` (OpenAI-compatible), or `auto`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .. import constants
from ..errors import ConfigError
from .base import Engine, EngineName
from .extractive import ExtractiveEngine
from .llm_config import ResponseFormatMode, resolve_llm_config

EngineChoice = Literal["auto", "extractive", "llm"]
ENGINE_CHOICES: tuple[EngineChoice, ...] = ("auto", "extractive", "llm")

__all__ = [
    "ENGINE_CHOICES", "Engine", "EngineChoice", "EngineName", "ExtractiveEngine", "LLMOptions",
    "create_engine", "llm_endpoint_configured",
]


class LLMOptions(BaseModel):
    """The LLM engine's options as a caller gives them; unset ones come from the environment."""

    model_config = ConfigDict(extra="forbid")

    model: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    concurrency: int | None = None
    context_window: int | None = None
    use_cache: bool = True
    cache_dir: Path | None = None
    response_format: ResponseFormatMode = "auto"
    request_timeout: float | None = None


def llm_endpoint_configured(environ: Mapping[str, str], llm: LLMOptions | None = None) -> bool:
    """True when options or environment name an OpenAI-compatible endpoint or key."""
    if llm is not None and (llm.base_url or llm.api_key):
        return True
    return bool(environ.get("OPENAI_API_KEY") or environ.get("OPENAI_BASE_URL"))


def create_engine(
    choice: EngineChoice,
    *,
    max_tokens: int = constants.DEFAULT_SUMMARY_TOKENS,
    llm: LLMOptions | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[Engine, str | None]:
    """The engine for `choice`, and a note to show the user when `auto` had to pick for them."""
    environ = os.environ if environ is None else environ
    if choice not in ENGINE_CHOICES:
        raise ConfigError(f"unknown engine {choice!r}: use one of {', '.join(ENGINE_CHOICES)}")
    if choice == "extractive" or (choice == "auto" and not llm_endpoint_configured(environ, llm)):
        note = None
        if choice == "auto":
            note = ("no LLM endpoint configured (OPENAI_API_KEY or OPENAI_BASE_URL); "
                    "using the extractive engine")
        return ExtractiveEngine(max_tokens=max_tokens), note
    from .llm import (
        LLMEngine,  # imported only when used: the openai SDK takes half a second
    )

    options = llm or LLMOptions()
    config = resolve_llm_config(
        model=options.model, base_url=options.base_url, api_key=options.api_key,
        concurrency=options.concurrency, context_window=options.context_window,
        use_cache=options.use_cache, response_format=options.response_format,
        request_timeout=options.request_timeout, environ=environ,
    )
    note = f"using the llm engine: {config.model} at {config.endpoint}" if choice == "auto" else None
    return LLMEngine(config, max_tokens=max_tokens, cache_dir=options.cache_dir), note
