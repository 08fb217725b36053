"""Engines by name: the one table a new engine is added to, and `auto` resolution.

    base        the Engine base class (sync methods to implement, async ones with defaults)
    extractive  the embedded default: offline, deterministic, quotes the sources' own sentences
    llm/        any OpenAI-compatible endpoint through the openai SDK
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from typing import TypeAlias

from ..errors import ConfigError
from ..models import EngineName
from ..settings import DEFAULTS, EngineChoice, LLMOptions, Settings, env_var_of
from .base import Engine, ProgressCallback, SimilarityGiven

__all__ = [
    "ENGINES", "ENGINE_CHOICES", "Engine", "EngineChoice", "ProgressCallback", "SimilarityGiven",
    "chosen_engine", "create_engine", "llm_endpoint_configured", "preload_engine",
]

# (settings, environment, the similarity of the run) -> (the engine, a note for the user or None)
EngineFactory: TypeAlias = Callable[[Settings, Mapping[str, str], SimilarityGiven], tuple[Engine, str | None]]

# Each engine is imported when used: the extractive one brings numpy and the alignment's text
# tools, which a run of the LLM engine loads beside its first calls, not before them.


def _extractive(settings: Settings, environ: Mapping[str, str], similarity: SimilarityGiven
                ) -> tuple[Engine, str | None]:
    from .extractive import ExtractiveEngine

    return ExtractiveEngine(max_tokens=settings.max_tokens, similarity=similarity), None


def _llm(settings: Settings, environ: Mapping[str, str], similarity: SimilarityGiven
         ) -> tuple[Engine, str | None]:
    # The openai SDK takes 0.3 s to import.
    from .llm.config import resolve_llm_config
    from .llm.engine import LLMEngine

    config = resolve_llm_config(settings.llm, environ=environ)
    engine = LLMEngine(config, max_tokens=settings.max_tokens, cache_dir=settings.llm.cache_dir,
                       similarity=similarity)
    return engine, f"using the llm engine: {config.model} at {config.endpoint}"


ENGINES: dict[EngineName, EngineFactory] = {
    "extractive": _extractive,
    "llm": _llm,
}
ENGINE_CHOICES: tuple[EngineChoice, ...] = ("auto", *ENGINES)
# The module each factory imports, for `preload_engine`.
ENGINE_MODULES: dict[EngineName, str] = {
    "extractive": f"{__name__}.extractive",
    "llm": f"{__name__}.llm.engine",
}


def preload_engine(name: EngineName) -> None:
    """Import an engine's code now rather than when its factory is first called."""
    importlib.import_module(ENGINE_MODULES[name])


def llm_endpoint_configured(environ: Mapping[str, str], llm: LLMOptions | None = None) -> bool:
    """True when options or environment name an OpenAI-compatible endpoint or key."""
    if llm is not None and (llm.base_url or llm.api_key):
        return True
    return any(environ.get(env_var_of(LLMOptions, name) or "") for name in ("api_key", "base_url"))


def chosen_engine(choice: EngineChoice, llm: LLMOptions | None = None,
                  environ: Mapping[str, str] | None = None) -> EngineName:
    """The engine `choice` means: itself, or for `auto` the LLM engine when an endpoint is
    configured and the extractive one otherwise."""
    environ = os.environ if environ is None else environ
    if choice == "auto":
        return "llm" if llm_endpoint_configured(environ, llm) else "extractive"
    if choice not in ENGINES:
        raise ConfigError(f"unknown engine {choice!r}: use one of {', '.join(ENGINE_CHOICES)}")
    return choice


def create_engine(settings: Settings = DEFAULTS, *, environ: Mapping[str, str] | None = None,
                  similarity: SimilarityGiven = None) -> tuple[Engine, str | None]:
    """The engine `settings.engine` names, and a note to show the user when `auto` had to pick.
    `similarity` is the run's (shared with the alignment); by default the table's default."""
    environ = os.environ if environ is None else environ
    name = chosen_engine(settings.engine, settings.llm, environ)
    engine, note = ENGINES[name](settings, environ, similarity)
    if settings.engine != "auto":
        return engine, None
    if name == "extractive":
        note = "no LLM endpoint configured (OPENAI_API_KEY or OPENAI_BASE_URL); using the extractive engine"
    return engine, note
