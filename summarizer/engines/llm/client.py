"""The only code that talks HTTP: chat completions through the openai SDK, with structured answers.

Two loops, kept apart (instructor's lesson):
- network faults: `retry` decides, tenacity waits; the SDK's own retries are off;
- invalid answers: parse, validate with pydantic, and on failure append the error and re-ask,
  at most MAX_REASKS times (constants.py); `finish_reason == "length"` is an error of its own.

Structured output degrades with the server: a JSON Schema `response_format` (OpenAI, vLLM, LM
Studio, Ollama), then `{"type": "json_object", "schema": ...}` (llama.cpp's server), then plain
`json_object`, then the prompt alone. The first call finds the mode out alone, the others wait for
it; the mode that worked is remembered in the cache, so a later run neither probes nor, when its
answers are cached, makes any call at all.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Coroutine
from typing import Any, Literal, TypeVar

import openai
from pydantic import BaseModel, ValidationError
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
)

from ...errors import ContextLengthExceededError, InvalidOutputError, OutputTruncatedError
from ...text.tokens import count_tokens
from . import constants
from .cache import ResponseCache, cache_key
from .config import LLMConfig
from .gate import GateLimits, gate_for
from .prompts import render_messages, template_digest
from .retry import (
    is_response_format_refused,
    is_retryable,
    translate_error,
    wait_for_retry,
)
from .usage import UsageMeter

AnswerT = TypeVar("AnswerT", bound=BaseModel)
T = TypeVar("T")
# Failures of the answer (or of a prompt too long for the model) that fall back to the extractive
# engine for that source or section; failures of the endpoint stop the run.
ANSWER_FAILURES = (InvalidOutputError, OutputTruncatedError, ContextLengthExceededError)
FormatMode = Literal["json_schema", "json_object_schema", "json_object", "prompt"]
FORMAT_MODES: tuple[FormatMode, ...] = ("json_schema", "json_object_schema", "json_object", "prompt")
_CODE_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$", re.IGNORECASE)


async def gather_or_cancel(work: list[Coroutine[Any, Any, T]]) -> list[T]:
    """All results in order; when one fails, the others are cancelled instead of running on
    (a revoked key or a dead endpoint must not leave a queue of doomed requests behind)."""
    tasks = [asyncio.ensure_future(item) for item in work]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise



class _FormatChanged(Exception):
    """Another call changed the structured-output mode while this one waited for a slot."""


def parse_answer(text: str, answer_model: type[AnswerT]) -> AnswerT:
    """The model's text as `answer_model`; ValueError says what is wrong, for the re-ask."""
    stripped = _CODE_FENCE.sub("", text.strip())
    if not stripped:
        raise ValueError("the answer was empty; expected a JSON object")
    # strict=False: small models put raw line breaks inside strings; the content is still usable.
    decoder = json.JSONDecoder(strict=False)
    try:
        data = decoder.decode(stripped)
    except json.JSONDecodeError:
        # Small models often wrap the object in prose: take the first complete object.
        start = stripped.find("{")
        if start < 0:
            raise ValueError("the answer contains no JSON object") from None
        try:
            data, _end = decoder.raw_decode(stripped[start:])
        except json.JSONDecodeError as exc:
            raise ValueError(f"the answer is not valid JSON ({exc.msg} at character {exc.pos})") from None
    try:
        return answer_model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'answer'}: {error['msg']}"
            for error in exc.errors()[:5]
        )
        raise ValueError(f"the JSON does not follow the schema ({problems})") from None


def _response_format(mode: FormatMode, name: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    """The `response_format` parameter for a structured-output mode."""
    if mode == "json_schema":
        # strict=False: strict mode rejects common schema keywords (maxLength, minimum); the
        # answer is validated here anyway.
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": False}}
    if mode == "json_object_schema":
        return {"type": "json_object", "schema": schema}
    if mode == "json_object":
        return {"type": "json_object"}
    return None


class StructuredChat:
    """Chat completions that return validated pydantic answers, with cache, usage and retries."""

    def __init__(
        self,
        config: LLMConfig,
        *,
        cache: ResponseCache,
        usage: UsageMeter,
        client: openai.AsyncOpenAI | None = None,
    ) -> None:
        self.config = config
        self.cache = cache
        self.usage = usage
        self._client = client or openai.AsyncOpenAI(
            api_key=config.api_key.get_secret_value(),
            base_url=config.base_url,
            max_retries=0,  # the one retry layer is ours (retry.py)
            timeout=openai.Timeout(config.request_timeout, connect=constants.CONNECT_TIMEOUT_S),
        )
        self._mode_lock = asyncio.Lock()
        self._mode: FormatMode | None = None if config.response_format == "auto" else _mode_of(config)
        # Until one answer shows which structured-output mode the server takes, calls go one at a
        # time: concurrent first calls would all be refused alike, and which requests are made
        # would depend on timing (cassettes replay by request body, so it must not).
        # A mode the user chose is trusted from the start (a refusal still downgrades it).
        self._mode_settled = config.response_format != "auto"
        self._probe = asyncio.Lock()

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._client.close()

    async def ask(
        self, *, stage: str, template: str, messages: list[dict[str, str]], answer_model: type[AnswerT]
    ) -> AnswerT:
        """Ask, validate, re-ask with the error at most MAX_REASKS times (constants.py)."""
        conversation = list(messages)
        last_text = ""
        attempts = 1 + constants.MAX_REASKS
        for attempt in range(1, attempts + 1):
            answer = await self._complete(stage, template, conversation, answer_model)
            last_text = answer["text"]
            if answer["finish_reason"] == "length":
                raise OutputTruncatedError(
                    f"{stage}: the model's answer was cut off at {self.config.answer_tokens} tokens "
                    "(finish_reason length); raise --context-window if the model allows more",
                    attempts=attempt, last_output=last_text, usage=answer.get("usage"),
                )
            try:
                return parse_answer(last_text, answer_model)
            except ValueError as exc:
                problem = str(exc)
                conversation = [
                    *conversation,
                    {"role": "assistant", "content": last_text},
                    *render_messages("reask.j2", error=problem),
                ]
        raise InvalidOutputError(
            f"{stage}: no valid answer after {attempts} attempts (last problem: {problem})",
            attempts=attempts, last_output=last_text,
        )

    async def _complete(
        self, stage: str, template: str, messages: list[dict[str, str]], answer_model: type[BaseModel]
    ) -> dict[str, Any]:
        """One answer (text, finish_reason, usage), from the cache or the endpoint."""
        await self._current_mode()  # a mode remembered from an earlier run settles it at once
        if not self._mode_settled:
            async with self._probe:
                if not self._mode_settled:
                    return await self._complete_in_mode(stage, template, messages, answer_model)
        return await self._complete_in_mode(stage, template, messages, answer_model)

    async def _complete_in_mode(
        self, stage: str, template: str, messages: list[dict[str, str]], answer_model: type[BaseModel]
    ) -> dict[str, Any]:
        """One answer in the current structured-output mode, downgrading it when refused."""
        schema = answer_model.model_json_schema()
        while True:
            mode = await self._current_mode()
            key = cache_key({
                "endpoint": self.config.endpoint, "model": self.config.model,
                "template": template_digest(template), "messages": messages, "mode": mode,
                "schema": schema, "temperature": 0, "max_tokens": self.config.answer_tokens,
            })
            cached = self.cache.get(key)
            if cached is not None:
                self.usage.record_cache_hit(stage)
                self._mode_settled = True
                return cached
            try:
                answer = await self._call(stage, messages, mode, answer_model.__name__, schema)
            except _FormatChanged:
                continue  # ask in the new mode (its cache key differs too)
            except openai.APIStatusError as exc:
                if not is_response_format_refused(exc) or mode == "prompt":
                    raise translate_error(exc, endpoint=self.config.endpoint, model=self.config.model,
                                          attempts=1, timeout=self.config.request_timeout) from exc
                await self._downgrade(mode)
                continue
            self._mode_settled = True
            self.cache.put(key, answer)
            return answer

    async def _call(
        self, stage: str, messages: list[dict[str, str]], mode: FormatMode, name: str, schema: dict[str, Any]
    ) -> dict[str, Any]:
        """The HTTP request, retried on network faults; SDK errors leave as ours (format refusals excepted)."""
        request: dict[str, Any] = {
            "model": self.config.model, "messages": messages, "temperature": 0, "seed": 0,
            "max_tokens": self.config.answer_tokens,
        }
        response_format = _response_format(mode, name, schema)
        if response_format is not None:
            request["response_format"] = response_format
        attempts = 0
        tokens, cost = self._worst_case(request)
        async with gate_for(self.config).request(tokens=tokens, cost=cost) as held:
            if self._mode is not None and self._mode != mode:
                # Calls queue here with the mode they saw when they were made; once one of them
                # is refused and downgrades, the others must not send the refused format again.
                raise _FormatChanged
            started = time.monotonic()
            try:
                async for attempt in AsyncRetrying(
                    retry=retry_if_exception(is_retryable),
                    wait=wait_for_retry,
                    stop=stop_after_attempt(constants.MAX_ATTEMPTS)
                    | stop_before_delay(constants.TOTAL_RETRY_TIME_S),
                    reraise=True,
                ):
                    with attempt:
                        attempts = attempt.retry_state.attempt_number
                        completion = await self._client.chat.completions.create(**request)
            except openai.APIStatusError as exc:
                if is_response_format_refused(exc):
                    raise
                raise translate_error(exc, endpoint=self.config.endpoint, model=self.config.model,
                                      attempts=attempts, timeout=self.config.request_timeout) from exc
            except openai.OpenAIError as exc:
                raise translate_error(exc, endpoint=self.config.endpoint, model=self.config.model,
                                      attempts=attempts, timeout=self.config.request_timeout) from exc
            seconds = time.monotonic() - started
            choice = completion.choices[0] if completion.choices else None
            text = (choice.message.content if choice and choice.message else None) or ""
            usage = completion.usage
            prompt_tokens = usage.prompt_tokens if usage else count_tokens(json.dumps(messages))
            completion_tokens = usage.completion_tokens if usage else count_tokens(text)
            held.cost = self.usage.cost(prompt_tokens, completion_tokens) or 0.0
        self.usage.record_call(stage, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
                               seconds=seconds)
        return {
            "text": text,
            "finish_reason": choice.finish_reason if choice else "stop",
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens},
        }

    def _worst_case(self, request: dict[str, Any]) -> tuple[int, float]:
        """Tokens and USD one request may use at most (its prompt, the schema it sends and its whole
        answer budget), counted only when a per-minute token limit or a budget needs them."""
        if not GateLimits.of(self.config).counts_tokens:
            return 0, 0.0
        prompt = sum(count_tokens(m["content"]) for m in request["messages"]) + constants.CHAT_TEMPLATE_TOKENS
        if "response_format" in request:
            prompt += count_tokens(json.dumps(request["response_format"]))
        answer = request["max_tokens"]
        return prompt + answer, self.usage.cost(prompt, answer) or 0.0

    def _mode_key(self) -> str:
        return cache_key({"format-mode-of": self.config.endpoint, "model": self.config.model})

    async def _current_mode(self) -> FormatMode:
        """The structured-output mode to use: configured, remembered, or the richest one."""
        async with self._mode_lock:
            if self._mode is None:
                remembered = self.cache.get(self._mode_key())
                mode = remembered.get("mode") if remembered else None
                self._mode_settled = mode in FORMAT_MODES  # learnt on an earlier run
                self._mode = mode if mode in FORMAT_MODES else FORMAT_MODES[0]
            return self._mode

    async def _downgrade(self, refused: FormatMode) -> None:
        """The server refused `refused`: move to the next simpler mode (once, for all callers)."""
        async with self._mode_lock:
            if self._mode == refused:
                self._mode = FORMAT_MODES[FORMAT_MODES.index(refused) + 1]
                self.cache.put(self._mode_key(), {"mode": self._mode})


def _mode_of(config: LLMConfig) -> FormatMode:
    """The configured mode in the client's terms (json_object means the llama.cpp variant first)."""
    return "json_object_schema" if config.response_format == "json_object" else config.response_format  # type: ignore[return-value]
