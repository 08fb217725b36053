"""The support test: does a source sentence say what a statement says? And can a sentence be read
on its own, out of its article?

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
    outside_quotes,
    speakers,
)
from .facts import NUMBER_WORDS, ORDINAL_WORDS, extract_numbers
from .refutation import negated_spans, negates, veracity_cue
from .terms import content_terms

__all__ = [
    "MAX_SENTENCE_WORDS", "Checkable", "SupportVerdict", "check_support", "checkable", "citing_support",
    "in_writers_voice", "names", "one_bears_the_other_out", "quotes_balanced", "stands_alone",
    "whole_sentence",
]

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
    quotes = extract_quotes(text)
    remarks = (frozenset(content_terms(quote)) - _NOT_CONTENT for quote in quotes if len(quote.split()) >= REMARK_WORDS)
    phrases = (frozenset(content_terms(quote)) - _NOT_CONTENT for quote in quotes if len(quote.split()) < REMARK_WORDS)
    return Checkable(frozenset(extract_numbers(text)), frozenset(names(text)), frozenset(content_terms(text)),
                     tuple(words for words in remarks if words), tuple(words for words in phrases if words))


def names(text: str) -> set[str]:
    """Capitalised words, as stems (spelling variants meet); function words such as "The" drop out."""
    return {term for word in _NAME.findall(text) for term in content_terms(word)}


# Opening words that need the sentence before them to be understood.
# A possessive is a pronoun too: "His wife was arrested ...", "Its shares fell ..." say whose only
# with the sentence before.
_PRONOUN_OPENERS = frozenset({"he", "she", "it", "they", "this", "that", "we", "i", "his", "her", "its", "their"})
_OPENING_CONJUNCTIONS = frozenset({"and", "but", "so", "yet", "or"})
# "Some are part of an ecosystem ...", "Others are accidental visitors ...": a quantifier standing
# for a noun of the sentence before, as a pronoun does ("Some officials said ..." names its noun).
_QUANTIFIERS = frozenset({"some", "others", "many", "most", "both", "several", "these", "those", "all", "few"})
_VERBS_AFTER_QUANTIFIER = frozenset(
    "are were is was have had will would can could may might must should say said remain remained".split())
# A bare quotation: nothing outside the quote marks. An apostrophe inside ("world’s") is not a
# closing mark, so only double marks bound it (and single curly ones taken greedily).
_QUOTE_ONLY = re.compile(r"^(?:“[^“”]*”|\"[^\"]*\"|‘.*’)[.!?]?$")
# "It was the eighth time that ...", "It is not clear when ...": a dummy subject, not a pronoun that
# needs the sentence before; the clause it stands for follows within a few words. Not "It was not
# operated by the government" nor "It is where the olympics were held" (what was, what is?): those
# name no referent, and on the Multi-News dev articles they were most of the sentences that "It is"
# or "It was" opens.
_DUMMY_IT = re.compile(r"^[Ii]t (?:is|was|has been|had been|will be|would be)(?: not| also| still| now)?"
                       r"(?: [\w'-]+,?){1,5}? (?:that|whether|when|if|how|why|who|what|where|since)\b")
# "..., he said." names no one: out of its article the reader cannot tell who spoke.
_PRONOUN_SPEAKER = re.compile(r"[,”\"]\s*(?:he|she|they|we)\s+(?:said|added|told|warned|insisted|noted)\b")
# Shorter sentences rarely carry a fact of their own ("He said so.").
_MIN_CLEAR_WORDS = 6
# "But Putin suggested that they have worsened instead.": a "they" with nothing before it that it
# could stand for (a plural, a body of people, two names joined) stands for something of another
# sentence. Only "they": a singular "their" ("the owner ... a dent in their pocket") and a "them" of
# what follows ("By turning to tony bosch to help them ..., major league baseball ...") are common.
_THEY = re.compile(r"\bthey\b", re.IGNORECASE)
_PLURAL_WORD = re.compile(r"[a-z-]{2,}[^s\W]s")
_NOT_PLURAL = frozenset("was has does says this thus plus news always perhaps whereas".split())
_BODIES = frozenset("and both people police children men women staff crew team group government family company "
                    "public media couple administration committee council board party audience crowd".split())


# A whole sentence opens on a word, a figure or an opening quote or bracket, and ends on a full stop
# or an exclamation mark (closing quotes and brackets aside; not on an ellipsis, see _TRAILING_OFF).
# Text cut off in the source ("One: i don't get why romney would step on") or the tail of a
# parenthesis (") everyone's favorite messed-up meth saga") is a fragment.
_WHOLE_SENTENCE = re.compile(r"^[\w\"\u201c\u2018'(\[].*[.!\u2026][\s\"\u201d\u2019')\]]*$", re.DOTALL)


# A label and its colon ("release date: 2009-12-18 running length: 2: 41 mpaa classification:
# pg-13 ... cast: ... director: ..."): a fact box scraped into the text reads as one long sentence.
# Prose has one or two ("Update: writing for slate, ..."); the dev set's fact boxes have 9 and 13.
_LABEL = re.compile(r"\b[a-z][a-z.'-]*(?: [a-z][a-z.'-]*)?:\s", re.IGNORECASE)
MAX_LABELS = 3
# Six figures in a row ("2001 110,299 117,662 2002 113,094 113,777 ..."): a table scraped into the
# text. Prose separates its figures by words; on the dev set no sentence has more than 3 in a row
# but that one table (30).
_FIGURE_RUN = re.compile(r"(?:(?<!\S)[$\u20ac\u00a3]?\d[\d,.:%-]*\s+){5}[$\u20ac\u00a3]?\d")


# A feed's teaser cut at its word limit ends on an ellipsis: "... has been sentenced to one...",
# "... the first such deal with the self-governing...". An article's own sentence ends on a stop.
_TRAILING_OFF = ("...", "\u2026")
# ... or runs on into the story, which the lower-cased feed did not capitalise: "Ferguson says he is
# stepping... ferguson, host of " the late late show " since 2005, told ...", "... where police
# engaged... a clandestine grave on the outskirts of a mexican city ...", "... in the criminal case
# against reed,... an obsession with the wild west compelled ..."). Outside quotes (where an
# ellipsis marks words left out of a remark); on the dev sets all 9 such sentences are teasers.
_TEASER_RUN_ON = re.compile(r"[\w,;:](?:\.\.\.|\u2026)\s*[a-z]")


# A note about the page itself, which says what changed in the article rather than what happened:
# "clarification: elizabeth thomas is 5-feet tall.", "Correction: this post previously listed the
# ...", "Editor's note: this story was updated at 1: 55 p.m."; or a picture's credit run into the
# text ("Photo: montgomery county sheriff's offi bobby martin was sentenced ..."). Not "Update:",
# which adds to the story ("Update: writing for slate, jamelle bouie details why the sketch ...").
_PAGE_NOTE = re.compile(r"^\W*(?:corrections?|clarifications?|editor[\u2019']?s? note|photos?|images?|pictures?)\s*:",
                        re.IGNORECASE)


# More words than this is text the splitter found no end in (a page without punctuation, a list),
# not a sentence. The dev sets' longest sentence has 107 words.
MAX_SENTENCE_WORDS = 250


def whole_sentence(text: str) -> bool:
    """A sentence of the story, not a fragment: opens where a sentence opens and ends where a
    statement ends, and is no fact box of labelled values, table of figures, note about the page,
    teaser run into the story or run of text with no end found. Its brackets close where they open:
    one left open ("( there is no way of knowing his exact weight because ...") begins an aside of
    several sentences, one closed but never opened ends it."""
    stripped = text.strip()
    return (_WHOLE_SENTENCE.match(stripped) is not None and not stripped.endswith(_TRAILING_OFF)
            and stripped.count("(") == stripped.count(")") and stripped.count("[") == stripped.count("]")
            and len(stripped.split()) <= MAX_SENTENCE_WORDS
            and len(_LABEL.findall(text)) <= MAX_LABELS and _FIGURE_RUN.search(text) is None
            and _PAGE_NOTE.match(stripped) is None and _TEASER_RUN_ON.search(outside_quotes(stripped)) is None)


# "My heart died along with him", "I'll leave that for future historians", "They know this is where
# I was born" (a quotation that runs on from the sentence before, its marks there): whose voice it
# is, a reader out of the article cannot say. "I", "me", "my" anywhere; "we" and "our" at the
# opening only, as later in a sentence they are often everyone's ("anything we're nostalgic for").
# Not "us": the US in a lower-cased feed. Measured on the dev set (the lede): -0.1 ROUGE-1, -0.1
# ROUGE-2. A publication speaking of itself is the same voice: "Everything you read on this site is
# based on fact", "When writing stories for this blog, we let the news sizzle ..." (a site's about
# page, quoted by a fact-checker).
_FIRST_PERSON = re.compile(r"\b(?:i|me|my)\b|^\W*(?:\S+\s+){0,3}?(?:we|our)\b"
                           r"|\bthis (?:site|website|blog|page|newsletter|podcast)\b", re.IGNORECASE)


# An order to the reader where a sentence opens: "Follow The Daily Dot on Twitter.", "Share it in
# the comments.", "(See "Chelyabinsk Meteor: The Animated Movie.")", "Go back to about a minute
# twenty and watch Paul Rudd full-on tackle the asshole!", "Tweet '#6DaysOfDarkness' including your
# plan ...". On the dev sets every sentence opening on one of these verbs is one. Not "Like" ("Like
# ahab with his white whale, ex-harrisburg mayor ..." is a comparison), nor "Get", which opens
# titles as often ("Get Out won the Oscar for ...").
_TO_THE_READER = re.compile(
    r"^[\s(\[]*(?:go|keep|watch|click|read|see|check|tweet|share|follow|subscribe|scroll|listen|visit|download|"
    r"bookmark|enjoy|imagine|join|sign up|stay tuned|don[\u2019']t miss|let[\u2019']s|let us|tell us|"
    r"send us|email us)\b(?!-)", re.IGNORECASE)  # not "Follow-up tests showed ...", "Check-in opens ..."


def in_writers_voice(text: str) -> bool:
    """Whether the sentence is the writer speaking, outside its quotes: as "I" or "we" (an aside, a
    post or a letter quoted without marks) or to the reader ("Share it in the comments."). Neither
    the lede nor the list of what one source alone reports can say whose voice that is, or state it
    as news."""
    return _FIRST_PERSON.search(outside_quotes(text)) is not None or _TO_THE_READER.match(text) is not None


def stands_alone(text: str) -> bool:
    """Readable out of its article: a full clause that does not open on a pronoun or inside a quote,
    with its speaker named, and not a bare quotation."""
    text = text.strip()
    clear = _is_clear(text) or (_DUMMY_IT.match(text) is not None and _is_clear("The" + text[2:]))
    return (clear and not _QUOTE_ONLY.match(text) and not _PRONOUN_SPEAKER.search(text)
            and not _they_without_referent(text))


def _they_without_referent(text: str) -> bool:
    """Whether "they" (outside quotes) has no word before it that it could stand for (`_THEY`)."""
    if _THEY.search(text) is None:  # most sentences: no quotes to blank out
        return False
    told = outside_quotes(text)
    found = _THEY.search(told)
    if found is None:
        return False
    before = re.findall(r"[a-z][a-z-]*", told[: found.start()].lower())
    return not any(word in _BODIES or (_PLURAL_WORD.fullmatch(word) and word not in _NOT_PLURAL) for word in before)


def leans_on_previous(text: str) -> bool:
    """Readable right after the sentence before it, though not alone: a full clause with its quotes
    balanced that opens on a pronoun or a quantifier standing for a noun ("Some are ..."),
    attributes its words to "he" or "she", or is a bare quote."""
    text = text.strip()
    return len(text.split()) >= _MIN_CLEAR_WORDS and quotes_balanced(text) and not stands_alone(text)


def _is_clear(text: str) -> bool:
    """A full clause of some length, quotes balanced, not opening on a pronoun or on a quantifier
    that stands for a noun."""
    words = text.split()
    # "But he was firm that ...": the pronoun after an opening conjunction is still the subject.
    opening = words[1:] if words and words[0].lower() in _OPENING_CONJUNCTIONS else words
    # "It's a stunning ruling", "They're in the DNA": the pronoun before its contraction.
    first = re.split(r"['\u2019]", opening[0].strip("\"\u201c'").lower(), maxsplit=1)[0] if opening else ""
    second = opening[1].lower() if len(opening) > 1 else ""
    standing_for_a_noun = first in _QUANTIFIERS and (second in _VERBS_AFTER_QUANTIFIER or first == "others")
    return (len(words) >= _MIN_CLEAR_WORDS and quotes_balanced(text) and first not in _PRONOUN_OPENERS
            and not standing_for_a_noun)


def quotes_balanced(text: str) -> bool:
    """Whether every quotation the text opens it also closes (curly marks paired, straight marks even)."""
    return text.count("\u201c") == text.count("\u201d") and text.count('"') % 2 == 0
