"""Whether a sentence reads on its own, out of its article: what the lede and the exclusives take.

A sentence a reader can take alone has no remark without its speaker, no opening pronoun whose
referent is in another sentence (a possessive one too), no opening that answers the sentence before
("Instead, ...", "However, ..."), no "I", "my" or "we" outside quotes (whose
they are, the brief cannot say), is no fragment that is only an attribution ("Defense Secretary Jim
Mattis said on April 11."), no sentence cut off in its source or begun in the middle, no
question, and no caption of a picture the brief does not have ("File - this may 13, 2014 file photo
shows a row of google self-driving lexus cars ...").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .claims import REMARK_WORDS, extract_quotes, outside_quotes, remark_has_speaker
from .sentences import MAX_QUOTE_SENTENCES
from .shape import bare_quotation, in_writers_voice, stands_alone, whole_sentence
from .terms import content_terms

__all__ = ["MIN_CONTENT_TERMS", "has_remark", "inside_quotations", "is_caption", "only_a_title", "readable_alone",
           "whole_statement"]

# Fewer content words than this besides names and figures is a fragment ("Defense Secretary Jim
# Mattis said on April 11."), not a fact.
MIN_CONTENT_TERMS = 3

_NAME_OR_FIGURE = re.compile(r"\b(?:[A-Z][\w’'-]*|\d[\d,.]*)")
# An article or a possessive, maybe an adjective, then the opening mark: "a red "", "its "".
_DETERMINER_BEFORE = re.compile(r"\b(?:a|an|the|his|her|its|their|our)\s+(?:[a-z-]+\s+)?[\"\u201c]\s*$", re.IGNORECASE)
# The closing mark, then a lower-case word that can be the noun qualified: not an attribution's
# ("he said", "said"), nor a function word that makes the quote a phrase of its own ("an " unlawful
# attack " which ...", "... " and said").
_NOUN_AFTER = re.compile(
    r"\s*[\"\u201d]\s+(?!(?:he|she|they|it|we|i|you|said|says|told|added|asked|and|or|but|nor|which|that|who|"
    r"whom|whose|is|was|are|were|will|would|could|should|can|may|might|must|has|have|had|be|been|do|does|did|"
    r"in|on|at|to|for|of|by|with|from|as|than|if|when|while|because|so|not|into|over|after|before|about)\b)[a-z]")
# What introduces a title rather than a remark: the show, the film, ... called, titled ...
_WORKS = r"show|series|sitcom|film|movie|documentary|book|song|album|novel|play|musical|sketch|episode|podcast|game"
_TITLE_BEFORE = re.compile(rf"\b(?:{_WORKS}|programm?e?|called|titled|entitled|dubbed|named)\s*[,:]?\s*[\"\u201c]\s*$",
                           re.IGNORECASE)
# ... or what follows a title as its apposition: `watching " the return of the king, " a fantasy film
# receiving a limited release, ...`. Not "a spokesman for the show": the words between the article
# and the work qualify the work.
_NOT_QUALIFYING = r"(?!(?:for|of|on|in|at|by|from|to|with)\b)"
_TITLE_AFTER = re.compile(rf"\s*,?\s*[\"\u201d]\s*,?\s*(?:an?|the)\s+(?:{_NOT_QUALIFYING}[\w'-]+\s+){{0,3}}?"
                          rf"(?:{_WORKS})s?\b", re.IGNORECASE)


# A caption, in the wire services' style: the sentence points at a picture ("this photo", "in this
# picture taken ...", "File - this ... file photo shows ..."), which the brief does not show. Between
# "this" and the picture only a date or a kind of picture may stand ("this wednesday, april 23, 2014
# photo released by cbs shows ..."), so "In this case, the court found that the photo ..." is prose.
# The caption may follow a correction note it is glued to ("Corrects number dead to two ... - this
# photo provided by the iowa state patrol shows ...").
_PICTURE = r"(?:photo(?:graph)?|picture|image|handout|video (?:still|grab|image))"
_DATE_OR_KIND = (r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?|[a-z]+day|\d{1,4}|undated|file|"
                 r"handout|aerial|archive|family|courtesy|recent|combination|frame)")
_THIS_PICTURE = rf"this\s+(?:{_DATE_OR_KIND},?\s+){{0,6}}{_PICTURE}s?\b"
# A caption may also credit the picture in brackets ("claire davis ( provided by arapahoe county
# sheriff's office ) the senior was shot ...") or, in the wire services' style, say what someone does
# in the present tense on a day given in full ("sheriff grayson robinson holds a picture of claire
# davis ... during a briefing saturday, dec. 14, 2013, ..."). A feed glues such a caption to the
# sentence after it, which is then no sentence a reader can take either. On every dev and seed
# sentence these marks are found only in captions. (Where people stand in the picture, "sam
# worthington, left, and ...", is left alone: such captions state who did what, and dropping them
# cost the dev ledes 0.15 ROUGE-1, bench/RESULTS.md.) The loader cuts out the bracketed credits it
# can tell from prose (load/credits._BRACKETED_CREDIT) and leaves "provided by", which may be prose
# ("the funds (provided by the state) were spent ..."); here that doubt costs a lede candidate, never
# a changed text.
_CREDIT = r"\(\s*(?:photo(?:graph)?s?\s*:|provided by\b|courtesy\b|credit\s*:)"
_WEEKDAY_DATE = (r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                 r"[a-z]*\.?\s+\d{1,2},\s+\d{4}\b")
_DOES_IN_PICTURE = (r"\b(?:holds|shows|speaks|waves|arrives|walks|looks|stands|sits|poses|listens|attends|talks|"
                    r"gestures|smiles|reacts|pauses|answers|testifies|greets|is seen|are seen)\b")
_CAPTION = re.compile(
    rf"^\s*(?:file\s*[-–—:]\s*|in\s+{_THIS_PICTURE})"
    rf"|\b{_THIS_PICTURE}\s*,?\s*(?:shows|showing|taken|provided by|released by|made available)\b"
    rf"|{_CREDIT}",
    re.IGNORECASE)
# Found apart: a day given in full is rare, and one pattern of "verb, anything, date" tried the
# date after every verb of every sentence (3.7x the time of the caption test on the seeds).
_WEEKDAY_DATE_RE = re.compile(_WEEKDAY_DATE, re.IGNORECASE)
_DOES_IN_PICTURE_RE = re.compile(_DOES_IN_PICTURE, re.IGNORECASE)


def readable_alone(text: str) -> bool:
    """A sentence a reader of the brief can take on its own (a lede item, an exclusive)."""
    # A remark needs its speaker here, not in another sentence.
    return (stands_alone(text) and whole_statement(text) and not in_writers_voice(text)
            and (not has_remark(text) or remark_has_speaker(text)) and not is_caption(text))


def is_caption(text: str) -> bool:
    """Whether the sentence is a picture's caption (`_CAPTION`): it tells what a picture shows."""
    if _CAPTION.search(text) is not None:
        return True
    # Someone doing something in the picture, before the last day given in full.
    dates = [match.start() for match in _WEEKDAY_DATE_RE.finditer(text)]
    return bool(dates) and _DOES_IN_PICTURE_RE.search(text, 0, dates[-1]) is not None


def whole_statement(text: str) -> bool:
    """Neither a question (nor one run into a statement: "How many insects are in your home? none?
    some new research suggests ...", nor one quoted with only who asked it: "" did he have a debt? "
    clinton asked.") nor a fragment, and with content besides names and figures."""
    stripped = text.strip()
    told = outside_quotes(stripped)
    # With no "?" in the writer's words, one in the sentence is inside a quote.
    quoted_question_only = "?" in stripped and len(content_terms(_NAME_OR_FIGURE.sub(" ", told))) < MIN_CONTENT_TERMS
    return ("?" not in told and whole_sentence(stripped) and not quoted_question_only
            and len(content_terms(_NAME_OR_FIGURE.sub(" ", text))) >= MIN_CONTENT_TERMS)


def only_a_title(text: str) -> bool:
    """A quotation too short to be a remark, and nothing else: a title ("" pee-wee's big holiday. "",
    which two reviews of the film share) names something and says nothing of it."""
    return bare_quotation(text) and not has_remark(text)


def has_remark(text: str) -> bool:
    """Whether the sentence quotes a remark: a quote of REMARK_WORDS words or more that is not a
    title ("the tlc show " my 600 pound life "", "a number called " the number in the middle "",
    "" the return of the king, " a fantasy film")."""
    for quote in extract_quotes(text):
        if len(quote.split()) < REMARK_WORDS:
            continue
        at = text.find(quote)
        if at < 0 or not (_TITLE_BEFORE.search(text, max(at - 40, 0), at) or _modifier(text, quote, at)
                          or _TITLE_AFTER.match(text, at + len(quote))):
            return True
    return False


def _modifier(text: str, quote: str, at: int) -> bool:
    """A quoted name used as a modifier: after an article or a possessive, ending without a
    punctuation mark of its own, and followed by the noun it qualifies ("a red " make america great
    again " hat", "its " black jeopardy " sketch")."""
    if quote[-1:] in ",.;:!?\u2026" or not _DETERMINER_BEFORE.search(text, max(at - 30, 0), at):
        return False
    return _NOUN_AFTER.match(text, at + len(quote)) is not None


_QUOTE_MARK = re.compile("[\u201c\u201d\"]")
_BEFORE_OPENING = " ([{\u2014\u2013-:"
_AFTER_CLOSING = " ,.;:!?)]"


def inside_quotations(sentences: Sequence[str]) -> frozenset[int]:
    """Which sentences of an article begin inside a quotation opened before them (`_inside_quotations`),
    found once per article: the alignment, the extractive summaries and the lede each ask."""
    return _inside_quotations(tuple(sentences))


@lru_cache(maxsize=4096)
def _inside_quotations(sentences: tuple[str, ...]) -> frozenset[int]:
    """The sentences of an article that begin inside a quotation opened in an earlier one: someone's
    words, with neither marks nor speaker of their own. A debunker quotes the hoax over several
    paragraphs (`The bogus report read: "Nasa has confirmed ...` then `The world will remain ...
    without sunlight due to a solar storm ...`), each new paragraph opening the quote again and
    only the last closing it; the sentences between read as the debunker's own. A straight mark
    opens after a space and closes before one. Spaced on both sides (a tokenised feed's `" ... "`),
    it may close a quotation but never opens one here: such feeds misplace their marks (`claims, "
    " it's not as bad ...` then `" police say ...`), and every sentence after would read as quoted.
    A quotation left open longer than MAX_QUOTE_SENTENCES sentences after its last mark is taken
    for a stray mark. The sentence that closes a quotation and names its speaker ("This report is
    entirely false," Navarro County Judge H.M. Davenport said ...") is not counted: it says whose
    words they are."""
    inside: set[int] = set()
    quoting = False
    last_mark_in = 0
    for index, text in enumerate(sentences):
        if not quoting or index - last_mark_in > MAX_QUOTE_SENTENCES:
            quoting = False
        elif not remark_has_speaker(text):  # '... entirely false," Judge H.M. Davenport said.' names its own
            inside.add(index)
        for match in _QUOTE_MARK.finditer(text):
            at, mark = match.start(), match.group()
            if mark == "\u201c":
                opens = True
            elif mark == "\u201d":
                opens = False
            else:
                after_space = at == 0 or text[at - 1] in _BEFORE_OPENING
                before_space = at + 1 == len(text) or text[at + 1] in _AFTER_CLOSING
                if after_space == before_space and not quoting:
                    continue
                opens = after_space and not before_space
            quoting = opens
            last_mark_in = index
    return frozenset(inside)
