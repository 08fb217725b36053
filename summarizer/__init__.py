"""summarizer: several news reports of one event in, one cited brief out.

    >>> from summarizer import summarize, render_brief
    >>> brief = summarize(["seeds/"], engine="extractive")
    >>> print(render_brief(brief, "md"))

Errors raised are the tree in `summarizer.errors` (all subclasses of `SummarizerError`). What is
exported here is the public API; the stage packages behind it (load, text, align, engines, verify,
render) are internal and may change.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .check import check
from .errors import (
    AuthenticationFailedError,
    BudgetExhaustedError,
    ConfigError,
    ContextLengthExceededError,
    EndpointUnreachableError,
    EngineError,
    InputError,
    InvalidOutputError,
    InvalidPathError,
    LLMError,
    ModelNotFoundError,
    NoArticlesError,
    OutputError,
    OutputTruncatedError,
    PathNotFoundError,
    QuotaExceededError,
    RateLimitedError,
    RequestRejectedError,
    ServerFailedError,
    SummarizerError,
    SummarizerWarning,
)
from .load import load_sources
from .models import (
    Brief,
    CheckReport,
    Citation,
    Disagreement,
    Source,
    SourceSummary,
    Statement,
    brief_json_schema,
    check_json_schema,
)
from .pipeline import (
    summarize,
    summarize_async,
    summarize_sources,
    summarize_sources_async,
)
from .settings import LLMOptions

if TYPE_CHECKING:
    from .batches import batch
    from .cluster import cluster_articles, write_clusters
    from .render import FORMAT_NAMES, render_brief, render_check

# Exported, imported when first used: `python -m summarizer` and the `summarize` command read this
# file first, and a brief's run must not wait for the batch executors, the clustering (numpy) or
# the renderers before its first request to a model.
_IMPORTED_WHEN_USED = {
    "batch": ".batches",
    "cluster_articles": ".cluster",
    "write_clusters": ".cluster",
    "FORMAT_NAMES": ".render",
    "render_brief": ".render",
    "render_check": ".render",
}


def __getattr__(name: str) -> Any:
    if name not in _IMPORTED_WHEN_USED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_IMPORTED_WHEN_USED[name], __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "FORMAT_NAMES",
    "AuthenticationFailedError",
    "Brief",
    "BudgetExhaustedError",
    "CheckReport",
    "Citation",
    "ConfigError",
    "ContextLengthExceededError",
    "Disagreement",
    "EndpointUnreachableError",
    "EngineError",
    "InputError",
    "InvalidOutputError",
    "InvalidPathError",
    "LLMError",
    "LLMOptions",
    "ModelNotFoundError",
    "NoArticlesError",
    "OutputError",
    "OutputTruncatedError",
    "PathNotFoundError",
    "QuotaExceededError",
    "RateLimitedError",
    "RequestRejectedError",
    "ServerFailedError",
    "Source",
    "SourceSummary",
    "Statement",
    "SummarizerError",
    "SummarizerWarning",
    "__version__",
    "batch",
    "brief_json_schema",
    "check",
    "check_json_schema",
    "cluster_articles",
    "load_sources",
    "render_brief",
    "render_check",
    "summarize",
    "summarize_async",
    "summarize_sources",
    "summarize_sources_async",
    "write_clusters",
]
