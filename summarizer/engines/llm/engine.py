"""The LLM engine: chunk notes → per-source summary → synthesis, over any OpenAI-compatible endpoint.

Map-reduce within the context window: every chunk of every source gets notes concurrently (bounded
by --concurrency); a source of several chunks is reduced to one summary, its notes collapsed in
bounded rounds when they do not fit one prompt; the synthesis (`synthesis.py`) sees the summaries
and the deterministic alignment as evidence. A model that gives nothing usable, or a prompt the
model refuses as too long, never leaves a section silently empty: that source or section falls
back to the extractive engine, and the brief says so in its warnings.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ... import settings
from ...models import Alignment, BriefDraft, Chunk, Citation, EngineName, Source, SourceSummary, Statement
from ...text.plural import counted
from ...text.shape import whole_sentence
from ...text.tokens import take_within_budget
from ...verify import verify_citations
from ..base import Engine, SimilarityGiven
from . import constants
from .cache import ResponseCache, default_cache_dir
from .client import ANSWER_FAILURES, StructuredChat, gather_or_cancel
from .config import LLMConfig
from .prompts import Prompt
from .schema import ChunkNotesAnswer, SourceNote, SourceSummaryAnswer
from .synthesis import SynthesisWriter
from .usage import UsageMeter, load_prices, require_price

if TYPE_CHECKING:
    from ..extractive import ExtractiveEngine

__all__ = ["LLMEngine"]


class LLMEngine(Engine):
    """Summaries and synthesis written by a language model, checked like everything else."""

    name = "llm"

    def __init__(
        self,
        config: LLMConfig,
        *,
        max_tokens: int = settings.DEFAULTS.max_tokens,
        cache_dir: Path | None = None,
        chat_factory: Callable[[LLMConfig, ResponseCache, UsageMeter], StructuredChat] | None = None,
        similarity: SimilarityGiven = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.model: str | None = config.model
        self.meter = UsageMeter(model=config.model, prices=load_prices())
        if config.max_cost is not None:
            require_price(config.model, self.meter.prices)
        self.cache = ResponseCache((cache_dir or default_cache_dir()) if config.use_cache else None)
        self._chat_factory = chat_factory or (lambda cfg, cache, meter: StructuredChat(cfg, cache=cache, usage=meter))
        self._chat: StructuredChat | None = None
        self.max_tokens = settings.Settings(max_tokens=max_tokens).max_tokens  # checked against its declared range
        self._similarity = similarity
        # The fallback's synthesis of an alignment, made beside the chunk calls (`prepare_synthesis`).
        self._extractive_synthesis: tuple[Alignment, BriefDraft] | None = None
        self._warnings: list[str] = []
        # Which engine wrote each part that reached the draft: the model, or the extractive engine
        # standing in for it (the brief says so rather than credit the model with its fallback).
        self._written: set[EngineName] = set()

    @cached_property
    def _fallback(self) -> ExtractiveEngine:
        """The extractive engine, standing in where the model fails and writing the evidence. Made
        when first needed, in the alignment's thread (it loads numpy, the similarity and more)."""
        from ..extractive import ExtractiveEngine

        return ExtractiveEngine(max_tokens=self.max_tokens, similarity=self._similarity)

    # --- the engine interface ---------------------------------------------------------------

    @cached_property
    def chunk_tokens(self) -> int:
        """Chunk size: the prompt budget less what the chunk-notes prompt itself takes."""
        overhead = self._chunk_prompt_size([])
        return max(constants.MIN_CHUNK_TOKENS, self.config.prompt_tokens - overhead)

    @cached_property
    def sentence_overhead_tokens(self) -> int:
        """What the chunk-notes prompt adds around each sentence: its id (five digits, to be safe)."""
        return self._chunk_prompt_size([(99_999, "")]) - self._chunk_prompt_size([])

    def _chunk_prompt_size(self, sentences: list[tuple[int, str]]) -> int:
        return self._chunk_prompt(None, sentences, 1, 1).size()

    def summarize_source(self, source: Source, chunks: list[Chunk]) -> SourceSummary:
        """Synchronous form of one source's summary (the pipeline uses the async form)."""
        return asyncio.run(self._one_shot(self.summarize_sources_async([source], [chunks])))[0]

    def synthesize(self, sources: list[Source], summaries: list[SourceSummary], alignment: Alignment) -> BriefDraft:
        """Synchronous form of the synthesis (the pipeline uses the async form)."""
        return asyncio.run(self._one_shot(self.synthesize_async(sources, summaries, alignment)))

    def usage(self) -> dict[str, Any]:
        """Calls, tokens, cache hits, seconds and estimated cost, per stage and in total."""
        return self.meter.report()

    def warnings(self) -> list[str]:
        """Fallbacks taken: sources or sections the model could not write."""
        return list(self._warnings)

    def written_by(self) -> list[EngineName]:
        """"llm" when any of the model's text reached the draft; "extractive" when it stood in anywhere."""
        return [name for name in ("llm", "extractive") if name in self._written]

    async def start(self) -> None:
        """Open the chat client (importing the SDK, 0.3-0.5 s) before the alignment starts beside
        the calls: both hold the GIL, and side by side the import delayed the first calls."""
        _ = self.chat

    async def calls_under_way(self) -> None:
        """Return once the first chunk calls are made and their requests are on the wire (never
        when every answer is cached: the pipeline also stops waiting when the summaries are done)."""
        await self.chat.requests_sent()

    async def aclose(self) -> None:
        """Close the HTTP client, if one was opened."""
        if self._chat is not None:
            await self._chat.aclose()
            self._chat = None

    # --- per-source summaries -----------------------------------------------------------------

    async def summarize_sources_async(self, sources: list[Source], chunks: list[list[Chunk]]) -> list[SourceSummary]:
        """Every source's summary; all chunk calls run at once, bounded by --concurrency. A short
        report is its own summary (see `_own_summary`) and costs no call."""
        own = [self._own_summary(source) for source in sources]
        asked = [(s, c) for s, c, summary in zip(sources, chunks, own, strict=True) if summary is None]
        total = sum(len(c) for _, c in asked)
        short = len(sources) - len(asked)
        self.progress(f"asking {self.config.model} for notes on {counted(total, 'chunk')} "
                      f"of {counted(len(asked), 'source')}"
                      + (f"; {counted(short, 'short report')} {'is its' if short == 1 else 'are their'} own summary"
                         if short else ""))
        done = 0

        async def one(source: Source, source_chunks: list[Chunk], summary: SourceSummary | None) -> SourceSummary:
            nonlocal done
            if summary is None:
                summary = await self._summarize_one(source, source_chunks)
            done += 1
            self.progress(f"summarised source {done}/{len(sources)}: {source.label}")
            return summary

        return await gather_or_cancel([one(s, c, summary) for s, c, summary in zip(sources, chunks, own, strict=True)])

    def _own_summary(self, source: Source) -> SourceSummary | None:
        """A report of no more sentences than the notes asked on one chunk, all within --max-tokens,
        summarised as itself: each sentence a statement citing itself. Notes on it could only
        restate it, and the synthesis then read it twice over. On 50 short wire reports (the
        Multi-News dev set's first; 35 this short) the prompts went from 2.34 to 1.58 tokens per
        source token, 56 calls to 21 (1.74 and 22 before cut-off sentences were left out). None
        for a report the model is asked about."""
        sentences = source.sentences
        if not sentences or len(sentences) > constants.OWN_SUMMARY_MAX_SENTENCES:
            return None
        # A fragment says nothing a reader can use (a feed cut off mid-sentence: "A year later,
        # another employee was asked to head"): left out while a whole sentence is left.
        kept = [(index, text) for index, text in enumerate(sentences) if whole_sentence(text)] or \
            list(enumerate(sentences))
        texts = [text for _, text in kept]
        if len(take_within_budget(texts, self.max_tokens, skip_what_does_not_fit=False)) < len(texts):
            return None
        return SourceSummary(source=source.id, summary=[
            Statement(text=text, citations=[Citation(source=source.id, sentence=index)]) for index, text in kept
        ])

    async def _summarize_one(self, source: Source, chunks: list[Chunk]) -> SourceSummary:
        try:
            parts = await gather_or_cancel([self._chunk_notes(source, chunk, len(chunks)) for chunk in chunks])
            notes = [note for part in parts for note in part]
            if len(chunks) > 1 and notes:
                notes = await self._reduce_notes(source, notes)
        except ANSWER_FAILURES as exc:
            return self._fallback_summary(source, chunks, f"the model gave no usable answer ({exc})")
        summary = SourceSummary(source=source.id, summary=[
            Statement(text=note.text, citations=[Citation(source=source.id, sentence=i) for i in note.sentences])
            for note in notes
        ])
        # Decide on what survives verification (the pipeline verifies again and reports drops).
        checked, _ = verify_citations(BriefDraft(title="", per_source=[summary]), [source])
        if not checked.per_source[0].summary:
            return self._fallback_summary(source, chunks, "none of the model's statements is supported "
                                          "by the sentences it cites")
        self._written.add("llm")
        return self._within_budget(summary)

    def _within_budget(self, summary: SourceSummary) -> SourceSummary:
        """The model's statements, most important first as asked, while they fit --max-tokens."""
        statements = summary.summary
        taken = take_within_budget([s.text for s in statements], self.max_tokens, skip_what_does_not_fit=False)
        return SourceSummary(source=summary.source, summary=[statements[position] for position in taken])

    def _fallback_summary(self, source: Source, chunks: list[Chunk], reason: str) -> SourceSummary:
        self._warnings.append(
            f"source {source.id} ({source.label}): {reason}; used the extractive summary instead"
        )
        self._written.add("extractive")
        return self._fallback.summarize_source(source, chunks)

    def _chunk_prompt(self, source: Source | None, sentences: list[tuple[int, str]], part: int,
                      parts: int) -> Prompt:
        return Prompt("chunk_notes.j2", ChunkNotesAnswer, {
            "max_notes": constants.NOTES_PER_CHUNK,
            "source_id": source.id if source else 1,
            "outlet": source.outlet if source else None,
            "part": part, "parts": parts, "sentences": sentences,
        })

    async def _chunk_notes(self, source: Source, chunk: Chunk, parts: int) -> list[SourceNote]:
        sentences = list(zip(chunk.sentence_ids, chunk.sentences))
        answer = await self.chat.ask(stage="chunk_notes",
                                     prompt=self._chunk_prompt(source, sentences, chunk.index + 1, parts))
        return answer.notes

    async def _reduce_notes(self, source: Source, notes: list[SourceNote]) -> list[SourceNote]:
        """One summary from the notes on an article's chunks. Notes too many for one prompt are reduced
        in batches first, in bounded rounds (the collapse step of map-reduce summarisation)."""
        budget = self.config.prompt_tokens
        for round_number in range(1, constants.MAX_COLLAPSE_ROUNDS + 1):
            if self._reduce_prompt(source, notes).size() <= budget:
                return await self._reduce_batch(source, notes)
            batches = self._reduce_batches(source, notes, budget)
            self.progress(f"source {source.id}: reducing {len(notes)} notes in {len(batches)} batches to fit the "
                          f"context window (round {round_number})")
            parts = await gather_or_cancel([self._reduce_batch(source, batch) for batch in batches])
            notes = [note for part in parts for note in part]
        kept = notes[: self._fitting_end(source, notes, 0, budget)]  # the model lists the most important first
        if len(kept) < len(notes):
            self._warnings.append(f"source {source.id} ({source.label}): after {constants.MAX_COLLAPSE_ROUNDS} "
                                  f"rounds of reducing, {len(notes) - len(kept)} notes still did not fit the "
                                  "context window and were left out (raise --context-window)")
        return await self._reduce_batch(source, kept)

    def _reduce_batches(self, source: Source, notes: list[SourceNote], budget: int) -> list[list[SourceNote]]:
        """Consecutive notes in batches whose reduce prompts fit the budget, measured as sent: each
        batch the longest run of the notes left that fits (one note at least)."""
        batches: list[list[SourceNote]] = []
        start = 0
        while start < len(notes):
            end = self._fitting_end(source, notes, start, budget)
            batches.append(notes[start:end])
            start = end
        return batches

    def _fitting_end(self, source: Source, notes: list[SourceNote], start: int, budget: int) -> int:
        """Where the longest run of notes from `start` whose reduce prompt fits the budget ends (one
        note at least, whatever its size). A prompt only grows with each note, so the run is doubled
        while it fits, then bisected: a few prompts rendered and counted per batch, where trying the
        notes one by one rendered a prompt per note, each as long as the batch so far (240 notes of
        one long article: 1.7 s of a profiled 9.8 s run against a fake that answers at once)."""
        def fit(end: int) -> bool:
            return self._reduce_prompt(source, notes[start:end]).size() <= budget

        fits, too_many = start + 1, start + 2
        while too_many <= len(notes) and fit(too_many):
            fits, too_many = too_many, start + 2 * (too_many - start)
        too_many = min(too_many, len(notes) + 1)  # past the end: more notes than there are
        while too_many - fits > 1:  # notes[start:fits] fits (or is one note); notes[start:too_many] does not
            middle = (fits + too_many) // 2
            if fit(middle):
                fits = middle
            else:
                too_many = middle
        return fits

    def _reduce_prompt(self, source: Source, notes: list[SourceNote]) -> Prompt:
        return Prompt("source_summary.j2", SourceSummaryAnswer, {
            "max_statements": constants.STATEMENTS_PER_SOURCE, "source_id": source.id, "outlet": source.outlet,
            "notes": notes,
        })

    async def _reduce_batch(self, source: Source, notes: list[SourceNote]) -> list[SourceNote]:
        answer = await self.chat.ask(stage="source_summary", prompt=self._reduce_prompt(source, notes))
        return answer.statements

    # --- synthesis ------------------------------------------------------------------------------

    def prepare_synthesis(self, sources: list[Source], alignment: Alignment) -> None:
        """The extractive synthesis, the evidence and the safety net of the model's: it needs the
        alignment alone, so it is made while the chunk calls are out (0.02 s on the seeds)."""
        self._extractive_synthesis = (alignment, self._fallback.synthesize(sources, [], alignment))

    async def synthesize_async(
        self, sources: list[Source], summaries: list[SourceSummary], alignment: Alignment
    ) -> BriefDraft:
        """The brief's sections from the model, with the alignment as evidence and as safety net."""
        prepared = self._extractive_synthesis
        if prepared is not None and prepared[0] is alignment:
            fallback = prepared[1].model_copy(update={"per_source": list(summaries)})
        else:
            fallback = self._fallback.synthesize(sources, summaries, alignment)
        writer = SynthesisWriter(self.chat, self.config, self.progress, self._warnings, self._written)
        return await writer.write(sources, summaries, alignment, fallback)

    # --- plumbing -------------------------------------------------------------------------------

    @property
    def chat(self) -> StructuredChat:
        """The chat client, created inside the running event loop on first use."""
        if self._chat is None:
            self._chat = self._chat_factory(self.config, self.cache, self.meter)
        return self._chat

    async def _one_shot(self, work: Any) -> Any:
        try:
            return await work
        finally:
            await self.aclose()
