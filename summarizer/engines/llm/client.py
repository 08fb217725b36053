"""The only code that talks HTTP: chat completions through the openai SDK, with structured answers.

Two loops, kept apart (instructor's lesson):
- network faults: `retry` decides, tenacity waits; the SDK's own retries are off;
- invalid answers: parse, validate with pydantic, and on failure append the error and re-ask,
  at most MAX_REASKS times (constants.py); `finish_reason == "length"` is an error of its own.

Structured output degrades with the server: a JSON Schema `response_format` (OpenAI, vLLM, LM
Studio, Ollama), then `{"type": "json_object", "schema": ...}` (llama.cpp's server), then plain
`json_object`, then the prompt alone. The first round of calls goes out at once in the richest
mode; a refused call is asked again in the next one. The mode that worked is remembered in the
cache, so a later run is refused nothing and, when its answers are cached, makes no call at all.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import openai
from pydantic import ValidationError
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
from .prompts import AnswerT, Prompt, render_messages, template_digest
from .retry import (
    is_response_format_refused,
    is_retryable,
    translate_error,
    wait_for_retry,
)
from .usage import UsageMeter

if TYPE_CHECKING:
    import httpx2

T = TypeVar("T")
# Failures of the answer (or of a prompt too long for the model) that fall back to the extractive
# engine for that source or section; failures of the endpoint stop the run.
ANSWER_FAILURES = (InvalidOutputError, OutputTruncatedError, ContextLengthExceededError)
FormatMode = Literal["json_schema", "json_object_schema", "json_object", "prompt"]
FORMAT_MODES: tuple[FormatMode, ...] = ("json_schema", "json_object_schema", "json_object", "prompt")
# Modes whose response format carries the answer's schema: the prompt need not spell it out again.
SCHEMA_CARRYING_MODES: frozenset[FormatMode] = frozenset({"json_schema", "json_object_schema"})
_CODE_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$", re.IGNORECASE)


class _Departure:
    """One HTTP request on its way out: done once its body is on the wire, or its call has ended."""

    def __init__(self, on_done: Callable[[], None]) -> None:
        self._on_done: Callable[[], None] | None = on_done

    def done(self) -> None:
        if self._on_done is not None:
            on_done, self._on_done = self._on_done, None
            on_done()


# The request the current task is sending. The HTTP layer's trace hook runs in that task, so it
# finds its own request here (the SDK has no per-request hook of its own).
_DEPARTING: ContextVar[_Departure | None] = ContextVar("summarizer_llm_departing", default=None)


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
        # Whether each request's worst case must be counted before it goes out (for the gate).
        self._counts_tokens = GateLimits.of(config).counts_tokens
        # Requests handed to the SDK whose bodies are not on the wire yet; `_all_sent` is set the
        # first time none is left (see `requests_sent`).
        self._unsent = 0
        self._all_sent = asyncio.Event()
        self._client = client or openai.AsyncOpenAI(
            api_key=config.api_key.get_secret_value(),
            base_url=config.base_url,
            max_retries=0,  # the one retry layer is ours (retry.py)
            timeout=openai.Timeout(config.request_timeout, connect=constants.CONNECT_TIMEOUT_S),
            http_client=openai.DefaultAsyncHttpxClient(event_hooks={"request": [self._trace_request]}),
        )
        self._mode_lock = asyncio.Lock()
        # A mode the user chose is tried first (a refusal still downgrades it); else the one an
        # earlier run learnt, else the richest.
        self._mode: FormatMode | None = None if config.response_format == "auto" else _mode_of(config)

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._client.close()

    async def requests_sent(self) -> None:
        """Return once requests have gone out and every one made so far is on the wire (its body
        sent); never, when every answer comes from the cache. The pipeline starts the alignment only
        then: its CPU work beside the first round's connections and sends delayed their departure
        by 0.09 s on the seeds."""
        await self._all_sent.wait()

    async def _trace_request(self, request: httpx2.Request) -> None:
        # httpcore's "trace" extension reports each step of sending the request.
        request.extensions["trace"] = self._trace

    async def _trace(self, event: str, info: dict[str, Any]) -> None:
        if event.endswith("send_request_body.complete"):
            departing = _DEPARTING.get()
            if departing is not None:
                departing.done()

    @contextmanager
    def _departing(self) -> Iterator[None]:
        """Count the request made inside as unsent until its body is on the wire or it has ended."""
        def sent() -> None:
            self._unsent -= 1
            if self._unsent == 0:
                self._all_sent.set()

        departure = _Departure(sent)
        self._unsent += 1
        token = _DEPARTING.set(departure)
        try:
            yield
        finally:
            _DEPARTING.reset(token)
            departure.done()

    async def ask(self, *, stage: str, prompt: Prompt[AnswerT]) -> AnswerT:
        """Ask, validate, re-ask with the error at most MAX_REASKS times (constants.py)."""
        follow_up: list[dict[str, str]] = []  # the turns of the re-asks, after the prompt's own
        last_text = ""
        attempts = 1 + constants.MAX_REASKS
        for attempt in range(1, attempts + 1):
            answer = await self._complete(stage, prompt, follow_up)
            last_text = answer["text"]
            if answer["finish_reason"] == "length":
                raise OutputTruncatedError(
                    f"{stage}: the model's answer was cut off at {self.config.answer_tokens} tokens "
                    "(finish_reason length); raise --context-window if the model allows more",
                    attempts=attempt, last_output=last_text, usage=answer.get("usage"),
                )
            try:
                return parse_answer(last_text, prompt.answer_model)
            except ValueError as exc:
                problem = str(exc)
                follow_up = [
                    *follow_up,
                    {"role": "assistant", "content": last_text},
                    *render_messages("reask.j2", error=problem),
                ]
        raise InvalidOutputError(
            f"{stage}: no valid answer after {attempts} attempts (last problem: {problem})",
            attempts=attempts, last_output=last_text,
        )

    async def _complete(self, stage: str, prompt: Prompt[Any], follow_up: list[dict[str, str]]) -> dict[str, Any]:
        """One answer (text, finish_reason, usage), from the cache or the endpoint, in the first
        structured-output mode the server takes.

        A call starts in the mode current when it is made and, when refused, walks down the modes
        on its own. So the first round goes out at once in the preferred mode and, if the server
        refuses it, each of its calls is asked again in the next one; a call made after an answer
        starts where that answer's call ended. Which requests are made depends on the server's
        answers, never on timing (cassettes replay by request body)."""
        schema = prompt.answer_model.model_json_schema()
        mode = await self._current_mode()
        while True:
            messages = [*prompt.messages(with_schema=mode not in SCHEMA_CARRYING_MODES), *follow_up]
            key = cache_key({
                "endpoint": self.config.endpoint, "model": self.config.model,
                "template": template_digest(prompt.template), "messages": messages, "mode": mode,
                "schema": schema, "temperature": 0, "max_tokens": self.config.answer_tokens,
            })
            cached = self.cache.get(key)
            if cached is not None:
                self.usage.record_cache_hit(stage)
                return cached
            try:
                answer = await self._call(stage, messages, mode, prompt.answer_model.__name__, schema)
            except openai.APIStatusError as exc:
                if not is_response_format_refused(exc) or mode == "prompt":
                    raise translate_error(exc, endpoint=self.config.endpoint, model=self.config.model,
                                          attempts=1, timeout=self.config.request_timeout) from exc
                mode = FORMAT_MODES[FORMAT_MODES.index(mode) + 1]
                await self._downgrade_to(mode)
                continue
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
            started = time.monotonic()
            try:
                async for attempt in AsyncRetrying(
                    retry=retry_if_exception(is_retryable),
                    wait=wait_for_retry,
                    stop=stop_after_attempt(constants.MAX_ATTEMPTS)
                    | stop_before_delay(constants.TOTAL_RETRY_TIME_S),
                    # The engine runs on asyncio only. tenacity's own default imports trio to
                    # check for it whenever the name is in sys.modules, and the command blocks
                    # trio's import (cli.run): that default would fail the first retry.
                    sleep=asyncio.sleep,
                    reraise=True,
                ):
                    with attempt, self._departing():
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
        if not self._counts_tokens:
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
                remembered = self.cache.get(self._mode_key())  # learnt on an earlier run
                mode = remembered.get("mode") if remembered else None
                self._mode = mode if mode in FORMAT_MODES else FORMAT_MODES[0]
            return self._mode

    async def _downgrade_to(self, mode: FormatMode) -> None:
        """A call was refused its mode and goes on in `mode`: calls made from now on start there,
        and so does the next run."""
        async with self._mode_lock:
            if self._mode is None or FORMAT_MODES.index(mode) > FORMAT_MODES.index(self._mode):
                self._mode = mode
                self.cache.put(self._mode_key(), {"mode": self._mode})


def _mode_of(config: LLMConfig) -> FormatMode:
    """The configured mode in the client's terms (json_object means the llama.cpp variant first)."""
    return "json_object_schema" if config.response_format == "json_object" else config.response_format  # type: ignore[return-value]
