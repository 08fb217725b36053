"""Configuration of the LLM engine, from options and the environment, checked before any call."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from .. import constants
from ..errors import ConfigError

ResponseFormatMode = Literal["auto", "json_schema", "json_object", "prompt"]
# A key is required by the SDK even where the server needs none (llama.cpp, Ollama, vLLM).
PLACEHOLDER_KEY = "not-needed"


class LLMConfig(BaseModel):
    """Where to send requests, with which model, how many at a time, and the token budgets."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str = Field(min_length=1)
    base_url: str | None = None
    api_key: SecretStr
    concurrency: int = Field(default=constants.LLM_DEFAULT_CONCURRENCY, ge=1, le=64)
    context_window: int = Field(default=constants.LLM_DEFAULT_CONTEXT_WINDOW, ge=1024)
    use_cache: bool = True
    response_format: ResponseFormatMode = "auto"
    request_timeout: float = Field(default=constants.LLM_REQUEST_TIMEOUT_S, gt=0)

    @property
    def endpoint(self) -> str:
        """The endpoint as shown to users and used in cache keys."""
        return (self.base_url or "https://api.openai.com/v1").rstrip("/")

    @property
    def answer_tokens(self) -> int:
        """The completion budget of one call: a share of the window, within a floor and ceiling."""
        share = int(self.context_window * constants.LLM_ANSWER_SHARE)
        return max(constants.LLM_MIN_ANSWER_TOKENS, min(constants.LLM_MAX_ANSWER_TOKENS, share))

    @property
    def prompt_tokens(self) -> int:
        """What one prompt may use: the window less the answer, with a margin.

        Prompts are measured with tiktoken, and other models' tokenizers (Llama, Gemma, Qwen)
        count the same text up to ~15% higher; the chat template adds a few tokens per message.
        """
        return int((self.context_window - self.answer_tokens) * 0.85) - 64


def resolve_llm_config(
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    concurrency: int | None = None,
    context_window: int | None = None,
    use_cache: bool = True,
    response_format: ResponseFormatMode = "auto",
    request_timeout: float | None = None,
    environ: Mapping[str, str] | None = None,
) -> LLMConfig:
    """Options win over OPENAI_API_KEY, OPENAI_BASE_URL and SUMMARIZER_MODEL; errors say how to fix."""
    env = os.environ if environ is None else environ
    base_url = base_url or env.get("OPENAI_BASE_URL") or None
    api_key = api_key or env.get("OPENAI_API_KEY") or None
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
    chosen_model = model or env.get("SUMMARIZER_MODEL") or constants.LLM_DEFAULT_MODEL
    try:
        return LLMConfig(
            model=chosen_model,
            base_url=base_url,
            api_key=SecretStr(api_key),
            concurrency=constants.LLM_DEFAULT_CONCURRENCY if concurrency is None else concurrency,
            context_window=constants.LLM_DEFAULT_CONTEXT_WINDOW if context_window is None else context_window,
            use_cache=use_cache,
            response_format=response_format,
            request_timeout=request_timeout or constants.LLM_REQUEST_TIMEOUT_S,
        )
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        first = exc.errors()[0] if hasattr(exc, "errors") else {"loc": ("?",), "msg": str(exc)}
        raise ConfigError(f"invalid llm setting {first['loc'][0]}: {first['msg']}") from exc
