"""Web boilerplate removal for article text scraped to plain text.

Every line is classified on its own (`classify_lines`): a line matching a cue of web cruft (player
text, comment prompts, legal notices, promos, ...) is `CRUFT`; otherwise a score built from its
ending, length, share of letters and capitalisation decides between `BODY` (prose) and `HEADING`
(titles, section heads, bylines, date lines, captions). Only `BODY` lines reach the sentence
splitter. The cues are general phrasings of web furniture, not lines copied from any one site.
"""

from __future__ import annotations

import enum
import itertools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ..text.sentences import ATTRIBUTION_VERBS, split_paragraph
from .credits import LETTER, split_at_inline_credits, strip_credits, strip_dateline
from .cues import ABSORBING_CATEGORIES, BIO, SENTENCE_CATEGORIES, find_cue, may_hold_sentence_cue

__all__ = [
    "ClassifiedLine",
    "LineKind",
    "body_paragraphs",
    "classify_lines",
    "clean_text",
    "unwrap_hard_wrapped",
    "without_glued_retellings",
]


class LineKind(enum.Enum):
    """What a line of scraped text is."""

    BLANK = "blank"
    BODY = "body"  # article prose
    HEADING = "heading"  # short non-sentence line: title, section head, byline, date, caption
    CRUFT = "cruft"  # web furniture matched by a cue, or a repeated caption


@dataclass(frozen=True)
class ClassifiedLine:
    """One line of the input with its kind and the reason it was given that kind."""

    index: int
    text: str
    kind: LineKind
    reason: str = ""


_TERMINAL = re.compile(r"[.!?…](?:[\"'”’»)\]]*)$")
_CLOSERS = "\"'”’»)]"
_WORD = re.compile(r"\S+")
# Trailing "(AP)", "(AP Photo/Ivan Sekretarev)": ignored when comparing captions.
_TRAILING_BRACKETS = re.compile(r"(?:\s*\([^()]{1,60}\))+\s*$")
_NON_ALNUM = re.compile(r"[\W_]+")
# A line this long and without cues is prose even when its final punctuation is missing.
_LONG_LINE_WORDS = 20
_MAX_CAPTION_WORDS = 60
_SHORT_LINE_WORDS = 8
# A line this long holds a whole article (a feed that gives one line per article), where a caption
# or a notice is one of its sentences rather than a line of its own.
_ARTICLE_LINE_WORDS = 100


def classify_lines(lines: Sequence[str], *, headings: Collection[str] = ()) -> list[ClassifiedLine]:
    """Classify each line as body, heading, cruft or blank; `headings` are texts known to be headings."""
    forced = {h.strip() for h in headings}
    margin = _margin_lines(lines)
    result: list[ClassifiedLine] = []
    absorbing: list[bool] = []
    previous_text = ""
    for index, raw in enumerate(lines):
        text = raw.strip()
        is_prose = bool(text) and _body_score(text) >= 2
        # Weak cues are whole-line phrasings, safe on short lines but not on long prose.
        weak_too = not is_prose or len(text.split()) <= _SHORT_LINE_WORDS
        # A bio under its author's name is furniture wherever it sits.
        bio = BIO.match(text)
        in_margin = index in margin or (bio is not None and bio.group("name") == previous_text)
        cue = find_cue(text, strong_only=not weak_too, in_margin=in_margin) if text else None
        previous_text = text or previous_text
        whole_article = cue is None and len(text.split()) >= _ARTICLE_LINE_WORDS and may_hold_sentence_cue(text)
        if is_prose and (whole_article or (cue is not None and cue[0] in SENTENCE_CATEGORIES)):
            # A feed that gives a whole article as one line runs notices, player messages and
            # captions into it ("... police said. All rights reserved."): the article is kept,
            # without those sentences. What is left of a notice's own paragraph ("Click for
            # restrictions.") is no article.
            kept, removed = _without_cruft_sentences(text, in_margin=in_margin)
            if removed and _body_score(kept) >= 2 and (cue is None or len(kept.split()) >= _LONG_LINE_WORDS):
                reason = f"sentences removed ({removed[0]}: {removed[1]})"
                result.append(ClassifiedLine(index, kept, LineKind.BODY, reason))
                absorbing.append(False)
                continue
            cue = cue or removed  # what is left of the line is no prose: the line is furniture
        if not text:
            kind, reason = LineKind.BLANK, ""
        elif cue is not None:
            kind, reason = LineKind.CRUFT, f"{cue[0]}: {cue[1]}"
        elif text in forced:
            kind, reason = LineKind.HEADING, "marked as heading"
        elif is_prose:
            kind, reason = LineKind.BODY, ""
        else:
            kind, reason = LineKind.HEADING, "not a sentence"
        absorbing.append(kind is LineKind.CRUFT and cue is not None and cue[0] in ABSORBING_CATEGORIES)
        result.append(ClassifiedLine(index, text, kind, reason))
    _mark_repeated_captions(result)
    _absorb_block_headings(result, absorbing)
    _keep_verdicts(result)
    return result


# A fact-checker's rating on a line of its own, the article's verdict on the claim it checks:
# "Claim: The town of Purdon, Texas was quarantined ..." then "FALSE" (Snopes). Short and in
# capitals it reads as a heading; dropped as one, the article called nothing false.
_VERDICT_LABEL = r"(?:rating|status|verdict)\s*:"
_VERDICT = re.compile(
    rf"^(?:{_VERDICT_LABEL}\s*)?(?:true|false|mostly true|mostly false|half true|mixture|unproven|"
    r"undetermined|miscaptioned|misattributed|outdated|scam|legend|satire|labeled satire|pants on fire)[.!]?$",
    re.IGNORECASE)
_LABELLED_VERDICT = re.compile(rf"^{_VERDICT_LABEL}", re.IGNORECASE)
_CLAIM_LABEL = re.compile(r"^claim\s*:", re.IGNORECASE)


def _keep_verdicts(lines: list[ClassifiedLine]) -> None:
    """Keep as body text a rating line that follows a "Claim:" line or says it is a rating."""
    claim_before = False
    for position, line in enumerate(lines):
        if line.kind is LineKind.BLANK:
            continue
        if (line.kind is not LineKind.BODY and _VERDICT.match(line.text)
                and (claim_before or _LABELLED_VERDICT.match(line.text))):
            lines[position] = ClassifiedLine(line.index, line.text, LineKind.BODY, "a fact-check's verdict")
        claim_before = line.kind is LineKind.BODY and _CLAIM_LABEL.match(line.text) is not None


def _without_cruft_sentences(text: str, *, in_margin: bool) -> tuple[str, tuple[str, str, bool] | None]:
    """The line without its sentences of a notice, a player's message or a caption (strong cues
    only: the line reads as prose), and the first cue that took one out (None when none did)."""
    kept: list[str] = []
    removed: tuple[str, str, bool] | None = None
    for sentence in split_paragraph(text):
        # A caption's agency credit may open it: "( associated press ) file - smoke pours ..."
        cue = find_cue(strip_credits(sentence), strong_only=True, in_margin=in_margin)
        if cue is None or cue[0] not in SENTENCE_CATEGORIES:
            kept.append(sentence)
        elif removed is None:
            removed = cue
    return " ".join(kept), removed


def _margin_lines(lines: Sequence[str]) -> set[int]:
    """Indices of the non-blank lines in the page's top tenth and bottom third (its furniture zones)."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    top = max(1, len(filled) // 10)
    bottom = max(2, -(-len(filled) * 3 // 10))  # ceiling
    return set(filled[:top]) | set(filled[-bottom:])


def _body_score(text: str) -> float:
    """Score how much a line reads like article prose; 2 or more is body."""
    words = _WORD.findall(text)
    letters = len(LETTER.findall(text))
    visible = sum(len(w) for w in words)
    score = 0.0
    if _TERMINAL.search(text):
        # A sentence end is the strongest single sign of prose, except on a short question,
        # which is far more often a headline or section head ("What happens next?").
        score += 1.5 if text.rstrip(_CLOSERS).endswith("?") and len(words) < 8 else 2.5
    elif text.rstrip(_CLOSERS).endswith((":", ";")) and len(words) >= 8:
        score += 1.5
    if len(words) >= 8:
        score += 1
    if len(words) >= _LONG_LINE_WORDS:
        score += 1
    if len(words) < 3:
        score -= 1
    if visible and letters / visible < 0.6:
        score -= 2  # timestamps, scores, star ratings, tables of numbers
    if letters >= 2 and text.upper() == text:
        score -= 3  # ALL-CAPS lines are section heads or labels
    if len(words) >= 3 and _title_case_ratio(words) >= 0.8:
        score -= 1  # Headline Case
    if text.count(" | ") + text.count(" › ") + text.count(" » ") >= 1:
        score -= 1  # menus and breadcrumbs
    return score


def _title_case_ratio(words: Sequence[str]) -> float:
    """Share of alphabetic words that start with a capital letter."""
    alphabetic = [w for w in words if w[:1].isalpha()]
    if not alphabetic:
        return 0.0
    return sum(w[0].isupper() for w in alphabetic) / len(alphabetic)


def _caption_key(text: str) -> str:
    """The text of a line reduced for caption comparison: no trailing credits, case or punctuation."""
    return _NON_ALNUM.sub(" ", _TRAILING_BRACKETS.sub("", text)).strip().lower()


def _mark_repeated_captions(lines: list[ClassifiedLine]) -> None:
    """Mark runs of a short line repeated consecutively (image captions scraped twice) as cruft."""
    previous: int | None = None
    for position, line in enumerate(lines):
        if line.kind is LineKind.BLANK:
            continue
        earlier = lines[previous].text if previous is not None else ""
        # Cheap prefix test first: the full comparison runs regexes over both lines.
        if previous is not None and earlier[:24].lower() == line.text[:24].lower():
            key = _caption_key(line.text)
            if key and len(key.split()) <= _MAX_CAPTION_WORDS and key == _caption_key(earlier):
                for pos in (previous, position):
                    lines[pos] = ClassifiedLine(
                        pos, lines[pos].text, LineKind.CRUFT, "caption: repeated line"
                    )
        previous = position


def _absorb_block_headings(lines: list[ClassifiedLine], absorbing: Sequence[bool]) -> None:
    """A heading right before a player, promo, bio or notice block belongs to that block."""
    last_heading: int | None = None
    for position, line in enumerate(lines):
        if line.kind is LineKind.BLANK:
            continue
        if absorbing[position] and last_heading is not None:
            lines[last_heading] = ClassifiedLine(
                last_heading, lines[last_heading].text, LineKind.CRUFT, "heading of a cruft block"
            )
        last_heading = position if line.kind is LineKind.HEADING else None


def body_paragraphs(lines: Sequence[ClassifiedLine], *, exclude: Collection[int] = ()) -> list[str]:
    """The body lines as paragraphs, minus `exclude` (metadata lines), dateline stripped, inline
    credits taken out."""
    paragraphs = [line.text for line in lines if line.kind is LineKind.BODY and line.index not in exclude]
    if paragraphs:
        paragraphs[0] = strip_dateline(paragraphs[0])
    pieces = [piece for paragraph in paragraphs for piece in split_at_inline_credits(paragraph)]
    return [stripped for piece in pieces if (stripped := strip_credits(piece))]


# Words a sentence must have before the next one, word for word, to be that one with something glued on.
_GLUED_WORDS = 3
_OPENS_QUOTE = ":\"'\u201c\u2018"
_WORD_SPAN = re.compile(r"\w+")
_ATTRIBUTING = frozenset(ATTRIBUTION_VERBS) | {"say", "that", "to", "reported", "reports", "announced", "stated"}


def without_glued_retellings(sentences: list[str]) -> list[str]:
    """The article's sentences less each one that ends with the next, word for word, after words
    of its own: that is the next sentence with a headline, a caption or a page's widget glued
    before it, where the scrape lost the line between them ("Teen admitted to all 20 colleges and
    universities he applied to for admission micheal brown has been accepted by all 20 of the
    colleges and universities he applied to." then "Micheal brown has been accepted by all 20 of
    the colleges and universities he applied to."; "Embed more news videos at least 276 dogs ...").
    Not when the words before open a quotation ('A spoof account ... claimed to be the owner,
    tweeting: "Yes they were in good condition ..."' then the post itself), nor when they end on
    an attribution ("Police officers said at least 276 dogs ..."): they say whose words the next
    sentence gives."""
    kept: list[str] = []
    for index, sentence in enumerate(sentences):
        following = sentences[index + 1] if index + 1 < len(sentences) else ""
        if not _retells_with_glue(sentence, following):
            kept.append(sentence)
    return kept


def _retells_with_glue(sentence: str, following: str) -> bool:
    words = list(_WORD_SPAN.finditer(sentence))
    tail = [word.casefold() for word in _WORD_SPAN.findall(following)]
    own = len(words) - len(tail)
    if not tail or own < _GLUED_WORDS or [word.group().casefold() for word in words[own:]] != tail:
        return False
    before = sentence[: words[own].start()].rstrip()
    # What opens a quotation or attributes the words after it says whose they are.
    return not before.endswith(tuple(_OPENS_QUOTE)) and words[own - 1].group().casefold() not in _ATTRIBUTING


def clean_text(text: str) -> str:
    """The article body of scraped text: body paragraphs separated by blank lines."""
    lines = unwrap_hard_wrapped(text).split("\n")
    return "\n\n".join(body_paragraphs(classify_lines(lines)))


def unwrap_hard_wrapped(text: str) -> str:
    """Join lines of hard-wrapped paragraphs (e-mail style, ~72 columns) into one line each.

    Scraped articles keep one paragraph per line, so lines are joined only when the text is
    clearly wrapped: most lines that continue onto a next line are of similar, moderate length.
    """
    lines = text.split("\n")
    continued = [len(line.strip()) for line, nxt in itertools.pairwise(lines) if line.strip() and nxt.strip()]
    longest = max((len(line) for line in lines), default=0)
    wrapped = len(continued) >= 3 and longest <= 100
    wrapped = wrapped and sum(45 <= n <= 100 for n in continued) >= 0.8 * len(continued)
    if not wrapped:
        return text
    joined: list[str] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.strip())
            continue
        if current:
            joined.append(" ".join(current))
            current = []
        joined.append("")
    if current:
        joined.append(" ".join(current))
    return "\n".join(joined)
