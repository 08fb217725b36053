"""The embedded default engine: no network, no key, deterministic.

Per-source summaries are picked by sentence centrality (mean similarity to the other sentences of
the same chunk, with a bonus for the lead, where news puts the essentials) under a token budget;
the synthesis is read off the deterministic alignment. Every statement is a source sentence quoted
verbatim, so verification can only ever confirm it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import settings
from ..models import (
    Alignment,
    BriefDraft,
    Chunk,
    Citation,
    Disagreement,
    FactGroup,
    Source,
    SourceSummary,
    Statement,
)
from ..text.plural import counted
from ..text.readable import inside_quotations, only_a_title
from ..text.shape import MAX_SENTENCE_WORDS, stands_alone, whole_sentence
from ..text.similarity import Similarity, get_similarity
from ..text.support import citing_support
from ..text.tokens import take_within_budget
from .base import Engine, SimilarityGiven
from .lede import pick_lede

__all__ = ["ExtractiveEngine"]

# Chunk size: large enough that centrality sees whole passages, small enough that a very long
# source is still covered from start to end, not just from its top.
CHUNK_TOKENS = 800
# How many central sentences each chunk may contribute before the per-source budget decides.
CANDIDATES_PER_CHUNK = 6
# Sentences shorter than this (in words) rarely carry a fact of their own ("He said so.").
MIN_STATEMENT_WORDS = 6


class ExtractiveEngine(Engine):
    """Summaries and synthesis from sentence centrality and the alignment."""

    name = "extractive"
    chunk_tokens = CHUNK_TOKENS

    def __init__(self, *, max_tokens: int = settings.DEFAULTS.max_tokens,
                 similarity: SimilarityGiven = None) -> None:
        super().__init__()
        self.max_tokens = settings.Settings(max_tokens=max_tokens).max_tokens  # checked against its declared range
        self._similarity = similarity
        self._omitted: dict[str, int] = {}

    @property
    def similarity(self) -> Similarity:
        """The run's similarity, got when first needed (see `SimilarityGiven`)."""
        if self._similarity is None:
            self._similarity = get_similarity()
        elif not isinstance(self._similarity, Similarity):
            self._similarity = self._similarity()
        return self._similarity

    def summarize_source(self, source: Source, chunks: list[Chunk]) -> SourceSummary:
        """The source's most central sentences, in article order, within the token budget."""
        candidates: list[tuple[float, int]] = []
        off_topic: list[tuple[float, int]] = []
        for chunk in chunks:
            scores, related = self._centrality(chunk.sentences)
            ranked = sorted(
                zip(scores, chunk.sentence_ids, related), key=lambda item: (-item[0], item[1])
            )
            # A sentence related to no other sentence of its chunk (no pair at the similarity's
            # related-topic cut-off) is off topic: never use it to fill the budget.
            # ... and a run of text with no end found is no statement at all (a page of "word word
            # ...", a million characters, was a report's whole summary).
            long_enough = [(score, index, on_topic) for score, index, on_topic in ranked
                           if MIN_STATEMENT_WORDS <= len(source.sentences[index].split()) <= MAX_SENTENCE_WORDS]
            on_topic_pairs = [(score, index) for score, index, on_topic in long_enough if on_topic]
            candidates.extend(on_topic_pairs[:CANDIDATES_PER_CHUNK])
            off_topic.extend((score, index) for score, index, on_topic in long_enough if not on_topic)
        if not candidates:
            # A report of a sentence or two (a feed cut at a word limit) has no sentence related to
            # another: its own sentences are all it says, and an empty summary would say nothing.
            candidates = sorted(off_topic, key=lambda pair: (-pair[0], pair[1]))[:CANDIDATES_PER_CHUNK]
        # A fragment says nothing a reader can use ("Hillary clinton spent the day in", where a feed
        # cut the report off): left out while a whole sentence is left to take.
        whole = [pair for pair in candidates if whole_sentence(source.sentences[pair[1]])]
        candidates = whole or candidates
        # ... and so is a sentence inside a quotation an earlier sentence opened: someone else's
        # words (a debunker quoting the hoax) that would read as the source's own.
        quoted = inside_quotations(source.sentences)
        candidates = [pair for pair in candidates if pair[1] not in quoted] or candidates
        # Out of its article a sentence must still read: one that opens on "he" or quotes someone
        # as "he said" is taken only when no sentence that stands alone is left to take.
        candidates.sort(key=lambda pair: (not stands_alone(source.sentences[pair[1]]), -pair[0], pair[1]))
        picked = _pick_within_budget(
            [index for _, index in candidates], source.sentences, self.max_tokens
        )
        statements = [
            Statement(
                text=source.sentences[index],
                citations=[Citation(source=source.id, sentence=index)],
            )
            for index in sorted(picked)
        ]
        return SourceSummary(source=source.id, summary=statements)

    def synthesize(
        self, sources: list[Source], summaries: list[SourceSummary], alignment: Alignment
    ) -> BriefDraft:
        """Lede, agreements and exclusives from the alignment's ranked groups; disagreements as aligned."""
        sentences = {source.id: source.sentences for source in sources}
        agreements = []
        for group in sorted(alignment.agreements, key=lambda group: -group.score):
            statement = citing_support(_statement(group), sentences)
            # Reported alike, but no one wording is borne out by two sources' sentences (one names
            # the speaker, the other says "he"): not an agreement this engine can state truthfully.
            # Nor is a title two reports share a fact they agree on.
            if len(statement.source_ids) >= 2 and not only_a_title(statement.text):
                agreements.append(statement)
        exclusives = [
            _statement(group)
            for group in _round_robin_by_source(alignment.exclusives)
            if len(group.text.split()) >= MIN_STATEMENT_WORDS
        ]
        self._omitted = {
            "agreements": max(0, len(agreements) - settings.MAX_AGREEMENTS),
            "exclusives": max(0, len(exclusives) - settings.MAX_EXCLUSIVES),
        }
        disagreements = [
            Disagreement(
                topic=d.topic,
                kind=d.kind,
                positions=[citing_support(p, sentences) for p in d.positions],
            )
            for d in alignment.disagreements
        ]
        return BriefDraft(
            title=self._pick_title(sources, alignment),
            summary=pick_lede(alignment.facts, sources, self.similarity, self.max_tokens, alignment.disputed),
            agreements=agreements[: settings.MAX_AGREEMENTS],
            disagreements=disagreements,
            exclusives=exclusives[: settings.MAX_EXCLUSIVES],
            per_source=list(summaries),
        )

    def usage(self) -> dict[str, Any]:
        """No calls or tokens are spent; report what the section caps left out."""
        return {"omitted": dict(self._omitted)} if any(self._omitted.values()) else {}

    def _centrality(self, sentences: list[str]) -> tuple[list[float], list[bool]]:
        """Centrality of each sentence among its chunk (mean cosine to all), plus a lead bonus; and
        whether each is related to any other sentence of the chunk at all."""
        if not sentences:
            return [], []
        vectors = self.similarity.vectors(sentences)
        scores = self.similarity.centrality(vectors)
        related = [False] * len(sentences)
        for i, j, _cosine in self.similarity.pairs(vectors, self.similarity.thresholds.related_topic):
            related[i] = related[j] = True
        # News is written as an inverted pyramid: the opening sentences carry the essentials.
        lead_bonus = np.array([0.5 / (1 + position) for position in range(len(sentences))])
        return [float(value) for value in scores * (1.0 + lead_bonus)], related

    def _pick_title(self, sources: list[Source], alignment: Alignment) -> str:
        """The source headline closest to what the sources agree on; else a plain description. Not
        the headline of a source that states a report others call false (`Alignment.disputed_sources`):
        "NASA Confirms Earth Will Experience 6 Days of Total Darkness" would head the brief."""
        agreements = alignment.agreements
        telling_false = set(alignment.disputed_sources)
        titles = [source.title for source in sources if source.title and source.id not in telling_false]
        if not titles:
            return f"Brief of {counted(len(sources), 'report')}"
        if len(titles) == 1 or not agreements:
            return titles[0]
        agreed_text = " ".join(group.text for group in agreements[:10])
        vectors = self.similarity.vectors([agreed_text, *titles])
        similarity = self.similarity.cosines_to(vectors, 0)[1:]
        # Ties go to the earliest source, keeping the choice deterministic.
        return titles[int(np.argmax(similarity))]


def _round_robin_by_source(groups: list[FactGroup]) -> list[FactGroup]:
    """Each source's best exclusive first, then each one's second, ...: what every outlet alone
    reports, rather than the longest article's whole list."""
    by_source: dict[int, list[FactGroup]] = {}
    for group in sorted(groups, key=lambda g: (-g.score, g.representative.source, g.representative.sentence)):
        by_source.setdefault(group.representative.source, []).append(group)
    ranked: list[FactGroup] = []
    for rank in range(max((len(own) for own in by_source.values()), default=0)):
        tier = [own[rank] for own in by_source.values() if rank < len(own)]
        ranked.extend(sorted(tier, key=lambda g: (-g.score, g.representative.source)))
    return ranked


def _statement(group: FactGroup) -> Statement:
    """A statement in the group's representative wording, citing every member sentence."""
    return Statement(text=group.text, citations=list(group.members))


def _pick_within_budget(ranked_indices: list[int], sentences: list[str], budget: int) -> list[int]:
    """Take sentences in rank order while they fit the budget, passing over ones too long."""
    taken = take_within_budget([sentences[i] for i in ranked_indices], budget, skip_what_does_not_fit=True)
    return [ranked_indices[position] for position in taken]
