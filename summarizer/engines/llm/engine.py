"""The LLM engine: chunk notes → per-source summary → synthesis, over any OpenAI-compatible endpoint.

Map-reduce within the context window: every chunk of every source gets notes concurrently (bounded
by --concurrency); a source of several chunks is reduced to one summary; the synthesis sees the
summaries and the deterministic alignment as evidence, and summaries that do not fit are collapsed
in bounded rounds. A model that gives nothing usable never leaves a section silently empty: that
source or section falls back to the extractive engine, and the brief says so in its warnings.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from ... import settings
from ...errors import InvalidOutputError, OutputTruncatedError
from ...models import (
    Alignment,
    BriefDraft,
    Chunk,
    Citation,
    Disagreement,
    Source,
    SourceSummary,
    Statement,
)
from ...text.tokens import count_tokens, take_within_budget
from ...verify import verify_citations
from ..base import Engine
from ..extractive import ExtractiveEngine
from . import constants
from .cache import ResponseCache, default_cache_dir
from .client import StructuredChat
from .config import LLMConfig
from .prompts import render_messages
from .schema import (
    ChunkNotesAnswer,
    CitedStatement,
    CollapseAnswer,
    SourceNote,
    SourceSummaryAnswer,
    SynthesisAnswer,
)
from .usage import UsageMeter, load_prices

T = TypeVar("T")

# Evidence items shown to the synthesis per section (see constants).
EVIDENCE_ITEMS = {"agreements": settings.MAX_AGREEMENTS, "exclusives": settings.MAX_EXCLUSIVES,
                  "conflicts": constants.EVIDENCE_CONFLICTS}
# Answer-model failures that fall back to the extractive engine; endpoint failures stop the run.
_ANSWER_FAILURES = (InvalidOutputError, OutputTruncatedError)


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


def _refs(citations: list[Citation]) -> str:
    """Citations as the prompt shows them: [source:sentence], at most REFS_PER_ITEM of them."""
    return "".join(f"[{c.source}:{c.sentence}]" for c in citations[: constants.REFS_PER_ITEM])


def _prompt_statement(statement: Statement) -> dict[str, str]:
    return {"text": statement.text, "refs": _refs(statement.citations)}


def _from_answer(statement: CitedStatement) -> Statement:
    return Statement(
        text=statement.text,
        citations=[Citation(source=ref.source, sentence=ref.sentence) for ref in statement.citations],
    )


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
    ) -> None:
        super().__init__()
        self.config = config
        self.model: str | None = config.model
        self.meter = UsageMeter(model=config.model, prices=load_prices())
        self.cache = ResponseCache((cache_dir or default_cache_dir()) if config.use_cache else None)
        self._chat_factory = chat_factory or (lambda cfg, cache, meter: StructuredChat(cfg, cache=cache, usage=meter))
        self._chat: StructuredChat | None = None
        self.max_tokens = max_tokens
        self._fallback = ExtractiveEngine(max_tokens=max_tokens)
        self._warnings: list[str] = []

    # --- the engine interface ---------------------------------------------------------------

    @cached_property
    def chunk_tokens(self) -> int:
        """Chunk size: the prompt budget less what the chunk-notes prompt itself takes."""
        empty = render_messages("chunk_notes.j2", **self._chunk_prompt_vars(None, [], 1, 1))
        overhead = count_tokens("\n".join(m["content"] for m in empty))
        return max(constants.MIN_CHUNK_TOKENS, self.config.prompt_tokens - overhead)

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

    async def aclose(self) -> None:
        """Close the HTTP client, if one was opened."""
        if self._chat is not None:
            await self._chat.aclose()
            self._chat = None

    # --- per-source summaries -----------------------------------------------------------------

    async def summarize_sources_async(self, sources: list[Source], chunks: list[list[Chunk]]) -> list[SourceSummary]:
        """Every source's summary; all chunk calls run at once, bounded by --concurrency."""
        total = sum(len(c) for c in chunks)
        self.progress(f"asking {self.config.model} for notes on {total} chunk{'s' * (total != 1)} "
                      f"of {len(sources)} source{'s' * (len(sources) != 1)}")
        done = 0

        async def one(source: Source, source_chunks: list[Chunk]) -> SourceSummary:
            nonlocal done
            summary = await self._summarize_one(source, source_chunks)
            done += 1
            self.progress(f"summarised source {done}/{len(sources)}: {source.label}")
            return summary

        return await gather_or_cancel([one(s, c) for s, c in zip(sources, chunks)])

    async def _summarize_one(self, source: Source, chunks: list[Chunk]) -> SourceSummary:
        try:
            parts = await gather_or_cancel([self._chunk_notes(source, chunk, len(chunks)) for chunk in chunks])
            notes = [note for part in parts for note in part]
            if len(chunks) > 1 and notes:
                notes = await self._reduce_notes(source, notes)
        except _ANSWER_FAILURES as exc:
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
        return self._fallback.summarize_source(source, chunks)

    def _chunk_prompt_vars(self, source: Source | None, sentences: list[tuple[int, str]], part: int,
                           parts: int) -> dict[str, Any]:
        return {
            "schema": json.dumps(ChunkNotesAnswer.model_json_schema(), separators=(",", ":")),
            "max_notes": constants.NOTES_PER_CHUNK,
            "source_id": source.id if source else 1,
            "outlet": source.outlet if source else None,
            "part": part, "parts": parts, "sentences": sentences,
        }

    async def _chunk_notes(self, source: Source, chunk: Chunk, parts: int) -> list[SourceNote]:
        sentences = list(zip(chunk.sentence_ids, chunk.sentences))
        variables = self._chunk_prompt_vars(source, sentences, chunk.index + 1, parts)
        messages = render_messages("chunk_notes.j2", **variables)
        answer = await self.chat.ask(stage="chunk_notes", template="chunk_notes.j2", messages=messages,
                                     answer_model=ChunkNotesAnswer)
        return answer.notes

    async def _reduce_notes(self, source: Source, notes: list[SourceNote]) -> list[SourceNote]:
        messages = render_messages(
            "source_summary.j2",
            schema=json.dumps(SourceSummaryAnswer.model_json_schema(), separators=(",", ":")),
            max_statements=constants.STATEMENTS_PER_SOURCE, source_id=source.id, outlet=source.outlet,
            notes=notes,
        )
        answer = await self.chat.ask(stage="source_summary", template="source_summary.j2", messages=messages,
                                     answer_model=SourceSummaryAnswer)
        return answer.statements

    # --- synthesis ------------------------------------------------------------------------------

    async def synthesize_async(
        self, sources: list[Source], summaries: list[SourceSummary], alignment: Alignment
    ) -> BriefDraft:
        """The brief's sections from the model, with the alignment as evidence and as safety net."""
        fallback = self._fallback.synthesize(sources, summaries, alignment)
        entries = [{"source": s.source, "statements": [_prompt_statement(st) for st in s.summary]}
                   for s in summaries]
        self.progress(f"asking {self.config.model} for the synthesis")
        try:
            limits = self._fit_evidence(sources, alignment)
            entries = await self._fit_summaries(sources, entries, alignment, limits)
            answer = await self.chat.ask(stage="synthesis", template="synthesis.j2",
                                         messages=self._synthesis_messages(sources, entries, alignment, limits),
                                         answer_model=SynthesisAnswer)
        except _ANSWER_FAILURES as exc:
            self._warnings.append(f"synthesis: the model gave no usable answer ({exc}); used the extractive "
                                  "synthesis instead")
            return fallback
        draft = BriefDraft(
            title=fallback.title,  # a source's own headline: a model-written title could assert anything
            summary=[_from_answer(s) for s in answer.summary],
            agreements=[_from_answer(s) for s in answer.agreements],
            disagreements=[Disagreement(topic=d.topic, kind=d.kind, positions=[_from_answer(p) for p in d.positions])
                           for d in answer.disagreements],
            exclusives=[_from_answer(s) for s in answer.exclusives],
            per_source=list(summaries),
        )
        return self._with_safety_net(draft, fallback, sources)

    def _with_safety_net(self, draft: BriefDraft, fallback: BriefDraft, sources: list[Source]) -> BriefDraft:
        """Sections the model left empty (after verification) come from the extractive synthesis,
        and every conflict the alignment found is kept even if the model dropped it."""
        checked, _ = verify_citations(draft, sources)
        sections: dict[str, Any] = {}
        for section in ("summary", "agreements", "exclusives"):
            if not getattr(checked, section) and getattr(fallback, section):
                self._warnings.append(f"synthesis: the model's {section} had no supported statement; "
                                      "used the extractive ones instead")
                sections[section] = getattr(fallback, section)
        kept = {c for d in checked.disagreements for p in d.positions for c in p.citations}
        disagreements = list(draft.disagreements)
        for found in fallback.disagreements:
            cited = {c for p in found.positions for c in p.citations}
            if not cited & kept:
                self._warnings.append(f"synthesis: the model left out the disagreement “{found.topic}”; "
                                      "kept it as the alignment found it")
                disagreements.append(found)
        sections["disagreements"] = disagreements
        return draft.model_copy(update=sections)

    def _synthesis_messages(self, sources: list[Source], entries: list[dict[str, Any]],
                            alignment: Alignment, limits: dict[str, int]) -> list[dict[str, str]]:
        conflicts = [
            {"topic": d.topic, "kind": d.kind, "positions": [_prompt_statement(p) for p in d.positions]}
            for d in alignment.disagreements[: limits["conflicts"]]
        ]
        return render_messages(
            "synthesis.j2",
            schema=json.dumps(SynthesisAnswer.model_json_schema(), separators=(",", ":")),
            max_summary=settings.LEDE_STATEMENTS,
            sources=[{"id": s.id, "label": s.label + (f": {s.title}" if s.title else "")} for s in sources],
            summaries=entries,
            agreements=[{"text": g.text, "refs": _refs(g.members)}
                        for g in alignment.agreements[: limits["agreements"]]],
            conflicts=conflicts,
            exclusives=[{"text": g.text, "refs": _refs(g.members)}
                        for g in alignment.exclusives[: limits["exclusives"]]],
        )

    def _prompt_size(self, messages: list[dict[str, str]]) -> int:
        return count_tokens("\n".join(m["content"] for m in messages))

    def _evidence_size(self, sources: list[Source], alignment: Alignment, limits: dict[str, int]) -> int:
        """Tokens of the synthesis prompt with the evidence and no summaries."""
        return self._prompt_size(self._synthesis_messages(sources, [], alignment, limits))

    def _fit_evidence(self, sources: list[Source], alignment: Alignment) -> dict[str, int]:
        """How many evidence items of each kind the synthesis prompt shows: at most EVIDENCE_SHARE
        of the budget, shedding the least salient kinds first (items are ranked within each)."""
        limits = dict(EVIDENCE_ITEMS)
        ceiling = self.config.prompt_tokens * constants.EVIDENCE_SHARE
        for kind in ("exclusives", "agreements", "conflicts"):
            while limits[kind] and self._evidence_size(sources, alignment, limits) > ceiling:
                limits[kind] //= 2
        if limits != EVIDENCE_ITEMS:
            self.progress(f"showing the model fewer evidence items to fit the context window: {limits}")
        return limits

    async def _fit_summaries(self, sources: list[Source], entries: list[dict[str, Any]],
                             alignment: Alignment, limits: dict[str, int]) -> list[dict[str, Any]]:
        """Collapse the summaries in bounded rounds until the synthesis prompt fits the window."""
        budget = self.config.prompt_tokens

        def size(current: list[dict[str, Any]]) -> int:
            return self._prompt_size(self._synthesis_messages(sources, current, alignment, limits))

        for round_number in range(1, constants.MAX_COLLAPSE_ROUNDS + 1):
            if size(entries) <= budget:
                return entries
            self.progress(f"collapsing {len(entries)} summaries to fit the context window (round {round_number})")
            entries = await self._collapse(entries, max(constants.MIN_COLLAPSE_BATCH_TOKENS, budget - size([])) // 2)
        dropped = 0
        while entries and size(entries) > budget:
            entries = entries[:-1]  # last resort, said in a warning: the last summaries go
            dropped += 1
        if dropped:
            self._warnings.append(f"synthesis: after {constants.MAX_COLLAPSE_ROUNDS} rounds of collapsing, "
                                  f"{dropped} summaries still did not fit the context window and were left "
                                  "out of the synthesis prompt (raise --context-window)")
        return entries

    async def _collapse(self, entries: list[dict[str, Any]], batch_budget: int) -> list[dict[str, Any]]:
        """One round: batches of entries, each merged by the model into one entry."""
        batches: list[list[dict[str, Any]]] = [[]]
        used = 0
        for entry in entries:
            size = sum(count_tokens(s["text"]) + constants.STATEMENT_FRAMING_TOKENS for s in entry["statements"])
            if batches[-1] and used + size > batch_budget:
                batches.append([])
                used = 0
            batches[-1].append(entry)
            used += size

        async def merge(batch: list[dict[str, Any]]) -> dict[str, Any]:
            statements = [s for entry in batch for s in entry["statements"]]
            messages = render_messages(
                "collapse.j2", schema=json.dumps(CollapseAnswer.model_json_schema(), separators=(",", ":")),
                max_statements=constants.STATEMENTS_PER_SOURCE * 2, statements=statements)
            answer = await self.chat.ask(stage="collapse", template="collapse.j2", messages=messages,
                                         answer_model=CollapseAnswer)
            label = ", ".join(str(entry["source"]) for entry in batch)
            return {"source": f"{label} (merged)",
                    "statements": [_prompt_statement(_from_answer(s)) for s in answer.statements]}

        return await gather_or_cancel([merge(batch) for batch in batches])

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
