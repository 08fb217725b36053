"""The one retry layer for network faults, and the translation of the SDK's errors into ours.

Retried (with backoff and jitter, honouring a Retry-After up to RETRY_AFTER_CAP_S): timeouts,
connection errors, 408, 409, 429 and 5xx. Never retried: 400, 401, 403, 404, 422, a 429 whose
error code is `insufficient_quota` (retrying cannot refill a quota), a refusal of the
`response_format` itself (the client falls back to a simpler format instead), a prompt longer than
the model's window, and a Retry-After longer than the cap (the error says when to try again). The
SDK's own retries are off, so each fault is retried exactly once per layer: here.

Everything deciding a retry is a pure function of the exception or headers, tested table-driven.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import random
import re
from collections.abc import Callable, Mapping

import openai
from tenacity import RetryCallState

from ...errors import (
    AuthenticationFailedError,
    ContextLengthExceededError,
    EndpointUnreachableError,
    LLMError,
    ModelNotFoundError,
    QuotaExceededError,
    RateLimitedError,
    RequestRejectedError,
    ServerFailedError,
)
from . import constants

RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
# Words a server uses when it does not support the response_format we sent (llama.cpp's server
# answers 500 with a validation error, others 400 or 422).
_FORMAT_REFUSAL_WORDS = ("response_format", "json_schema", "json_object")
# How servers say a prompt is longer than the model's window: OpenAI and vLLM ("maximum context
# length is 8192 tokens"), llama.cpp ("exceeds the available context size"), others.
_CONTEXT_OVERFLOW = re.compile(
    r"context[ _](?:length|size|window)|maximum context|too many tokens|prompt is too long|exceeds the .{0,20}context",
    re.I,
)


def error_code(exc: BaseException) -> str | None:
    """The `error.code` an OpenAI-style error body carries, if any."""
    body = getattr(exc, "body", None)
    if isinstance(body, Mapping):
        inner = body.get("error", body)
        if isinstance(inner, Mapping) and isinstance(inner.get("code"), str):
            return inner["code"]
    return getattr(exc, "code", None) if isinstance(getattr(exc, "code", None), str) else None


def is_quota_exhausted(exc: BaseException) -> bool:
    """A 429 that means the account is out of credit, not that it is going too fast."""
    return isinstance(exc, openai.APIStatusError) and exc.status_code == 429 and (
        error_code(exc) == "insufficient_quota" or "insufficient_quota" in str(exc)
    )


def is_response_format_refused(exc: BaseException) -> bool:
    """The server refused the structured-output parameter itself (so try a simpler one)."""
    if not isinstance(exc, openai.APIStatusError) or exc.status_code not in (400, 422, 500):
        return False
    text = f"{exc.message} {exc.body}".lower()
    return any(word in text for word in _FORMAT_REFUSAL_WORDS)


def is_context_overflow(exc: BaseException) -> bool:
    """The server refused a prompt longer than the model's context window."""
    if not isinstance(exc, openai.APIStatusError) or exc.status_code not in (400, 413, 422):
        return False
    return error_code(exc) == "context_length_exceeded" or bool(_CONTEXT_OVERFLOW.search(f"{exc.message} {exc.body}"))


def retry_after_of(exc: BaseException) -> float | None:
    """The wait (seconds) an error's response asks for in its Retry-After headers, if any."""
    response = getattr(exc, "response", None)
    return parse_retry_after(getattr(response, "headers", None))


def waits_too_long(exc: BaseException) -> bool:
    """The server asks for a wait longer than RETRY_AFTER_CAP_S: fail now and say when to come back."""
    wait = retry_after_of(exc)
    return wait is not None and wait > constants.RETRY_AFTER_CAP_S


def is_retryable(exc: BaseException) -> bool:
    """Whether a fresh attempt of the same request can succeed, soon enough to wait for."""
    if isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError)):
        return True
    if isinstance(exc, openai.APIStatusError):
        if is_quota_exhausted(exc) or is_response_format_refused(exc) or is_context_overflow(exc):
            return False
        if waits_too_long(exc):
            return False
        return exc.status_code in RETRYABLE_STATUS or exc.status_code >= 500
    return False


def parse_retry_after(headers: Mapping[str, str] | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds the server asks us to wait: `retry-after-ms`, `retry-after` seconds or HTTP date."""
    if not headers:
        return None
    lowered = {key.lower(): value for key, value in headers.items()}
    milliseconds = lowered.get("retry-after-ms")
    if milliseconds is not None:
        try:
            return max(0.0, float(milliseconds) / 1000.0)
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    now = now or dt.datetime.now(dt.timezone.utc)
    return max(0.0, (when - now).total_seconds())


def backoff_seconds(attempt: int, retry_after: float | None, *, rng: random.Random | None = None) -> float:
    """The wait before retry number `attempt` (1 = the first retry).

    A server's Retry-After is obeyed (a longer one is not retried at all, see `waits_too_long`);
    otherwise exponential backoff
    from BACKOFF_INITIAL_S, capped at BACKOFF_MAX_S, plus up to BACKOFF_JITTER_S of
    jitter so that concurrent calls that failed together do not retry together.
    """
    if retry_after is not None:
        return min(retry_after, constants.RETRY_AFTER_CAP_S)
    base = min(constants.BACKOFF_INITIAL_S * 2 ** (attempt - 1), constants.BACKOFF_MAX_S)
    return base + (rng or random).uniform(0.0, constants.BACKOFF_JITTER_S)


def wait_for_retry(state: RetryCallState) -> float:
    """tenacity `wait=`: the backoff for the exception that ended the last attempt."""
    exc = state.outcome.exception() if state.outcome is not None else None
    return backoff_seconds(state.attempt_number, retry_after_of(exc) if exc is not None else None)


def _is_server_failure(exc: BaseException) -> bool:
    return isinstance(exc, openai.APIStatusError) and exc.status_code >= 500


def _rate_limited_for_long(exc: BaseException) -> bool:
    return isinstance(exc, openai.RateLimitError) and waits_too_long(exc)


def _failing_for_long(exc: BaseException) -> bool:
    return _is_server_failure(exc) and waits_too_long(exc)


def _is_other_status(exc: BaseException) -> bool:
    return isinstance(exc, openai.APIStatusError)


def _is_instance(kind: type[BaseException]) -> Callable[[BaseException], bool]:
    return lambda exc: isinstance(exc, kind)


# SDK failure -> our error and its message, first match wins (quota before rate limit: both are
# 429). Fields: {where} endpoint and model, {endpoint}, {detail} the server's message, {cause} the
# connection error's cause, {attempts}, {timeout}, {status}, {wait} what Retry-After asks for and
# {after} the time that makes.
_TRANSLATIONS: tuple[tuple[Callable[[BaseException], bool], type[LLMError], str], ...] = (
    (_is_instance(openai.APITimeoutError), EndpointUnreachableError,
     "{where} did not answer within {timeout:g} s after {attempts} attempts; check that the server is up "
     "and not overloaded, lower --concurrency or raise --timeout, or use --engine extractive, which needs "
     "no endpoint"),
    (_is_instance(openai.APIConnectionError), EndpointUnreachableError,
     "cannot reach {endpoint} after {attempts} attempts ({cause}); is the server running? check "
     "--base-url / OPENAI_BASE_URL, or use --engine extractive, which needs no endpoint"),
    (_is_instance(openai.AuthenticationError), AuthenticationFailedError,
     "{where} refused the API key (401: {detail}); set a valid key with --api-key or OPENAI_API_KEY"),
    (_is_instance(openai.PermissionDeniedError), AuthenticationFailedError,
     "{where} denied access (403: {detail}); check the key's permissions for this model"),
    (_is_instance(openai.NotFoundError), ModelNotFoundError,
     "{where} answered 404 ({detail}); check --model and that --base-url ends in /v1"),
    (is_quota_exhausted, QuotaExceededError,
     "{where} says the account's quota is used up (429 insufficient_quota); add credit or use another "
     "key; retrying will not help"),
    (_rate_limited_for_long, RateLimitedError,
     "{where} is rate-limiting (429: {detail}) and the server asks to wait {wait:g} s; try again after "
     "{after}, or lower --concurrency"),
    (_failing_for_long, ServerFailedError,
     "{where} is failing ({status}: {detail}) and the server asks to wait {wait:g} s; try again after {after}"),
    (_is_instance(openai.RateLimitError), RateLimitedError,
     "{where} kept rate-limiting after {attempts} attempts (429: {detail}); lower --concurrency or try "
     "again later"),
    (is_context_overflow, ContextLengthExceededError,
     "{where} refused a prompt longer than the model's context window ({status}: {detail}); set "
     "--context-window to the model's window"),
    (_is_server_failure, ServerFailedError, "{where} kept failing after {attempts} attempts ({status}: {detail})"),
    (_is_other_status, RequestRejectedError, "{where} rejected the request ({status}: {detail})"),
)


def translate_error(exc: BaseException, *, endpoint: str, model: str, attempts: int, timeout: float) -> LLMError:
    """Our exception for an SDK exception: one line that says what happened and how to fix it."""
    status = getattr(exc, "status_code", None)
    wait = retry_after_of(exc) or 0.0
    after = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=wait)
    fields = {
        "where": f"{endpoint} (model {model!r})", "endpoint": endpoint, "attempts": attempts, "timeout": timeout,
        "status": status, "detail": _short(getattr(exc, "message", None) or str(exc)),
        "cause": _short(str(exc.__cause__ or exc)), "wait": wait, "after": after.strftime("%Y-%m-%d %H:%M UTC"),
    }
    for matches, error, message in _TRANSLATIONS:
        if matches(exc):
            return error(message.format(**fields), attempts=attempts, status_code=status)
    return LLMError(f"{fields['where']}: {type(exc).__name__}: {fields['detail']}", attempts=attempts,
                    status_code=status)


def _short(text: str, limit: int = 200) -> str:
    """One line of at most `limit` characters, for error messages."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
