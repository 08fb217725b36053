"""The exceptions the package raises; every message says what went wrong and how to fix it.

    SummarizerError
    ├── InputError            the articles given cannot be used
    │   ├── InvalidPathError      a path cannot be used as given (the CLI's exit status 2)
    │   │   └── PathNotFoundError     a path on the command line does not exist
    │   └── NoArticlesError       nothing readable was found in the paths given (each file's reason)
    ├── ConfigError           options or environment are inconsistent (engine, key, budget, ...)
    ├── EngineError           an engine failed to produce a brief
    │   └── LLMError              a call to the language model failed (carries its diagnostics)
    │       ├── EndpointUnreachableError  connection refused, DNS, timeouts after retries
    │       ├── AuthenticationFailedError 401/403: the key is missing, wrong or not allowed
    │       ├── ModelNotFoundError        404: no such model or path at the endpoint
    │       ├── QuotaExceededError        429 insufficient_quota: retrying cannot help
    │       ├── RateLimitedError          429 still after every retry
    │       ├── ServerFailedError         5xx still after every retry
    │       ├── RequestRejectedError      400/409/422 and other refusals of the request itself
    │       │   └── ContextLengthExceededError  the prompt is longer than the model's window
    │       ├── OutputTruncatedError      finish_reason == "length": the answer was cut off
    │       └── InvalidOutputError        no valid structured answer after the bounded re-asks
    │   └── BudgetExhaustedError  the next call could cross the --max-cost budget; none was made
    └── OutputError           the brief could not be written

Exceptions of dependencies (OSError, pydantic.ValidationError, openai.APIError) are translated into
this tree at the boundary where they happen (`raise ... from exc`), so callers catch one family.
"""

from __future__ import annotations


class SummarizerError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(SummarizerError):
    """The articles given cannot be used."""


class InvalidPathError(InputError):
    """A path cannot be used as given: a broken link, a file named with a trailing slash, an output
    file that is one of the articles or would become one on the next run."""


class PathNotFoundError(InvalidPathError):
    """A path given does not exist."""


class NoArticlesError(InputError):
    """No readable article was found in the paths given."""


class ConfigError(SummarizerError):
    """Options or environment are inconsistent."""


class EngineError(SummarizerError):
    """An engine failed to produce a brief."""


class LLMError(EngineError):
    """A call to the language model failed; `attempts`, `last_output` and `usage` say how."""

    def __init__(
        self,
        message: str,
        *,
        attempts: int = 0,
        last_output: str | None = None,
        usage: dict[str, int] | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.last_output = last_output
        self.usage = dict(usage or {})
        self.status_code = status_code


class EndpointUnreachableError(LLMError):
    """The endpoint could not be reached (connection refused, DNS, timeouts) after retries."""


class AuthenticationFailedError(LLMError):
    """The endpoint refused the key (401) or its permissions (403)."""


class ModelNotFoundError(LLMError):
    """The endpoint has no such model or path (404)."""


class QuotaExceededError(LLMError):
    """The account's quota is used up (429 insufficient_quota); retrying cannot help."""


class RateLimitedError(LLMError):
    """The endpoint kept answering 429 through every retry."""


class ServerFailedError(LLMError):
    """The endpoint kept failing (5xx) through every retry."""


class RequestRejectedError(LLMError):
    """The endpoint refused the request itself (400, 409, 422, ...)."""


class ContextLengthExceededError(RequestRejectedError):
    """The endpoint refused a prompt longer than the model's context window (a 400 that says so)."""


class OutputTruncatedError(LLMError):
    """The model stopped at its token limit (finish_reason "length"): the answer is incomplete."""


class InvalidOutputError(LLMError):
    """The model gave no valid structured answer within the bounded re-asks."""


class BudgetExhaustedError(EngineError):
    """The next call could cross the --max-cost budget, so it was not made (nor any after it)."""


class OutputError(SummarizerError):
    """The brief could not be written."""


class SummarizerWarning(UserWarning):
    """Something was skipped or a fallback taken; the brief was still produced (see Brief.warnings)."""
