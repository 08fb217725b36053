"""llm_retry: which failures are retried, how long to wait, and what the user is told (table-driven)."""

from __future__ import annotations

import datetime as dt
import random

import httpx2
import openai
import pytest

from summarizer.engines.llm import constants
from summarizer.engines.llm.retry import (
    backoff_seconds,
    is_response_format_refused,
    is_retryable,
    parse_retry_after,
    translate_error,
)
from summarizer.errors import (
    AuthenticationFailedError,
    EndpointUnreachableError,
    ModelNotFoundError,
    QuotaExceededError,
    RateLimitedError,
    RequestRejectedError,
    ServerFailedError,
)

REQUEST = httpx2.Request("POST", "http://127.0.0.1:9/v1/chat/completions")


def status_error(status: int, body: object = None, headers: dict[str, str] | None = None) -> openai.APIStatusError:
    """The SDK's exception for an HTTP status, as the SDK itself builds it."""
    response = httpx2.Response(status, request=REQUEST, headers=headers or {}, json=body)
    client = openai.OpenAI(api_key="x", base_url="http://127.0.0.1:9/v1")
    return client._make_status_error_from_response(response)


REFUSAL = {"error": {"message": "1 validation error: ('body', 'response_format', 'type') Input should be 'text' or 'json_object'"}}


@pytest.mark.parametrize("exc, retryable", [
    (openai.APITimeoutError(request=REQUEST), True),
    (openai.APIConnectionError(request=REQUEST), True),
    (status_error(408), True),
    (status_error(409), True),
    (status_error(429, {"error": {"code": "rate_limit_exceeded", "message": "slow down"}}), True),
    (status_error(429, {"error": {"code": "insufficient_quota", "message": "quota"}}), False),
    (status_error(500), True),
    (status_error(502), True),
    (status_error(503), True),
    (status_error(504), True),
    (status_error(400), False),
    (status_error(401), False),
    (status_error(403), False),
    (status_error(404), False),
    (status_error(422), False),
    (status_error(500, REFUSAL), False),  # a refused response_format is not a network fault
    (ValueError("bug"), False),
])
def test_is_retryable(exc: BaseException, retryable: bool) -> None:
    assert is_retryable(exc) is retryable


@pytest.mark.parametrize("exc, refused", [
    (status_error(500, REFUSAL), True),
    (status_error(400, {"error": {"message": "response_format json_schema is not supported"}}), True),
    (status_error(400, {"error": {"message": "messages must not be empty"}}), False),
    (status_error(503, REFUSAL), False),
])
def test_is_response_format_refused(exc: BaseException, refused: bool) -> None:
    assert is_response_format_refused(exc) is refused


NOW = dt.datetime(2026, 11, 23, 8, 0, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("headers, seconds", [
    ({}, None),
    (None, None),
    ({"Retry-After": "7"}, 7.0),
    ({"retry-after": "1.5"}, 1.5),
    ({"retry-after-ms": "250"}, 0.25),
    ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
    ({"Retry-After": "Mon, 23 Nov 2026 08:00:30 GMT"}, 30.0),
    ({"Retry-After": "Mon, 23 Nov 2026 07:59:00 GMT"}, 0.0),  # a date in the past: no wait
    ({"Retry-After": "soon"}, None),
    ({"Retry-After": "-3"}, 0.0),
])
def test_parse_retry_after(headers: dict[str, str] | None, seconds: float | None) -> None:
    assert parse_retry_after(headers, now=NOW) == seconds


@pytest.mark.parametrize("attempt, retry_after, low, high", [
    (1, None, constants.BACKOFF_INITIAL_S, constants.BACKOFF_INITIAL_S + constants.BACKOFF_JITTER_S),
    (2, None, 2 * constants.BACKOFF_INITIAL_S, 2 * constants.BACKOFF_INITIAL_S + constants.BACKOFF_JITTER_S),
    (30, None, constants.BACKOFF_MAX_S, constants.BACKOFF_MAX_S + constants.BACKOFF_JITTER_S),
    (1, 3.0, 3.0, 3.0),
    (1, 10_000.0, constants.RETRY_AFTER_CAP_S, constants.RETRY_AFTER_CAP_S),
])
def test_backoff_seconds(attempt: int, retry_after: float | None, low: float, high: float) -> None:
    rng = random.Random(0)
    for _ in range(20):
        assert low <= backoff_seconds(attempt, retry_after, rng=rng) <= high


@pytest.mark.parametrize("exc, kind, hint", [
    (openai.APITimeoutError(request=REQUEST), EndpointUnreachableError, "--timeout"),
    (openai.APIConnectionError(request=REQUEST), EndpointUnreachableError, "--base-url"),
    (status_error(401, {"error": {"message": "bad key"}}), AuthenticationFailedError, "OPENAI_API_KEY"),
    (status_error(403), AuthenticationFailedError, "permissions"),
    (status_error(404), ModelNotFoundError, "--model"),
    (status_error(429, {"error": {"code": "insufficient_quota", "message": "q"}}), QuotaExceededError, "credit"),
    (status_error(429, {"error": {"message": "slow"}}), RateLimitedError, "--concurrency"),
    (status_error(503), ServerFailedError, "503"),
    (status_error(400, {"error": {"message": "bad request"}}), RequestRejectedError, "400"),
])
def test_translate_error(exc: BaseException, kind: type, hint: str) -> None:
    error = translate_error(exc, endpoint="http://127.0.0.1:9/v1", model="m", attempts=3, timeout=7)
    assert isinstance(error, kind)
    assert hint in str(error)
    assert "\n" not in str(error)
    assert error.attempts == 3
