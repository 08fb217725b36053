"""The LLM engine's configuration: `LLMOptions` (see `summarizer.settings`) resolved against the
environment, checked before any call, with the token budgets derived from the context window."""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, SecretStr

from ...errors import ConfigError
from ...settings import DEFAULT_LLM_MODEL, LLMOptions, ResponseFormatMode, env_var_of
from . import constants

__all__ = ["PLACEHOLDER_KEY", "LLMConfig", "resolve_llm_config"]

# A key is required by the SDK even where the server needs none (llama.cpp, Ollama, vLLM).
PLACEHOLDER_KEY = "not-needed"


class LLMConfig(BaseModel):
    """Where to send requests, with which model, how many at a time, and the token budgets.

    Every value is known here (resolved by `resolve_llm_config`); ranges were checked by
    `LLMOptions`, where they are declared.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str
    base_url: str | None
    api_key: SecretStr
    concurrency: int
    requests_per_minute: int | None
    tokens_per_minute: int | None
    max_cost: float | None
    context_window: int
    use_cache: bool
    response_format: ResponseFormatMode
    request_timeout: float

    @property
    def endpoint(self) -> str:
        """The endpoint as shown to users and used in cache keys."""
        return (self.base_url or "https://api.openai.com/v1").rstrip("/")

    @property
    def answer_tokens(self) -> int:
        """The completion budget of one call: a share of the window, within a floor and ceiling."""
        share = int(self.context_window * constants.ANSWER_SHARE)
        return max(constants.MIN_ANSWER_TOKENS, min(constants.MAX_ANSWER_TOKENS, share))

    @property
    def prompt_tokens(self) -> int:
        """What one prompt may use: the window less the answer, with a margin for other tokenizers."""
        room = (self.context_window - self.answer_tokens) * constants.TOKENIZER_MARGIN
        return int(room) - constants.CHAT_TEMPLATE_TOKENS


def resolve_llm_config(options: LLMOptions | None = None, *, environ: Mapping[str, str] | None = None) -> LLMConfig:
    """Options win over OPENAI_API_KEY, OPENAI_BASE_URL and SUMMARIZER_MODEL; errors say how to fix."""
    options = options or LLMOptions()
    env = os.environ if environ is None else environ

    def given(name: str) -> str | None:
        variable = env_var_of(LLMOptions, name)
        return getattr(options, name) or (env.get(variable) if variable else None) or None

    base_url, api_key = given("base_url"), given("api_key")
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"--base-url {base_url!r} is not an http(s) address; e.g. http://127.0.0.1:8080/v1")
    if api_key is None:
        if base_url is None:
            raise ConfigError(
                "the llm engine needs an endpoint: set OPENAI_API_KEY (or --api-key) for OpenAI, or "
                "--base-url / OPENAI_BASE_URL for a local server such as llama.cpp, Ollama, vLLM or "
                "LM Studio; or use --engine extractive, which needs neither"
            )
        api_key = PLACEHOLDER_KEY
    return LLMConfig(
        model=given("model") or DEFAULT_LLM_MODEL,
        base_url=base_url,
        api_key=SecretStr(api_key),
        concurrency=options.concurrency,
        requests_per_minute=options.requests_per_minute,
        tokens_per_minute=options.tokens_per_minute,
        max_cost=options.max_cost,
        context_window=options.context_window,
        use_cache=options.use_cache,
        response_format=options.response_format,
        request_timeout=options.request_timeout,
    )
