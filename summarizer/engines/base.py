"""The engine interface: one small protocol that the extractive and the LLM engines implement.

An engine may also offer `summarize_sources_async(sources, chunks)`, `synthesize_async(...)`,
`warnings()` (fallbacks it took), `aclose()` and a settable `progress` callback; the pipeline uses
them when present, so an engine that calls a network can work concurrently.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, runtime_checkable

from ..models import Alignment, BriefDraft, Chunk, Source, SourceSummary

EngineName = Literal["extractive", "llm"]


@runtime_checkable
class Engine(Protocol):
    """Summarises each source, then merges the summaries and the alignment into a draft brief."""

    name: EngineName
    model: str | None

    @property
    def chunk_tokens(self) -> int:
        """The token budget of one chunk of an article, as this engine reads it."""
        ...

    def summarize_source(self, source: Source, chunks: list[Chunk]) -> SourceSummary:
        """A few cited statements that summarise one source."""
        ...

    def synthesize(
        self, sources: list[Source], summaries: list[SourceSummary], alignment: Alignment
    ) -> BriefDraft:
        """The draft brief: title, lede, agreements, disagreements, exclusives, per-source."""
        ...

    def usage(self) -> dict[str, Any]:
        """What the engine spent (calls, tokens, seconds); empty when it spent nothing countable."""
        ...
