"""Engine selection: `extractive` (embedded default), `llm` (OpenAI-compatible), or `auto`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

from .. import constants
from ..errors import ConfigError
from .base import Engine, EngineName
from .extractive import ExtractiveEngine

EngineChoice = Literal["auto", "extractive", "llm"]
ENGINE_CHOICES: tuple[EngineChoice, ...] = ("auto", "extractive", "llm")

__all__ = ["ENGINE_CHOICES", "Engine", "EngineChoice", "EngineName", "ExtractiveEngine", "create_engine"]


def llm_endpoint_configured(environ: Mapping[str, str]) -> bool:
    """True when the environment names an OpenAI-compatible endpoint or key."""
    return bool(environ.get("OPENAI_API_KEY") or environ.get("OPENAI_BASE_URL"))


def create_engine(
    choice: EngineChoice,
    *,
    max_tokens: int = constants.DEFAULT_SUMMARY_TOKENS,
    environ: Mapping[str, str] | None = None,
) -> tuple[Engine, str | None]:
    """The engine for `choice`, and a note to show the user when `auto` had to pick for them."""
    environ = os.environ if environ is None else environ
    if choice not in ENGINE_CHOICES:
        raise ConfigError(f"unknown engine {choice!r}: use one of {', '.join(ENGINE_CHOICES)}")
    if choice == "llm" or (choice == "auto" and llm_endpoint_configured(environ)):
        if choice == "auto":
            note = (
                "an LLM endpoint is configured (OPENAI_API_KEY/OPENAI_BASE_URL) but this version "
                "has no llm engine yet; using the extractive engine"
            )
            return ExtractiveEngine(max_tokens=max_tokens), note
        raise ConfigError(
            "the llm engine is not available in this version yet; use --engine extractive "
            "(the default when no endpoint is configured)"
        )
    note = None
    if choice == "auto":
        note = "no LLM endpoint configured (OPENAI_API_KEY or OPENAI_BASE_URL); using the extractive engine"
    return ExtractiveEngine(max_tokens=max_tokens), note
