"""The engine interface: one small base class that the extractive and the LLM engines implement.

An engine summarises each source and merges the summaries and the alignment into a draft brief.
The async methods have defaults built on the sync ones, so the pipeline calls every engine the same
way; an engine that calls a network overrides them to work concurrently.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

from ..models import Alignment, BriefDraft, Chunk, EngineName, Source, SourceSummary

if TYPE_CHECKING:
    from ..text.similarity import Similarity

__all__ = ["Engine", "ProgressCallback", "SimilarityGiven"]

ProgressCallback = Callable[[str], None]
# The run's similarity, or how to get it when first needed (numpy, the vector cache and perhaps
# the model are loaded then: for an engine that calls a model, beside its first calls), or None
# for the default one.
SimilarityGiven: TypeAlias = "Similarity | Callable[[], Similarity] | None"


def _no_progress(message: str) -> None:
    """The progress callback of an engine nobody listens to."""


class Engine(ABC):
    """Summarises each source, then merges the summaries and the alignment into a draft brief."""

    name: ClassVar[EngineName]
    model: str | None = None

    def __init__(self) -> None:
        # Set by the pipeline; the engine reports what it is doing through it.
        self.progress: ProgressCallback = _no_progress

    @property
    @abstractmethod
    def chunk_tokens(self) -> int:
        """The token budget of one chunk of an article, as this engine reads it."""

    @property
    def sentence_overhead_tokens(self) -> int:
        """Tokens the engine adds around each sentence of a chunk (an id in a prompt); counted in chunk_tokens."""
        return 0

    @abstractmethod
    def summarize_source(self, source: Source, chunks: list[Chunk]) -> SourceSummary:
        """A few cited statements that summarise one source."""

    @abstractmethod
    def synthesize(self, sources: list[Source], summaries: list[SourceSummary], alignment: Alignment) -> BriefDraft:
        """The draft brief: title, lede, agreements, disagreements, exclusives, per-source."""

    def usage(self) -> dict[str, Any]:
        """What the engine spent (calls, tokens, seconds); empty when it spent nothing countable."""
        return {}

    def warnings(self) -> list[str]:
        """Fallbacks the engine took, for the brief's warnings."""
        return []

    def written_by(self) -> list[EngineName]:
        """The engines whose text the draft holds: this one, unless another stood in for it."""
        return [self.name]

    async def start(self) -> None:
        """Get ready to summarise (an engine that calls a server opens its client here); by default
        nothing."""
        return None

    async def calls_under_way(self) -> None:
        """Return once the summaries' first calls to a server are out; at once for an engine that
        makes none. The pipeline starts the alignment beside the summaries only then, so that its
        CPU work does not delay those calls."""
        return None

    def prepare_synthesis(self, sources: list[Source], alignment: Alignment) -> None:
        """Do what the synthesis needs of the alignment alone; the pipeline calls it in the
        alignment's thread, beside the summaries' calls. By default nothing."""
        return None

    async def summarize_sources_async(self, sources: list[Source], chunks: list[list[Chunk]]) -> list[SourceSummary]:
        """Every source's summary; by default one after the other, reporting progress."""
        summaries = []
        # One line per source for a handful; about every tenth of the way for hundreds.
        report_every = max(1, len(sources) // 10)
        for position, (source, source_chunks) in enumerate(zip(sources, chunks, strict=True), start=1):
            summaries.append(self.summarize_source(source, source_chunks))
            if position % report_every == 0 or position == len(sources):
                self.progress(f"summarised source {position}/{len(sources)}: {source.outlet or source.path}")
        return summaries

    async def synthesize_async(
        self, sources: list[Source], summaries: list[SourceSummary], alignment: Alignment
    ) -> BriefDraft:
        """The draft brief; by default the sync `synthesize`."""
        return self.synthesize(sources, summaries, alignment)

    async def aclose(self) -> None:
        """Release what the engine holds open (connections); by default nothing."""
        return None
