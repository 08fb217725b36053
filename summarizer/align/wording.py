"""How a group of sentences is stated: the member whose wording the others bear out.

The brief states a fact in one source's words and cites every member; a member is cited only when
its sentence supports that wording (`text.support`), so the chosen wording is the one most members
support, preferring one that names its speaker, stands on its own and is a whole sentence (a feed
cut off at its word limit leaves "The news came like a bolt from the blue, since at no time has").
An agreement may be worded by the opening statement of that sentence, when more of its sources bear
that out than the whole sentence (`trimmed_wordings`: the clause dropped says why, how or what else,
and neither negates nor sets a condition).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import numpy as np

from ..models import FactGroup
from ..text.facts import extract_numbers, extract_quantities
from ..text.shape import quotes_balanced, stands_alone, whole_sentence
from ..text.support import check_support
from .nodes import SentenceNode

__all__ = ["fact_group"]

# Candidates for the representative wording that are checked against every member; bounded so a
# fact repeated by hundreds of articles costs a few hundred support checks, not its square.
REPRESENTATIVE_CANDIDATES = 5


def _checkable_numbers(text: str) -> set[str]:
    """Figures a reader would check: counts of something, and anything written in digits.

    "our two countries" is phrasing, not a figure; it must not disqualify a member from speaking
    for the group.
    """
    digits = extract_numbers(re.sub(r"[A-Za-z]+", " ", text))
    counted = {q.figure.lstrip("<>=~") for q in extract_quantities(text) if q.measure and q.value is not None}
    return digits | counted


def _clear(text: str) -> bool:
    """A wording a reader can take on its own: no "he said" or opening pronoun, no fragment."""
    return stands_alone(text) and whole_sentence(text)


def _bearing_out(nodes: Sequence[SentenceNode], group: Sequence[int], wording: str) -> list[int]:
    """The members whose sentence supports `wording` (the test verification applies to citations)."""
    return [m for m in group if check_support(wording, nodes[m].text, speaker=nodes[m].speaker).supported]


def _source_count(nodes: Sequence[SentenceNode], members: Sequence[int]) -> int:
    return len({source for m in members for source in nodes[m].sources})


def _representative(nodes: Sequence[SentenceNode], group: Sequence[int]) -> tuple[int, int]:
    """The wording that the most members support (see verify), then by numbers, clarity, length;
    and how many sources bear it out."""
    numbers = {k: _checkable_numbers(nodes[k].text) for k in group}

    def rank(k: int) -> tuple[bool, bool, int, int, int]:
        subset = all(numbers[k] <= numbers[other] for other in group if other != k)
        first = nodes[k].occurrences[0]
        return (not subset, not _clear(nodes[k].text), len(nodes[k].text), first.source, first.sentence)

    candidates = sorted(group, key=rank)[:REPRESENTATIVE_CANDIDATES]
    # The brief cites a member only when its sentence supports the representative's wording, so
    # the wording that most members (counted by their occurrences) support loses the fewest citations.
    supporters = {k: _bearing_out(nodes, group, nodes[k].text) for k in candidates}
    support = {k: sum(len(nodes[m].occurrences) for m in members) for k, members in supporters.items()}
    sources = {k: _source_count(nodes, members) for k, members in supporters.items()}
    # A wording that names its speaker and holds for as many sources as any other beats one that
    # leaves the reader asking who "he" is; a source's citation is not given up for it (the brief
    # says who reports a fact). "He said" and a bare quote hold for "X said" where the sentences
    # just before name X (claims.context_speaker).
    most = max(sources.values())
    # A fragment is the easiest wording to bear out (every longer member has its words), and the
    # worst to read: a feed's sentence cut at its word limit ("The news " came like a bolt from the
    # blue, since at no time has") or a headline ("Catholics should not try to convert jews, vatican
    # commission says") stood for groups that had whole sentences. A whole sentence that two sources
    # bear out is the wording, even where the fragment has more.
    whole = {k: whole_sentence(nodes[k].text) for k in candidates}
    fragments_give_way = any(whole[k] and sources[k] >= 2 for k in candidates)
    best = min(candidates, key=lambda k: (fragments_give_way and not whole[k], sources[k] < most,
                                          not _clear(nodes[k].text), -support[k], rank(k)))
    return best, sources[best]


# Where a sentence's main statement may end: before a clause that says why, how, when or what else,
# never inside a quotation ("Tillerson said the two countries had agreed to set up a "working
# group" to coordinate on "smaller issues."" -> "... to set up a "working group"."; "... sued
# president donald trump for defamation, saying he lied when he wrote ..." -> "... for
# defamation.").
_CLAUSE_AFTER = re.compile(r"(?:,\s+(?:which|who|saying|as|after|while|but|though|although|amid|following|when|where)"
                           r"|\s+(?:to|after|because|while|amid|following)(?=\s))\b", re.IGNORECASE)
# "to" ends a statement only after a noun ("a panel to investigate"): after a verb it completes it
# ("he plans to veto the bill" is not "he plans"). A determiner among the words just before says so.
_NOUN_BEFORE_TO = re.compile(r"\b(?:a|an|the|its|their|his|her|this|that)\s+(?:\S+\s+){0,2}\S+\s*$", re.IGNORECASE)
# What a dropped clause may not hold: it would change what the kept part says.
_CHANGES_MEANING = re.compile(r"\b(?:not|no|never|unless|if|only|except|nor|without|until)\b|n[\u2019']t\b",
                              re.IGNORECASE)
# A trimmed wording keeps at least this many words: a statement, not a headline.
MIN_TRIMMED_WORDS = 8


def trimmed_wordings(text: str) -> list[str]:
    """The sentence cut before a clause after its main statement (`_CLAUSE_AFTER`), longest first;
    none where the clause dropped negates or qualifies (`_CHANGES_MEANING`), where the cut falls
    inside a quotation, or where "to" follows a verb."""
    found = []
    for match in _CLAUSE_AFTER.finditer(text):
        head, tail = text[: match.start()].rstrip(" ,;:"), text[match.start():]
        if len(head.split()) < MIN_TRIMMED_WORDS or _CHANGES_MEANING.search(tail):
            continue
        if not quotes_balanced(head):
            continue
        if match.group().strip().lower() == "to" and not _NOUN_BEFORE_TO.search(head):
            continue
        found.append(head + ".")
    return found[::-1]


def _wording(nodes: Sequence[SentenceNode], group: Sequence[int], rep: int, held_by: int) -> str:
    """The representative's sentence (borne out by `held_by` sources), or its opening statement
    (`trimmed_wordings`) when that is a whole sentence more sources bear out: a report that tells
    the fact without the clause after it is cited for it."""
    best, most = nodes[rep].text, held_by
    for wording in trimmed_wordings(nodes[rep].text):
        if whole_sentence(wording) and (held := _source_count(nodes, _bearing_out(nodes, group, wording))) > most:
            best, most = wording, held
    return best


def fact_group(nodes: Sequence[SentenceNode], group: Sequence[int], salience: np.ndarray,
               leaving_out: Collection[int] = ()) -> FactGroup:
    """A FactGroup citing every occurrence of every member, scored for ranking; the occurrences in
    the sources `leaving_out` are not members (the group must have members elsewhere)."""
    leaving_out = frozenset(leaving_out)
    group = [k for k in group if nodes[k].sources - leaving_out]
    rep, held_by = _representative(nodes, group)
    members = sorted({c for k in group for c in nodes[k].occurrences if c.source not in leaving_out},
                     key=lambda c: (c.source, c.sentence))
    sources = {c.source for c in members}
    earliest = min(nodes[k].relative_position for k in group)
    # Sources dominate; within a tier, facts from the top of the articles, then central ones.
    score = len(sources) + 0.5 * (1.0 - earliest) + 0.25 * float(salience[rep])
    where = next(c for c in nodes[rep].occurrences if c.source not in leaving_out)
    # An agreement's wording may be trimmed to what its sources share; a single report's is its own.
    text = _wording(nodes, group, rep, held_by) if len(sources) >= 2 else nodes[rep].text
    return FactGroup(members=members, representative=where, text=text,
                     score=round(score, 6), position=round(earliest, 6), centrality=round(float(salience[rep]), 6))
