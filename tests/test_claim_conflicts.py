"""One claim, opposed values: a different date or duration, share or headcount, or an opposite verb,
across sources."""

from __future__ import annotations

import pytest

from summarizer.align import align_sources
from summarizer.models import Alignment, Source
from summarizer.text.similarity import get_similarity

SIMILARITIES = ("semantic", "lexical")


def _source(number: int, *sentences: str) -> Source:
    return Source(id=number, path=f"article-{number}.txt", sentences=list(sentences))


def _align(name: str, *sources: Source) -> Alignment:
    return align_sources(list(sources), get_similarity(name))


def _conflicts(alignment: Alignment) -> list[tuple[str, list[list[int]]]]:
    return [(d.topic, [p.source_ids for p in d.positions]) for d in alignment.disagreements
            if d.kind == "sources_conflict"]


@pytest.mark.parametrize("name", SIMILARITIES)
@pytest.mark.parametrize("first, second, topic", [
    ("Russia vetoed a UN Security Council resolution on the chemical attack in Syria on Wednesday.",
     "Russia backed a UN Security Council resolution on the chemical attack in Syria on Wednesday.",
     "Whether it was vetoed or backed"),
    ("The central bank raised interest rates by a quarter point on Thursday, its governor said.",
     "The central bank cut interest rates by a quarter point on Thursday, its governor said.",
     "Whether it was raised or cut"),
    ("The talks between the two ministers in Geneva lasted three hours.",
     "The talks between the two ministers in Geneva lasted five hours.",
     "Duration in hours of the event"),
    ("The chemical attack on Khan Sheikhoun took place on April 4.",
     "The chemical attack on Khan Sheikhoun took place on April 5.",
     "Date of the chemical attack"),
    ("The survey found that 40 % of single people are satisfied with their sex life.",
     "The survey found that 52 % of single people are satisfied with their sex life.",
     "Percentage of the event"),
])
def test_one_claim_with_opposed_values_is_a_conflict_between_the_sources(name: str, first: str, second: str,
                                                                          topic: str) -> None:
    alignment = _align(name, _source(1, first, "Diplomats met again later."),
                       _source(2, second, "The vote was close."))
    assert _conflicts(alignment) == [(topic, [[1], [2]])]
    positions = alignment.disagreements[0].positions
    assert [p.text for p in positions] == [first, second]  # each source's own words, cited to it


@pytest.mark.parametrize("name", SIMILARITIES)
@pytest.mark.parametrize("first, second", [
    # the same claim, the same verb, in other words
    ("Russia vetoed a UN Security Council resolution on the chemical attack in Syria on Wednesday.",
     "On Wednesday Russia vetoed the UN Security Council resolution on the Syrian chemical attack."),
    # opposite verbs about different things
    ("Russia vetoed a UN Security Council resolution on the chemical attack in Syria.",
     "The United States and Russia have cautiously backed efforts to improve ties after the talks."),
    # "US-backed" is an adjective, "backed out" a withdrawal: neither is the opposite of a veto
    ("Russia vetoed a UN Security Council resolution on the chemical attack in Syria.",
     "Russia vetoed a US-backed UN Security Council resolution on the chemical attack in Syria."),
    # a negated verb takes no side
    ("Russia vetoed a UN Security Council resolution on the chemical attack in Syria.",
     "Russia has not backed a UN Security Council resolution on the chemical attack in Syria."),
    # parties contradicting each other, as reported, are not sources that disagree
    ("Russia backed the resolution on the chemical attack in Syria, Lavrov said.",
     "Russia vetoed the resolution on the chemical attack in Syria, Haley said."),
    # the same length, one of them qualified
    ("Tillerson met Putin in the Kremlin for nearly two hours on Wednesday.",
     "Tillerson met Putin in the Kremlin for two hours on Wednesday."),
    # one date each seen, but each sentence holds two, in another order (a word lost in each copy)
    ("Later on April 12 at the UN, Russia rejected the draft on the gas attack in Khan Sheikhoun on 4.",
     "Later on 12 at the UN, Russia rejected the draft on the gas attack in Khan Sheikhoun on April 4."),
    # shares of different groups in one survey: two facts, not two versions of one
    ("The least sexually satisfied people are those who are single and looking; only 40 % are satisfied.",
     "Among the 1,885 people in monogamous relationships, 82 % reported that they were broadly satisfied."),
    # dates of different events
    ("The chemical attack on Khan Sheikhoun took place on April 4.",
     "Tillerson met Putin in Moscow on April 12 for talks on Syria."),
])
def test_no_conflict_without_one_claim_and_two_values(name: str, first: str, second: str) -> None:
    assert _conflicts(_align(name, _source(1, first), _source(2, second))) == []


def test_sources_that_all_say_the_same_get_no_such_conflict() -> None:
    alignment = _align("semantic",
                       _source(1, "The central bank raised interest rates by a quarter point on Thursday."),
                       _source(2, "On Thursday the central bank raised its interest rates by a quarter point."),
                       _source(3, "Interest rates were raised by a quarter point by the central bank on Thursday."))
    assert _conflicts(alignment) == []
