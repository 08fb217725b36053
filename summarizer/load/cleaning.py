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

from ..text.sentences import split_paragraph
from ..text.terms import STOPWORDS
from .cues import ABSORBING_CATEGORIES, BIO, SENTENCE_CATEGORIES, find_cue, may_hold_sentence_cue

__all__ = [
    "DATELINE",
    "ClassifiedLine",
    "LineKind",
    "body_paragraphs",
    "classify_lines",
    "clean_text",
    "split_at_inline_credits",
    "strip_dateline",
    "unwrap_hard_wrapped",
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


# "MOSCOW (Reuters) -", "KYIV, Ukraine (AP) —", "MOSCOW:": an all-caps place, optionally a
# country and an agency in brackets, then a dash or colon before the first sentence.
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)*(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?)"
    r"\s*(?:\((?P<agency>[^()]{1,40})\))?\s*(?:--|[-–—:])\s+(?=\S)"
)
_TERMINAL = re.compile(r"[.!?…](?:[\"'”’»)\]]*)$")
_CLOSERS = "\"'”’»)]"
_LETTER = re.compile(r"[^\W\d_]")
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
    letters = len(_LETTER.findall(text))
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


# A dateline with no agency, as a feed in sentence case or lower case writes it ("Beirut, lebanon —
# in the hills ...", "Stockholm — the world's top ...", "Commerce, mich. — in a speech ...", "21
# july 2011 – for many months ...", "Colerain township, ohio ( wkrc ) - police say ..."): a place (or
# date) of one to three words, maybe a region after a comma and a local outlet in brackets, then a
# spaced dash. Left in, it opened lede items ("Hong kong — google withdrew ..."); the
# full stop of "mich." even split it off as a sentence of its own, and the sentence after, opening
# on the dash, read as a fragment. Prose opens that way too, so the place holds no function word
# ("Forget the rain forest — your home ...") and, without a region, its dash opens no aside that a
# dash later in the sentence closes ("Arthropods — a huge group that includes insects ... — have
# been living ...").
# "File -" opens a picture's caption, not a story.
_PLAIN_DATELINE = re.compile(r"(?P<place>[\w'\u2019./]+(?: [\w'\u2019./]+){0,2}(?:, [\w'\u2019.]+(?: [\w'\u2019.]+)?)?)"
                             r"(?: \( ?[\w.&'-]+(?: [\w.&'-]+){0,2} ?\))? (?:--|[-\u2013\u2014]) (?=[\w\"\u201c])")
_DASH = re.compile(r" (?:--|[-\u2013\u2014]) ")
_NOT_A_PLACE = STOPWORDS | {"file"}


def strip_dateline(paragraph: str) -> str:
    """Remove a leading dateline ("MOSCOW (Reuters) - ", "Stockholm — ") from the first paragraph
    of a story."""
    match = DATELINE.match(paragraph)
    if match is None or not _LETTER.search(match.group("place")):
        return _strip_plain_dateline(paragraph)
    rest = paragraph[match.end() :]
    # Only a dateline if what follows still reads as a sentence start.
    return rest if rest[:1].isupper() or rest[:1] in "“\"'‘" else paragraph


def _strip_plain_dateline(text: str) -> str:
    """`text` without the dateline of no agency (`_PLAIN_DATELINE`) it opens with, if it does; the
    sentence after takes the capital the dateline opened with."""
    end = _plain_dateline_end(text, 0)
    if end is None:
        return text
    rest = text[end:]
    return rest[0].upper() + rest[1:] if text[:1].isupper() and rest[:1].islower() else rest


def _plain_dateline_end(text: str, at: int) -> int | None:
    """Where the dateline of no agency that starts at `at` ends, if one does."""
    match = _PLAIN_DATELINE.match(text, at)
    if match is None or not _LETTER.search(match.group("place")):
        return None
    if any(word.strip(".,") in _NOT_A_PLACE for word in match.group("place").lower().split()):
        return None
    if "," in match.group("place"):  # "Commerce, mich.": a place and its region
        return match.end()
    # One word or a few, then a dash: an aside if a dash after it closes one ("Arthropods — a huge
    # group ... — have been"), not if the dashes after it pair up ("Computerworld - the fbi ...
    # left 28 people -- including lanza himself -- dead.").
    sentence = re.split(r"(?<=[.!?])\s", text[match.end() :], maxsplit=1)[0]
    return None if len(_DASH.findall(sentence)) % 2 else match.end()


# An agency's credit or dateline where a sentence starts, in any case: a feed that runs captions and
# stories into one line leaves "( associated press ) iguala, mexico ( ap ) — a clandestine grave
# ..." or "( cnn ) -- the winter storm ...". Only these agencies' marks in brackets, followed by a
# dash (a dateline) or alone in brackets (a credit), and only at a sentence's start.
_AGENCIES = r"(?:ap|afp|reuters|cnn|upi|dpa|associated press)"
# A dateline's place: a few words, then maybe a state, country or date after a comma ("harrisburg,
# pa.", "MOGADISHU, Sept 5"); a full stop only there, so that no sentence end is taken for one.
_PLACE = r"[\w'\u2019-]+(?:[ -][\w'\u2019-]+){0,3}(?:,\s[\w'\u2019.-]+(?:\s[\w'\u2019.-]+){0,3})?"
_DATELINE = rf"{_PLACE}\s*\(\s*{_AGENCIES}\s*\)\s*(?:--|[-\u2013\u2014])+\s+"
# Any other short round bracket where a sentence starts is a photo credit or a caption's source, run
# into the text by the scrape: "( rj sangosti, the denver post ) centennial — authorities began
# ...", "( photo: tbi ) ...", "( kutv ) a vernal man ..."; a square one only when it names a picture
# ("[ photo/xinhua ] xi ' an - china launched ..."): "[Plant] and the other members ..." is the
# writer's word put in for a pronoun, part of the sentence. Only a bracket of a few words, no
# sentence's end inside, with a sentence after it.
_LEADING_BRACKET = (r"(?:\(\s*[^()\[\].!?]{1,60}?\s*\)"
                    r"|\[[^\[\]().!?]{0,40}?(?:photo|image|video|credit|/)[^\[\]().!?]{0,40}?\])"
                    r"\s+(?=(?:\S+\s+){4}\S)")
# A picture's sale or agency mark where the text starts: "Buy photo howell – more than 200 dogs ...";
# a page's marker run into the next paragraph: "Story continued below he tweeted the font ...",
# "Advertisement the survey found 579 species ..." (only before a word that opens a sentence:
# "Advertisement spending rose" is news), "Advertisement continue reading the main story denver —
# ..."; or the time of an update: "Updated 2: 00 p.m. Eastern washington u.s. defenses could ...",
# "Updated: wednesday, 8: 29 a.m. In response to the drug report, ...".
_SENTENCE_START = r"(?=(?:the|a|an|he|she|it|they|we|this|that|these|those|in|on|at|for|after|but|and|as|when|while)\b)"
_PAGE_MARK = (r"(?:(?:buy|ap) photo\s+|story continue[sd] below\s+"
              rf"|advertisement\s+(?:continue reading the main story\s+|{_SENTENCE_START})"
              r"|updated\s*:?\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
              r"\d{1,2}:\s?\d\d\s*[ap]\.?\s?m\.?(?:\s+(?:eastern|et|edt|est|pacific|pt|pdt|pst|gmt|bst|utc))?"
              r"\s*:?\s+)")
_CREDIT_OR_DATELINE = re.compile(
    rf"(?:(?<=^)|(?<=[.!?\"\u201d)]\s))"
    rf"(?:\(\s*{_AGENCIES}\s*\)\s*(?:(?:--|[-\u2013\u2014])\s+)?(?:{_DATELINE})?|{_DATELINE}|{_LEADING_BRACKET}|{_PAGE_MARK})"
    rf"(?=\S)", re.IGNORECASE)
_MARK_WORDS = re.compile(r"photo|story continue|advertisement|updated", re.IGNORECASE)  # a cheap test first


def strip_credits(paragraph: str) -> str:
    """The paragraph without agency credits, datelines, photo credits and picture or page marks at
    the starts of its sentences."""
    if "(" not in paragraph and "[" not in paragraph and not _MARK_WORDS.search(paragraph):
        return paragraph  # most paragraphs: no mark to look for
    kept: list[str] = []
    end = 0
    for match in _CREDIT_OR_DATELINE.finditer(paragraph):
        kept.append(paragraph[end : match.start()])
        # The story's own dateline may follow the mark: "( the washington post ) charlotte — it
        # isn't often ...", "Advertisement continue reading the main story denver — patrick ...".
        end = _plain_dateline_end(paragraph, match.end()) or match.end()
    return "".join(kept) + paragraph[end:]


# The credit that closes an embedded post, as a scrape leaves it inline: "... should i use?
# pic.twitter.com/sroigwdgr6 — rick wolff ( @rickwolff ) april 14, 2015 hillvetica maintains ...".
# The article goes on after it, so it ends a paragraph: left inline, it glued the article's next
# sentence to the post and opened it with a web address.
_EMBED_CREDIT = re.compile(
    r"\s*(?:pic\.twitter\.com/\w+\s*)?(?:--|[-\u2013\u2014])\s*[^()\u2014]{1,60}?\(\s*@\w{1,30}\s*\)\s*"
    r"[a-z]+\.?\s+\d{1,2}\s*,?\s*\d{4}\s*", re.IGNORECASE)


# A picture's caption controls and credit where a scrape of NPR leaves them, between the headline
# and the story: "... vatican commission says enlarge this image toggle caption gregorio borgia/ap
# gregorio borgia/ap furthering a thaw in relations ...". The credit is one or two "name/agency".
_PICTURE_CONTROLS = re.compile(
    r"\s*enlarge this image\s+(?:toggle caption\s+)?(?:(?:[^\s/]+\s+){0,3}[^\s/]+/[^\s/]+\s+){0,2}", re.IGNORECASE)
# A picture's credit run into the text: names parted by slashes, the last a picture agency ("... found
# dead at 50 gary wolstenholme / redferns / getty dave brockie, frontman for ...", "reuters/ivan
# sekretarev/pool/lucas jackson/file photos moscow ( reuters ) - ..."). What comes before it is a
# headline or a caption, what follows the story. Each name is a few words, the first at most three
# (a photographer's or a studio's): "and/or" or "24/7" end in no agency. With one slash only a
# picture agency ends it ("Kevin Winter/Getty Images"): "a joint Reuters/AFP investigation", "the
# Getty/Corbis deal" are prose.
_PICTURE_AGENCY = (r"(?:getty\s+images|redferns|wireimage|filmmagic|shutterstock|file\s+photos?"
                   r"|(?:ap|afp|epa)\s+photo)")
_ANY_AGENCY = rf"(?:{_PICTURE_AGENCY}|getty|corbis|reuters|ap|afp|epa)"
_CREDIT_WORD = r"[\w'\u2019&-]+"  # no punctuation: a credit does not run across a sentence's end
_CREDITED_NAME = rf"{_CREDIT_WORD}(?:\s+{_CREDIT_WORD}){{0,3}}"
_FIRST_CREDITED_NAME = rf"{_CREDIT_WORD}(?:\s+{_CREDIT_WORD}){{0,2}}"
_SLASH_CREDIT = re.compile(
    rf"\s*{_FIRST_CREDITED_NAME}\s*/\s*(?:(?:{_CREDITED_NAME}\s*/\s*)+{_ANY_AGENCY}|{_PICTURE_AGENCY})\b[.;,]?\s*",
    re.IGNORECASE)
# ... or in brackets, where a sentence of the caption runs into the story: "... to make their
# remaining time with him happy ( photo: provided by the allen family ) colerain police arrested
# two teens ...". Only a bracket that says it is a picture's credit: "the funds (provided by the
# state) were spent ..." is prose, so "Claire davis ( provided by arapahoe county sheriff's office
# ) the senior was shot ..." stays as it is.
_BRACKETED_CREDIT = re.compile(
    r"\s*\(\s*(?:(?:photo|image|picture)s?\s*:\s*|(?:photo|image|picture)s?\s+by\s+"
    r"|courtesy(?:\s+of\s+|\s*:\s*)|credit\s*:\s*)[^()]{1,60}\)\s*", re.IGNORECASE)
# Each inline credit, with a word the paragraph must hold for it to be looked for.
_INLINE_CREDITS = ((_EMBED_CREDIT, "@"), (_PICTURE_CONTROLS, "enlarge this image"), (_SLASH_CREDIT, "/"),
                   (_BRACKETED_CREDIT, "("))


def split_at_inline_credits(paragraph: str) -> list[str]:
    """The paragraph cut where an embedded post's credit, a picture's controls or its credit stand,
    left out."""
    pieces = [paragraph]
    for pattern, needed in _INLINE_CREDITS:
        if needed in paragraph.lower():  # most paragraphs: nothing to look for
            pieces = [part for piece in pieces for part in pattern.split(piece) if part.strip()]
    return pieces


def body_paragraphs(lines: Sequence[ClassifiedLine], *, exclude: Collection[int] = ()) -> list[str]:
    """The body lines as paragraphs, minus `exclude` (metadata lines), dateline stripped, inline
    credits taken out."""
    paragraphs = [line.text for line in lines if line.kind is LineKind.BODY and line.index not in exclude]
    if paragraphs:
        paragraphs[0] = strip_dateline(paragraphs[0])
    pieces = [piece for paragraph in paragraphs for piece in split_at_inline_credits(paragraph)]
    return [stripped for piece in pieces if (stripped := strip_credits(piece))]


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
