"""The lede: what happened, in a few sentences chosen across the sources.

Candidates are the alignment's facts (each a group of sentences that report one fact, worded by the
member the others bear out, or by the first member a reader can take on its own when that one is
not). A fact's weight adds up how central its wording is among all the sentences of all the
reports, how early the reports put it (news leads with the essentials), and how many reports carry
it. Facts are then taken by maximal marginal relevance (Carbonell & Goldstein 1998): the next one
is the heaviest once its likeness to those already taken is subtracted, so the lede covers the
event instead of repeating its biggest fact. Taking stops at the token budget.

A fact is not taken when it says one taken already again: as alike to it as two wordings of one
fact are, or close to it (the similarity's `same_speaker_fact`) with one of the two bearing the
other out. Without the second test, the Multi-News dev ledes carried 28 pairs of items 0.7 or
more alike that the support test finds to be one piece of news ("Police say that they have
arrested two teens after some christmas decorations were vandalized." and "colerain police
arrested two teens wednesday night, who they say confessed to slashing christmas decorations");
five items of one lede told that Google was working on a censored search app for China.

Only sentences a reader can take on their own are candidates (`text.readable`): no remark without
its speaker, no opening pronoun whose referent is in another sentence (nor a "they" with nothing
before it to stand for: "But Putin suggested that they have worsened instead."), no opening that
answers the sentence before ("Instead, ...", "However, ..."), no "I", "my" or
"we" outside quotes (whose they are, the lede cannot say), no fragment that is only an
attribution ("Defense Secretary Jim Mattis said on April 11."), no sentence cut off in its source or
begun in the middle, no question.
One exception keeps the reader's footing: a sentence that leans only on the one before it in its
report ("She claimed in interviews that ...", a quote whose speaker that sentence names) may
follow it, right after it in the lede, once that sentence is taken. The pair reads as the report
wrote it; short reports (a feed cut at a word limit) then fill the budget with their own next
sentences instead of stopping early.

A sentence that states as fact a report other sources call false is no candidate either
(`Alignment.disputed`: the reporting side of "Whether the report is true", what a refuting source
quotes as that report, and its word-for-word copies): the lede would tell the hoax as what
happened ("NASA has confirmed that the Earth will experience 6 days of almost complete darkness
..." opened the brief of four reports, three of them calling it fake). The brief shows it where it
belongs, set against the sources that refute it. A refutation stays a candidate: it tells the
reader that the report exists and who calls it false. The other sentences of the sources telling
it stay candidates too; verification gives them as those sources' account (`Statement.attributed`).
Nor is a sentence inside a quotation opened in an earlier sentence
(`text.readable.inside_quotations`): those are someone's words without their speaker.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np

from ..models import Citation, FactGroup, Source, Statement
from ..text.claims import context_speaker, remark_has_speaker
from ..text.readable import has_remark, inside_quotations, readable_alone, whole_statement
from ..text.shape import in_writers_voice, leans_on_previous
from ..text.similarity import Similarity
from ..text.support import citing_support, one_bears_the_other_out
from ..text.tokens import count_tokens_batch

__all__ = ["pick_lede"]

# The weights of a fact: centrality (0-1), earliness (0-1), share of the other reports carrying it.
CENTRALITY_WEIGHT = 1.0
POSITION_WEIGHT = 0.5
SOURCES_WEIGHT = 0.5
# Maximal marginal relevance: weight versus likeness to what is already in the lede.
RELEVANCE_SHARE = 0.7
# A fact worded by a member other than its representative: how many of its readable wordings are
# weighed against its members (see `_readable_wording`).
MAX_WORDINGS_WEIGHED = 8


def pick_lede(facts: Sequence[FactGroup], sources: Sequence[Source], similarity: Similarity,
              budget: int, disputed: Collection[Citation] = ()) -> list[Statement]:
    """The lede: eligible facts by weight and novelty, within `budget` tokens, in reading order;
    none that states a `disputed` sentence."""
    sentences = {source.id: source.sentences for source in sources}
    told_false = set(disputed)
    quoted = {source.id: inside_quotations(source.sentences) for source in sources}
    candidates, anchors = _candidates([fact for fact in facts if told_false.isdisjoint(fact.members)], sentences,
                                      quoted)
    if not candidates:
        return []
    source_count = max(len(sources), 2)
    weights = np.array([CENTRALITY_WEIGHT * fact.centrality + POSITION_WEIGHT * (1.0 - fact.position)
                        + SOURCES_WEIGHT * (len(fact.source_ids) - 1) / (source_count - 1) for fact in candidates])
    vectors = similarity.vectors([fact.text for fact in candidates])
    tokens = count_tokens_batch([fact.text for fact in candidates])
    likeness = np.zeros(len(candidates))  # to the closest fact taken so far
    closest = np.full(len(candidates), -1)  # ... and which one that is
    taken: list[int] = []
    used = 0

    def says_again(k: int) -> bool:
        """As alike to a fact taken as two wordings of one fact are; or close to it, and one of the
        two bears the other out (`one_bears_the_other_out`): the same news again in other words."""
        if likeness[k] >= similarity.thresholds.same_fact:
            return True
        return (likeness[k] >= similarity.thresholds.same_speaker_fact and closest[k] >= 0
                and one_bears_the_other_out(candidates[k].text, candidates[int(closest[k])].text))

    def take(available: np.ndarray) -> None:
        nonlocal likeness, closest, used
        while available.any():
            marginal = RELEVANCE_SHARE * weights - (1.0 - RELEVANCE_SHARE) * likeness
            marginal[~available] = -np.inf
            best = int(np.argmax(marginal))
            available[best] = False
            if (taken and used + tokens[best] > budget) or says_again(best):
                continue
            taken.append(best)
            used += tokens[best]
            cosines = similarity.cosines_to(vectors, best)
            closest = np.where(cosines > likeness, best, closest)
            likeness = np.maximum(likeness, cosines)

    take(np.array([anchor < 0 for anchor in anchors]))
    # Followers fill only the budget that the sentences standing alone leave: on a filled lede,
    # a sentence that stands alone says more than one that leans on another.
    take(np.array([anchor >= 0 and anchor in taken for anchor in anchors]))
    lede = {k: _statement(candidates[k], sentences) for k in taken}
    # Read in the order the reports tell it: the earliest-placed fact first, each follower right
    # after its anchor.
    followers = {anchors[k]: k for k in taken if anchors[k] >= 0}
    leading = sorted((i for i, k in enumerate(taken) if anchors[k] < 0),
                     key=lambda i: (candidates[taken[i]].position, i))  # ties: in the order taken
    return [lede[j] for i in leading for j in (taken[i], followers.get(taken[i])) if j is not None]


def _candidates(facts: Sequence[FactGroup], sentences: Mapping[int, Sequence[str]],
                quoted: Mapping[int, frozenset[int]]) -> tuple[list[FactGroup], list[int]]:
    """The facts a lede may take, each with the index of its anchor (-1: it stands alone).

    A follower is taken only after its anchor (the sentence before it in its report) and is read
    right after it; anchors are candidates that stand alone, so no chain leans on a follower.
    """
    worded = {id(fact): _readable_wording(fact, sentences, quoted) for fact in facts}
    candidates = [wording for wording in worded.values() if wording is not None]
    anchor_of = {(fact.representative.source, fact.representative.sentence): index
                 for index, fact in enumerate(candidates)}
    anchors = [-1] * len(candidates)
    for fact in facts:
        where = fact.representative
        anchor = anchor_of.get((where.source, where.sentence - 1))
        # A fact that is a candidate already (in another member's words) is not one twice.
        if anchor is not None and worded[id(fact)] is None and _follows(sentences[where.source], where.sentence):
            candidates.append(fact)
            anchors.append(anchor)
    return candidates, anchors


def _readable_wording(fact: FactGroup, sentences: Mapping[int, Sequence[str]],
                      quoted: Mapping[int, frozenset[int]]) -> FactGroup | None:
    """The fact worded by a member a reader can take on its own: its representative when it is one,
    else the member that the most reports bear out (a report cut off mid-sentence may hold the
    best-linked wording; a bare quote needs the wording that names its speaker, and "..., Tillerson
    said." is borne out by three reports where "America's top diplomat said ..." is by its own);
    the first such member on a tie; None when no member is. A sentence inside a quotation opened
    before it (`quoted`) is someone's words without their speaker: no wording."""
    where = fact.representative
    if readable_alone(fact.text) and where.sentence not in quoted.get(where.source, frozenset()):
        return fact
    # Each distinct wording once, the first few only: 2,000 reports of one event put hundreds of
    # members in a group, and weighing every wording against every member was quadratic.
    wordings: dict[str, Citation] = {}
    for member in fact.members:
        if member.sentence not in quoted.get(member.source, frozenset()):
            wordings.setdefault(sentences[member.source][member.sentence], member)
    readable = [member for text, member in wordings.items() if readable_alone(text)][:MAX_WORDINGS_WEIGHED]
    if not readable:
        return None

    def reports_bearing_out(member: Citation) -> int:
        wording = Statement(text=sentences[member.source][member.sentence], citations=list(fact.members))
        return len(citing_support(wording, sentences).source_ids)

    best = max(readable, key=reports_bearing_out)  # max keeps the first of equals
    return fact.model_copy(update={"representative": best, "text": sentences[best.source][best.sentence]})


def _follows(sentences: Sequence[str], index: int) -> bool:
    """A sentence readable right after the one before it in its report: a whole statement that
    leans only on that sentence (an opening pronoun, or a remark whose speaker that sentence names)."""
    text = sentences[index]
    if not (leans_on_previous(text) and whole_statement(text)) or in_writers_voice(text):
        return False
    return (not has_remark(text) or remark_has_speaker(text)
            or context_speaker(sentences[index - 1 : index + 1], 1) is not None)


def _statement(fact: FactGroup, sentences: Mapping[int, Sequence[str]]) -> Statement:
    """The fact in its wording, citing every member sentence that bears that wording out."""
    return citing_support(Statement(text=fact.text, citations=list(fact.members)), sentences)
