"""The lede: what happened, in a few sentences chosen across the sources.

Candidates are the alignment's facts (each a group of sentences that report one fact, worded by the
member the others bear out). A fact's weight adds up how central its wording is among all the
sentences of all the reports, how early the reports put it (news leads with the essentials), and
how many reports carry it. Facts are then taken by maximal marginal relevance (Carbonell &
Goldstein 1998): the next one is the heaviest once its likeness to those already taken is
subtracted, so the lede covers the event instead of repeating its biggest fact. Taking stops at the
token budget.

Only sentences a reader can take on their own are candidates: no remark without its speaker, no
opening pronoun whose referent is in another sentence, no fragment that is only an attribution
("Defense Secretary Jim Mattis said on April 11."), no sentence cut off in its source or begun in
the middle, no question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ..models import FactGroup, Source, Statement
from ..text.claims import REMARK_WORDS, extract_quotes, remark_has_speaker
from ..text.similarity import Similarity
from ..text.support import citing_support, stands_alone
from ..text.terms import content_terms
from ..text.tokens import count_tokens_batch

__all__ = ["pick_lede"]

# The weights of a fact: centrality (0-1), earliness (0-1), share of the other reports carrying it.
CENTRALITY_WEIGHT = 1.0
POSITION_WEIGHT = 0.5
SOURCES_WEIGHT = 0.5
# Maximal marginal relevance: weight versus likeness to what is already in the lede.
RELEVANCE_SHARE = 0.7
# Fewer content words than this besides names and figures is a fragment ("Defense Secretary Jim
# Mattis said on April 11."), not a fact.
MIN_CONTENT_TERMS = 3

_NAME_OR_FIGURE = re.compile(r"\b(?:[A-Z][\w’'-]*|\d[\d,.]*)")
# A whole sentence opens on a word, a figure or an opening quote or bracket, and ends on a full stop,
# an exclamation mark or an ellipsis (closing quotes and brackets aside). Text cut off in the source
# ("One: i don't get why romney would step on") or the tail of a parenthesis (") everyone's
# favorite messed-up meth saga") is a fragment.
_WHOLE_SENTENCE = re.compile(r"^[\w\"\u201c\u2018'(\[].*[.!\u2026][\s\"\u201d\u2019')\]]*$", re.DOTALL)


def pick_lede(facts: Sequence[FactGroup], sources: Sequence[Source], similarity: Similarity,
              budget: int) -> list[Statement]:
    """The lede: eligible facts by weight and novelty, within `budget` tokens, in reading order."""
    candidates = [fact for fact in facts if _eligible(fact.text)]
    if not candidates:
        return []
    source_count = max(len(sources), 2)
    weights = np.array([CENTRALITY_WEIGHT * fact.centrality + POSITION_WEIGHT * (1.0 - fact.position)
                        + SOURCES_WEIGHT * (len(fact.source_ids) - 1) / (source_count - 1) for fact in candidates])
    vectors = similarity.vectors([fact.text for fact in candidates])
    likeness = np.zeros(len(candidates))  # to the closest fact taken so far
    available = np.ones(len(candidates), dtype=bool)
    taken: list[int] = []
    used = 0
    tokens = count_tokens_batch([fact.text for fact in candidates])
    while available.any():
        marginal = RELEVANCE_SHARE * weights - (1.0 - RELEVANCE_SHARE) * likeness
        marginal[~available] = -np.inf
        best = int(np.argmax(marginal))
        available[best] = False
        # As alike to a fact taken as two wordings of one fact are: it says the same again.
        if likeness[best] >= similarity.thresholds.same_fact or (taken and used + tokens[best] > budget):
            continue
        taken.append(best)
        used += tokens[best]
        likeness = np.maximum(likeness, similarity.cosines_to(vectors, best))
    sentences = {source.id: source.sentences for source in sources}
    lede = [_statement(candidates[k], sentences) for k in taken]
    # Read in the order the reports tell it: the earliest-placed fact first.
    order = sorted(range(len(taken)), key=lambda i: (candidates[taken[i]].position, i))
    return [lede[i] for i in order]


def _eligible(text: str) -> bool:
    """A sentence a reader of the lede can take on its own."""
    if not stands_alone(text) or text.rstrip().endswith("?") or not _WHOLE_SENTENCE.match(text.strip()):
        return False
    remarks = [quote for quote in extract_quotes(text) if len(quote.split()) >= REMARK_WORDS]
    if remarks and not remark_has_speaker(text):
        return False  # a remark, but who made it is in another sentence
    return len(content_terms(_NAME_OR_FIGURE.sub(" ", text))) >= MIN_CONTENT_TERMS


def _statement(fact: FactGroup, sentences: dict[int, list[str]]) -> Statement:
    """The fact in its wording, citing every member sentence that bears that wording out."""
    return citing_support(Statement(text=fact.text, citations=list(fact.members)), sentences)
