"""The LLM engine's synthesis: the brief's sections from the summaries and the alignment evidence.

The evidence is the extractive synthesis of the same alignment once checked (`verify_citations`):
what the offline brief would show. The model is told to keep that evidence, so it gets no agreement,
citation or position that verification would drop afterwards: on the seeds the raw alignment had
offered an agreement two sources do not both bear out ("Russia is open to dialogue ...", whose
"uncompromising" is in the next sentence of one report), a citation of "larger issues" for
"smaller issues", and a denial as a death-toll position; the model copied them and the brief
warned of each drop.

The disagreements the alignment found go into the brief as it found them, each position the
sentence it rests on; the model is shown each by its topic and its sides' ids, so that it neither
repeats one nor states one side as what happened, and is asked only for disagreements the evidence
lacks. Asked to copy them, as before, a model was sent every position's sentence once more (549 of
the seeds' 2,249 synthesis prompt tokens) and wrote it back, and a copy it got wrong was dropped and
put back from the alignment anyway. The exclusives are the alignment's too, and the model is not
asked for any: that no other report gives a fact is something only the alignment, which compares
every sentence, can tell; the model sees summaries.

The prompt is made to fit the context window: evidence items are shed first (the least salient
kinds first, at most EVIDENCE_SHARE of the budget), then the summaries are collapsed by the model in
bounded rounds. The model's sections are then checked against the alignment: a section left
without a supported statement comes from the extractive synthesis.
"""

from __future__ import annotations

from typing import Any

from ... import settings
from ...models import Alignment, BriefDraft, Disagreement, EngineName, Source, SourceSummary, Statement
from ...text.tokens import count_tokens_batch
from ...verify import verify_citations, without_disputed_facts
from ..base import ProgressCallback
from . import constants
from .client import ANSWER_FAILURES, StructuredChat, gather_or_cancel
from .config import LLMConfig
from .prompts import Prompt, batches_within, prompt_statement, refs
from .schema import CollapseAnswer, SynthesisAnswer, statement_from_answer

__all__ = ["SynthesisWriter"]

# Evidence items shown to the synthesis per section (see constants).
EVIDENCE_ITEMS = {"agreements": settings.MAX_AGREEMENTS, "conflicts": constants.EVIDENCE_CONFLICTS}
# What a collapsed summary's heading adds to the reports it merges ("Report 2, 3 (merged):").
MERGED = " (merged)"

Entry = dict[str, Any]  # one summary as the prompt shows it: {"source": ..., "label": ..., "statements": [...]}


def _sides(disagreement: Disagreement) -> list[str]:
    """A disagreement's sides as the synthesis prompt lists them: the ids of the first SIDES_SHOWN,
    then how many more."""
    sides = [refs(position.citations) for position in disagreement.positions]
    more = len(sides) - constants.SIDES_SHOWN
    return sides[: constants.SIDES_SHOWN] + ([f"{more} more"] if more > 0 else [])


class SynthesisWriter:
    """One synthesis: a prompt that fits, the model's answer, and the alignment as safety net."""

    def __init__(self, chat: StructuredChat, config: LLMConfig, progress: ProgressCallback,
                 warnings: list[str], written: set[EngineName]) -> None:
        self.chat = chat
        self.config = config
        self.progress = progress
        # The engine's own: fallbacks taken are reported in the brief, and who wrote what.
        self.warnings = warnings
        self.written = written

    async def write(self, sources: list[Source], summaries: list[SourceSummary], alignment: Alignment,
                    fallback: BriefDraft) -> BriefDraft:
        """The brief's sections from the model; `fallback` (the extractive synthesis) where it fails."""
        # Each report by its label, in its summary's heading: a report list of its own cost 200
        # reports 1,600 tokens, an 8,192-token window's third. Labels only: a headline is no
        # sentence a statement can cite, so the model could not use it truthfully.
        labels = {source.id: source.label for source in sources}
        entries = [{"source": s.source, "label": labels.get(s.source),
                    "statements": [prompt_statement(st) for st in s.summary]} for s in summaries]
        evidence, _ = verify_citations(fallback, sources)
        disputed = bool(alignment.disputed)
        self.progress(f"asking {self.config.model} for the synthesis")
        try:
            limits = self._fit_evidence(evidence, disputed)
            entries = await self._fit_summaries(entries, evidence, disputed, limits)
            answer = await self.chat.ask(stage="synthesis",
                                         prompt=self._prompt(entries, evidence, disputed, limits))
        except ANSWER_FAILURES as exc:
            self.warnings.append(f"synthesis: the model gave no usable answer ({exc}); used the extractive "
                                 "synthesis instead")
            self.written.add("extractive")
            return fallback
        # The rule the extractive lede keeps (engines/lede), held here for whatever the model wrote.
        summary, dropped = without_disputed_facts([statement_from_answer(s) for s in answer.summary],
                                                  alignment.disputed)
        self.warnings.extend(dropped)
        draft = BriefDraft(
            title=fallback.title,  # a source's own headline: a model-written title could assert anything
            summary=summary,
            agreements=[statement_from_answer(s) for s in answer.agreements],
            disagreements=[Disagreement(topic=d.topic, kind=d.kind,
                                        positions=[statement_from_answer(p) for p in d.positions])
                           for d in answer.disagreements],
            exclusives=fallback.exclusives,  # the alignment's (see the module)
            per_source=list(summaries),
        )
        shown = limits["agreements"]
        return self._with_safety_net(draft, fallback, evidence.agreements[shown:], sources, shown_any=shown > 0)

    def _with_safety_net(self, draft: BriefDraft, fallback: BriefDraft, unshown: list[Statement],
                         sources: list[Source], *, shown_any: bool) -> BriefDraft:
        """Sections the model left empty (after verification) come from the extractive synthesis;
        the agreements the prompt had no room for (`unshown`) follow the model's; the
        disagreements are the alignment's, then those the model found besides."""
        checked, _ = verify_citations(draft, sources)
        sections: dict[str, Any] = {}
        for section in ("summary", "agreements"):
            if getattr(checked, section):
                self.written.add("llm")
            elif section == "agreements" and not shown_any:
                pass  # shown none, it had none to keep: the alignment's follow below, as theirs
            elif getattr(fallback, section):
                self.warnings.append(f"synthesis: the model's {section} had no supported statement; "
                                     "used the extractive ones instead")
                self.written.add("extractive")
                sections[section] = getattr(fallback, section)
        if "agreements" not in sections and unshown:
            # Never the model's to keep (50 reports' evidence leaves room for 10 of 20): they follow
            # its own, but for a fact it gave already (a cited sentence in common).
            given = {c for statement in draft.agreements for c in statement.citations}
            more = [s for s in unshown if given.isdisjoint(s.citations)]
            sections["agreements"] = (draft.agreements + more)[: settings.MAX_AGREEMENTS]
        # A disagreement of the model's that cites a side the alignment found is one of those,
        # repeated against the prompt's word: the alignment's version stands.
        found = {c for d in fallback.disagreements for p in d.positions for c in p.citations}

        def new(disagreements: list[Disagreement]) -> list[Disagreement]:
            return [d for d in disagreements if not {c for p in d.positions for c in p.citations} & found]

        if new(checked.disagreements):
            self.written.add("llm")
        # Unchecked here: the brief's verification reports what it drops of them.
        sections["disagreements"] = list(fallback.disagreements) + new(draft.disagreements)
        return draft.model_copy(update=sections)

    def _prompt(self, entries: list[Entry], evidence: BriefDraft, disputed: bool, limits: dict[str, int]) -> Prompt:
        # Agreements in words, a summary's words saying what one report says, not what several
        # agree on (a fake model that copied them lost half its agreements to the citation check);
        # disagreements by their sides' ids (see the module).
        agreements = [{"text": s.text, "refs": refs(s.citations)} for s in evidence.agreements[: limits["agreements"]]]
        conflicts = [{"topic": d.topic, "kind": d.kind, "sides": _sides(d)}
                     for d in evidence.disagreements[: limits["conflicts"]]]
        return Prompt("synthesis.j2", SynthesisAnswer, {
            "max_summary": settings.LEDE_STATEMENTS,
            "summaries": entries,
            "agreements": agreements,
            "conflicts": conflicts,
            "disputed": disputed,
        })

    def _evidence_size(self, evidence: BriefDraft, disputed: bool, limits: dict[str, int]) -> int:
        """Tokens of the synthesis prompt with the evidence and no summaries."""
        return self._prompt([], evidence, disputed, limits).size()

    def _fit_evidence(self, evidence: BriefDraft, disputed: bool) -> dict[str, int]:
        """How many evidence items of each kind the synthesis prompt shows: at most EVIDENCE_SHARE
        of the budget, shedding the least salient kinds first (items are ranked within each)."""
        limits = dict(EVIDENCE_ITEMS)
        ceiling = self.config.prompt_tokens * constants.EVIDENCE_SHARE
        for kind in ("agreements", "conflicts"):
            while limits[kind] and self._evidence_size(evidence, disputed, limits) > ceiling:
                limits[kind] //= 2
        if limits != EVIDENCE_ITEMS:
            self.progress(f"showing the model fewer evidence items to fit the context window: {limits}")
        return limits

    async def _fit_summaries(self, entries: list[Entry], evidence: BriefDraft, disputed: bool,
                             limits: dict[str, int]) -> list[Entry]:
        """Collapse the summaries in bounded rounds until the synthesis prompt fits the window."""
        budget = self.config.prompt_tokens

        def size(current: list[Entry]) -> int:
            return self._prompt(current, evidence, disputed, limits).size()

        for round_number in range(1, constants.MAX_COLLAPSE_ROUNDS + 1):
            excess = size(entries) - budget
            if excess <= 0:
                return entries
            self.progress(f"collapsing {len(entries)} summaries to fit the context window (round {round_number})")
            room = budget - size([])
            entries = await self._collapse(entries, max(constants.MIN_COLLAPSE_BATCH_TOKENS, room) // 2,
                                           excess / (excess + room))
        dropped = 0
        while entries and size(entries) > budget:
            entries = entries[:-1]  # last resort, said in a warning: the last summaries go
            dropped += 1
        if dropped:
            self.warnings.append(f"synthesis: after {constants.MAX_COLLAPSE_ROUNDS} rounds of collapsing, "
                                 f"{dropped} summaries still did not fit the context window and were left "
                                 "out of the synthesis prompt (raise --context-window)")
        return entries

    async def _collapse(self, entries: list[Entry], batch_budget: int, to_lose: float) -> list[Entry]:
        """One round that sheds the share `to_lose` of the entries' tokens: the largest batches of
        entries, as many as hold twice what must go, each merged by the model into one entry that
        keeps its share of statements (and a margin: statements vary in length, and a merged one
        cites more reports). The other entries stay whole.

        A fixed 12 statements a merge, every batch merged, had cut the summaries of 50 reports of
        seed sentences (bench/llm_bench.py) from 8,853 tokens to 3,739, still over the room of
        3,681, and a second round to 2,580; and a small excess cost a merge of everything."""

        # Each entry's size, counted once (the batching and the choice of batches both need it).
        counts = iter(count_tokens_batch([s["text"] for entry in entries for s in entry["statements"]]))
        sized = [(entry, sum(next(counts) + constants.STATEMENT_FRAMING_TOKENS for _ in entry["statements"]))
                 for entry in entries]
        sized_batches = batches_within(sized, lambda pair: pair[1], batch_budget)
        batches = [[entry for entry, _ in batch] for batch in sized_batches]
        sizes = [sum(size for _, size in batch) for batch in sized_batches]
        excess = to_lose * sum(sizes)
        chosen: set[int] = set()
        held = 0
        for k in sorted(range(len(batches)), key=lambda k: -sizes[k]):
            if held >= 2 * excess:
                break
            chosen.add(k)
            held += sizes[k]
        keep = max(0.0, 1.0 - excess / held) * constants.COLLAPSE_MARGIN if held else 0.0

        async def merge(batch: list[Entry]) -> Entry:
            statements = [s for entry in batch for s in entry["statements"]]
            most = min(constants.MAX_COLLAPSED_STATEMENTS, max(1, int(keep * len(statements))))
            prompt = Prompt("collapse.j2", CollapseAnswer, {"max_statements": most, "statements": statements})
            answer = await self.chat.ask(stage="collapse", prompt=prompt)
            # "2, 3, 4 (merged)", also when 2 and 3 were merged in an earlier round
            reports = ", ".join(str(entry["source"]).removesuffix(MERGED) for entry in batch)
            return {"source": f"{reports}{MERGED}", "label": None,
                    "statements": [prompt_statement(statement_from_answer(s)) for s in answer.statements[:most]]}

        merged = iter(await gather_or_cancel([merge(batch) for k, batch in enumerate(batches) if k in chosen]))
        return [entry for k, batch in enumerate(batches) for entry in ([next(merged)] if k in chosen else batch)]
