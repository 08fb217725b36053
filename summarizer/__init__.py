"""summarizer: several news reports of one event in, one cited brief out.

    >>> from summarizer import summarize
    >>> brief = summarize(["seeds/"], engine="extractive")
    >>> print(brief.to_markdown())

Errors raised are the tree in `summarizer.errors` (all subclasses of `SummarizerError`).
"""

from .align import align_sources
from .engines import LLMOptions
from .errors import (
    AuthenticationFailedError,
    ConfigError,
    EndpointUnreachableError,
    EngineError,
    InputError,
    InvalidOutputError,
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
from .models import (
    Alignment,
    Brief,
    Chunk,
    Citation,
    Disagreement,
    FactGroup,
    Source,
    SourceSummary,
    Statement,
    brief_json_schema,
)
from .pipeline import (
    summarize,
    summarize_async,
    summarize_sources,
    summarize_sources_async,
)
from .sources import load_sources
from .verify import verify_citations

__version__ = "0.1.0"

__all__ = [
    "Alignment",
    "AuthenticationFailedError",
    "Brief",
    "Chunk",
    "Citation",
    "ConfigError",
    "Disagreement",
    "EndpointUnreachableError",
    "EngineError",
    "FactGroup",
    "InputError",
    "InvalidOutputError",
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
    "align_sources",
    "brief_json_schema",
    "load_sources",
    "summarize",
    "summarize_async",
    "summarize_sources",
    "summarize_sources_async",
    "verify_citations",
]
