"""The support test: does a source sentence say what a statement says?

One test for every stage that needs it: alignment picks the wording its members bear out, the
extractive engine cites only sentences that support a statement, and verification drops the
citations that fail it. Rule-based and deterministic: every figure of the statement must be in the
sentence, and enough of its names and content words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from ..models import Statement
from .claims import (
    REMARK_WORDS,
    attributed_speaker,
    context_speaker,
    extract_quotes,
    single_quoted,
    speakers,
)
from .facts import NUMBER_WORDS, ORDINAL_WORDS, extract_numbers
from .refutation import negated_spans, negates, veracity_cue
from .terms import content_terms

__all__ = ["Checkable", "SupportVerdict", "check_support", "checkable", "citing_support", "names",
           "one_bears_the_other_out"]

# Share of the statement's content words that one cited sentence must contain. Low enough for an
# agreement worded differently by each source, high enough that an unrelated sentence fails. Names,
# figures and neutral reporting verbs are checked apart or say nothing, so they do not count here:
# "Tillerson said the two countries agreed to set up a working group" shares "Tillerson", "said"
# and "two countries" with "There is a low level of trust between our two countries, Tillerson
# said", and says nothing of the kind. On the 150 hand-labelled related pairs of bench/calibration,
# leaving them out (and the negation check below) took the pairs wrongly accepted from 8 to 3 and
# the same-fact pairs accepted from 40 to 36 of 65; weighted to the pairs they stand for, precision
# went from 0.53 to 0.74 (bench/RESULTS.md).
MIN_CONTENT_OVERLAP = 0.3
# Share of the statement's names (capitalised words) that one cited sentence must contain: more
# than half, so a sentence naming two of four people does not support the statement.
MIN_NAME_OVERLAP = 0.6
# Share of the content words of each remark the statement quotes that the sentence must hold, in its
# own quote or not: two translations of one remark share most of their words ("the level of trust
# on the working level ... has not improved but most likely deteriorated" / "... worsened"), while a
# sentence that only reports the act does not bear out the words put in a speaker's mouth ("Moscow
# would veto ..., saying it would be "counterproductive to have a UN resolution that would
# legitimize the accusations"" is not borne out by "Russia then vetoed a US-backed resolution").
MIN_QUOTE_OVERLAP = 0.5
# A quoted phrase shorter than a remark (REMARK_WORDS) is a term, not a translation: every one of its
# content words must be there. "... to coordinate on "smaller issues"" was borne out by "... to be
# able to discuss larger issues", its one shared word being enough for half.

_NAME = re.compile(r"\b[A-Z][\w’'-]+")
# Stems that every report has, so they say nothing of what it reports: the verbs that attribute a
# statement ("said", "according to") and the number words, whose figures are checked as numbers.
# Only the neutral verbs: "denied", "accused" or "confirmed" say something of their own.
_NEUTRAL_REPORTING = "said says say saying told tell tells added adds noted wrote tweeted according"
_NOT_CONTENT = (frozenset(content_terms(_NEUTRAL_REPORTING))
                | frozenset(content_terms(" ".join(list(NUMBER_WORDS) + list(ORDINAL_WORDS))))) - {"not"}


class SupportVerdict(BaseModel):
    """Whether one sentence supports one statement, and if not, why."""

    model_config = ConfigDict(frozen=True)

    supported: bool
    reason: str = ""
    # Refused because one of the two negates or denies what the other asserts (the draft check
    # calls that a contradiction when they otherwise make the same claim).
    denies: bool = False


def check_support(statement_text: str, sentence: str, *, read_negation: bool = True,
                  speaker: str | None = None) -> SupportVerdict:
    """Does `sentence` support `statement_text` (numbers, names, content)? With `read_negation`
    off, a statement one of them negates counts as said: whether they make the same claim at all.
    `speaker` is who the sentence's "he said" or bare quote refers to in its article
    (`claims.context_speaker`): the sentence names them too."""
    if " ".join(statement_text.split()) == " ".join(sentence.split()):
        return SupportVerdict(supported=True)
    statement, evidence = checkable(statement_text), checkable(sentence)
    if statement.numbers - evidence.numbers:
        # "the two countries" names the parties again, it does not count them: a sentence that says
        # "both sides" or names them bears it out, unless it states another count of them.
        statement = statement._replace(numbers=statement.numbers - _anaphoric_counts(statement_text, sentence))
    if speaker:
        evidence = evidence._replace(terms=evidence.terms | frozenset(content_terms(speaker)))
    missing_numbers = statement.numbers - evidence.numbers
    if missing_numbers:
        return SupportVerdict(
            supported=False, reason=f"the sentence does not state {', '.join(sorted(missing_numbers))}"
        )
    opposed = _negated_in_one_only(statement_text, statement, sentence, evidence) if read_negation else frozenset()
    if opposed:
        # "Lavrov denied the Russian role" is not borne out by "Lavrov said ... the Russian role".
        words = ", ".join(sorted(opposed))
        return SupportVerdict(supported=False, reason=f"one denies what the other asserts: {words}", denies=True)
    said_by = attributed_speaker(statement_text)
    if said_by:
        # "X said ..." puts words in X's mouth: the sentence must give words to X (or follow X's
        # remarks), however many of the statement's other names it has. Naming X is not enough:
        # "... after Tillerson held talks in Moscow" does not say that Tillerson said anything.
        theirs = speakers(sentence) | ({speaker} if speaker else set())
        if not _same_person(said_by, theirs):
            who = f"; it gives them to {', '.join(sorted(theirs))}" if theirs else ""
            return SupportVerdict(supported=False, reason=f"the sentence does not say that {said_by} said it{who}")
    for quoted in statement.remarks:
        if len(quoted & evidence.terms) < MIN_QUOTE_OVERLAP * len(quoted):
            return SupportVerdict(supported=False, reason="the sentence does not have the quoted words")
    for phrase in statement.phrases:
        if not phrase <= evidence.terms:
            return SupportVerdict(supported=False, reason="the sentence does not have the quoted words")
    if statement.names:
        # Looked up among all the sentence's words: a name is a name wherever it stands, and a
        # capitalised opening word ("Ahead of the meeting, ...") is found in lower case elsewhere.
        found = statement.names & evidence.terms
        if len(found) / len(statement.names) < MIN_NAME_OVERLAP:
            missing = ", ".join(sorted(statement.names - found))
            return SupportVerdict(supported=False, reason=f"the sentence does not name {missing}")
    content = statement.terms - statement.names - _NOT_CONTENT
    if content:
        overlap = len(content & evidence.terms) / len(content)
        if overlap < MIN_CONTENT_OVERLAP:
            return SupportVerdict(supported=False, reason="the sentence is about something else")
    return SupportVerdict(supported=True)


def one_bears_the_other_out(first: str, second: str, *, first_speaker: str | None = None,
                            second_speaker: str | None = None) -> bool:
    """Whether two close sentences give one piece of news: one bears the other out (the support
    test, either way) and neither calls false or negates what the other does not. The support test
    alone would take a report and its refutation for one: the hoax "NASA has confirmed that the
    Earth will experience six days of total darkness in December" bears out a debunker's "An
    article saying NASA confirmed six days of total darkness in December is fake". Speakers are who
    each sentence's "he said" refers to in its article."""
    if (veracity_cue(first) is None) != (veracity_cue(second) is None) or negates(first) != negates(second):
        return False
    return (check_support(first, second, speaker=second_speaker).supported
            or check_support(second, first, speaker=first_speaker).supported)


# "the two countries", "their three children": a number word after a definite determiner, before
# a plural noun.
_ANAPHORIC_COUNT = re.compile(r"\b(?:the|their|our|both|these|those)\s+(?P<count>two|three|four|five)\s+"
                              r"(?P<noun>[a-z]+s)\b", re.IGNORECASE)


def _anaphoric_counts(statement_text: str, sentence: str) -> frozenset[str]:
    """Numbers the statement gives only as "the two countries", which the sentence does not count
    otherwise (no other number before the same noun)."""
    spans = list(_ANAPHORIC_COUNT.finditer(statement_text))
    if not spans:
        return frozenset()
    rest = _ANAPHORIC_COUNT.sub(" ", statement_text)
    counted_elsewhere = extract_numbers(rest)
    found: set[str] = set()
    for span in spans:
        number = extract_numbers(span.group("count"))
        other_count = re.search(rf"\b(\w+)\s+{re.escape(span.group('noun'))}\b", sentence, re.IGNORECASE)
        if other_count and extract_numbers(other_count.group(1)) - number:
            continue  # the sentence counts them differently: "three countries"
        found |= number - counted_elsewhere
    return frozenset(found)


def _same_person(name: str, others: set[str]) -> bool:
    """Whether `name` is one of `others`, spelling variants met by stems ("Lavrov", "LAVROV")."""
    stems = frozenset(content_terms(name))
    return any(stems == frozenset(content_terms(other)) for other in others)


def _negated_in_one_only(statement_text: str, statement: Checkable, sentence: str,
                         evidence: Checkable) -> frozenset[str]:
    """Words both texts use that one of them negates or denies and the other does not. A negation
    elsewhere in a sentence ("detectives don't suspect foul play") opposes nothing the other says."""
    negated_in_statement = _negated_terms(statement_text)
    negated_in_sentence = _negated_terms(sentence)
    shared = statement.terms & evidence.terms
    return (shared & negated_in_statement) ^ (shared & negated_in_sentence)


@lru_cache(maxsize=65536)
def _negated_terms(text: str) -> frozenset[str]:
    return frozenset(term for span in negated_spans(text) for term in content_terms(span))


def citing_support(statement: Statement, sentences: Mapping[int, Sequence[str]]) -> Statement:
    """The statement citing only the sentences that support its wording (all of them if none does).

    Sentences that report one fact in other words may lack a name or a figure of the chosen
    wording; citing them would claim more than they say, so they are left out here rather than
    dropped later by verification with a warning meant for real problems.
    """
    kept = [c for c in statement.citations
            if check_support(statement.text, sentences[c.source][c.sentence],
                             speaker=context_speaker(sentences[c.source], c.sentence)).supported]
    return Statement(text=statement.text, citations=kept or statement.citations)


class Checkable(NamedTuple):
    """What the support test compares in a text: its figures, names, content words and the words of
    the remarks it quotes."""

    numbers: frozenset[str]
    names: frozenset[str]
    terms: frozenset[str]
    remarks: tuple[frozenset[str], ...]  # the content words of each remark it quotes
    phrases: tuple[frozenset[str], ...]  # ... and of each shorter quoted phrase


@lru_cache(maxsize=65536)
def checkable(text: str) -> Checkable:
    """The checkable parts of a text, computed once per text: alignment and verification ask for
    the same sentences thousands of times on a large corpus."""
    # Single marks too: "he was 'a mere instrument'" is not borne out by a sentence without the words.
    quotes = extract_quotes(text) + single_quoted(text)
    remarks = (frozenset(content_terms(quote)) - _NOT_CONTENT for quote in quotes if len(quote.split()) >= REMARK_WORDS)
    phrases = (frozenset(content_terms(quote)) - _NOT_CONTENT for quote in quotes if len(quote.split()) < REMARK_WORDS)
    return Checkable(frozenset(extract_numbers(text)), frozenset(names(text)), frozenset(content_terms(text)),
                     tuple(words for words in remarks if words), tuple(words for words in phrases if words))


def names(text: str) -> set[str]:
    """Capitalised words, as stems (spelling variants meet); function words such as "The" drop out."""
    return {term for word in _NAME.findall(text) for term in content_terms(word)}

