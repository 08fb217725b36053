"""Metadata of an article detected from its own text: outlet, title, byline, published date.

Works on the classified lines of `cleaning`, so that it can tell the header of a page (the lines
before the first body paragraph) from its body and its footer. YAML front matter (`front_matter`)
overrides whatever is detected here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .cleaning import ClassifiedLine, LineKind
from .credits import DATELINE
from .cues import BIO, CONTRIBUTORS

__all__ = ["DetectedMetadata", "canonical_outlet", "detect_metadata", "parse_date"]


@dataclass
class DetectedMetadata:
    """What the text says about itself; `metadata_lines` are line indices kept out of the body."""

    title: str | None = None
    byline: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    metadata_lines: set[int] = field(default_factory=set)


# Canonical spellings of outlets that are often named in shortened form in page furniture
# ("follow other Independent readers", "(Reuters)", "Agence France-Presse").
_KNOWN_OUTLETS = {
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "rfe/rl": "RFE/RL",
    "radio free europe/radio liberty": "RFE/RL",
    "independent": "The Independent",
    "guardian": "The Guardian",
    "telegraph": "The Telegraph",
    "times": "The Times",
    "new york times": "The New York Times",
    "washington post": "The Washington Post",
    "wall street journal": "The Wall Street Journal",
    "economist": "The Economist",
    "bbc": "BBC",
    "bbc news": "BBC",
    "cnn": "CNN",
    "tass": "TASS",
    "interfax": "Interfax",
    "ria novosti": "RIA Novosti",
    "ria": "RIA",
    "dpa": "dpa",
    "efe": "EFE",
    "ansa": "ANSA",
    "xinhua": "Xinhua",
    "bloomberg": "Bloomberg",
    "al jazeera": "Al Jazeera",
    "upi": "UPI",
}

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_PATTERNS = [
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),  # 12 April 2017
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),  # April 13, 2017
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)(?!\d)"),  # 2017-04-12T18:20
    re.compile(r"\b(?P<year>(?:19|20)\d\d)/(?P<month>\d\d?)/(?P<day>\d\d?)\b"),  # 2017/04/12
]
# 12/04/2017 or 04.12.2017: day and month order is ambiguous.
_NUMERIC_DATE = re.compile(r"\b(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<year>(?:19|20)\d\d)\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_PUBLISHED_WORDS = re.compile(r"\b(?:published|updated|posted|first published|last modified)\b", re.I)
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")
# Words that go with a date on a date line; upper-case words (time zones) are ignored too.
_DATE_LINE_WORDS = frozenset(
    ["published", "updated", "posted", "first", "last", "modified", "on", "at", "am", "pm", "of", *_WEEKDAYS]
)

_NAME_WORD = r"(?:[A-Z][a-zà-öø-ÿ'’-]+|[A-Z]\.|[A-Z][a-z]?[A-Z][a-zà-ÿ'’-]+|van|von|de|der|da|di|la|le|bin)"
_PERSON = rf"[A-Z][a-zà-öø-ÿ'’-]+(?:\s+{_NAME_WORD}){{1,3}}"
_NAME_LINE = re.compile(rf"^(?:(?i:by)\s+)?(?P<name>{_PERSON}(?:\s+(?:and|&)\s+{_PERSON})?)$")
_BY_LINE = re.compile(rf"^(?i:by)\s+(?P<name>{_PERSON}(?:\s*(?:,|and|&)\s*{_PERSON})*)\b")
# First words of two-word places ("New York", "Hong Kong") and of labels that look like names.
_NOT_A_NAME = frozenset(
    """new san los las santa saint st north south east west united hong tel abu buenos rio kuala
    sri el breaking latest live top more most related home news world video photo image
    updated published""".split()
)

_NAME = r"[A-Z][\w/&.'’-]*(?:\s+[A-Z][\w/&.'’-]*){0,3}"
# Site notices that name their publisher; looked for only outside the body.
_PUBLISHER_NOTICES = [
    re.compile(rf"^(?P<name>{_NAME}) has been (?:declared|designated|labell?ed|branded)\b"),
    re.compile(rf"\bserves as (?P<name>{_NAME})[’']s\b"),
    re.compile(rf"\b(?:joined|works for|writes for) (?P<name>{_NAME}) in (?:19|20)\d\d\b"),
    re.compile(rf"\bfollow other (?P<name>{_NAME}) readers\b"),
    re.compile(rf"^(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d\d\s*)?(?P<name>{_NAME})", re.I),
]
# An agency sign-off alone on the last line: "AFP", "— Reuters", "(AP)".
_SIGN_OFF = re.compile(
    r"^[-–—/(\s]*(?P<name>[A-Za-z][A-Za-z/&.-]{1,20}(?:\s+[A-Z][A-Za-z/&.-]{1,20}){0,2})\s*\)?$"
)


def canonical_outlet(name: str) -> str:
    """The usual spelling of an outlet's name ("Independent" -> "The Independent")."""
    cleaned = " ".join(name.split()).strip(" .,;:-–—")
    key = cleaned.lower()
    key = key[4:] if key.startswith("the ") else key
    return _KNOWN_OUTLETS.get(key, cleaned)


def parse_date(text: str, *, context: str = "") -> dt.date | None:
    """The first date written in `text`; a weekday named in `text` or `context` settles d/m order."""
    found = _find_date(text, context)
    return found[0] if found else None


def _find_date(text: str, context: str) -> tuple[dt.date, re.Match[str]] | None:
    """The first date in `text` and where it was written."""
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            date = _make_date(match.group("year"), match.group("month"), match.group("day"))
            if date is not None:
                return date, match
    numeric = _NUMERIC_DATE.search(text)
    if numeric is None:
        return None
    day_first = _make_date(numeric.group("year"), numeric.group("b"), numeric.group("a"))
    month_first = _make_date(numeric.group("year"), numeric.group("a"), numeric.group("b"))
    named = {w.lower() for w in _WEEKDAY.findall(text)} or {w.lower() for w in _WEEKDAY.findall(context)}
    for candidate in (day_first, month_first):
        if candidate is not None and _WEEKDAYS[candidate.weekday()] in named:
            return candidate, numeric
    # Day-first is the convention of most of the world's news sites (and ISO-minded ones).
    chosen = day_first or month_first
    return (chosen, numeric) if chosen else None


def _is_date_line(text: str, context: str) -> bool:
    """Whether a line is mostly a date ("Published on 12/04/2017", "Wednesday 12 April 2017 18:37 BST")."""
    found = _find_date(text, context)
    if found is None:
        return False
    match = found[1]
    rest = text[: match.start()] + " " + text[match.end() :]
    # A headline that mentions a date ("Putin to visit China on 12 May 2024") has many other words.
    return len(_words_besides_a_date(rest)) <= 3


def _words_besides_a_date(text: str) -> list[str]:
    """The words of a line other than those that go with a date ("published", "at", a weekday) and
    upper-case ones (time zones)."""
    return [w for w in _LETTER_WORD.findall(text) if w.lower() not in _DATE_LINE_WORDS and not w.isupper()]


def _make_date(year: str, month: str, day: str) -> dt.date | None:
    """A date from matched parts (month as a number or a name), or None if it does not exist."""
    month_number = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."))
    try:
        return dt.date(int(year), month_number or 0, int(day))
    except ValueError:
        return None


def detect_metadata(lines: Sequence[ClassifiedLine]) -> DetectedMetadata:
    """Detect title, byline, published date and outlet from classified lines."""
    first_body = next((i for i, line in enumerate(lines) if line.kind is LineKind.BODY), len(lines))
    header = [line for line in lines[:first_body] if line.kind is not LineKind.BLANK]
    full_text = "\n".join(line.text for line in lines)
    detected = DetectedMetadata()

    date_line = _find_date_line(header, lines, full_text)
    if date_line is not None:
        detected.published = parse_date(date_line.text, context=full_text)
        detected.metadata_lines.add(date_line.index)

    title_line = next((line for line in header if _is_title_candidate(line, date_line)), None)
    if title_line is not None:
        detected.title = title_line.text
        detected.metadata_lines.add(title_line.index)

    byline, byline_index = _find_byline(header, lines, title_line)
    detected.byline = byline
    if byline_index is not None:
        detected.metadata_lines.add(byline_index)

    first_body_text = lines[first_body].text if first_body < len(lines) else ""
    detected.outlet = _find_outlet(lines, first_body_text)
    return detected


def _find_date_line(
    header: Sequence[ClassifiedLine], lines: Sequence[ClassifiedLine], full_text: str
) -> ClassifiedLine | None:
    """The header line giving the publication date, else a 'Published ...' line anywhere outside the body."""
    for line in header:
        if _is_date_line(line.text, full_text):
            return line
    for line in lines:
        outside_body = line.kind in (LineKind.HEADING, LineKind.CRUFT)
        if outside_body and _PUBLISHED_WORDS.search(line.text) and parse_date(line.text, context=full_text):
            return line
    return None


def _is_title_candidate(line: ClassifiedLine, date_line: ClassifiedLine | None) -> bool:
    """Whether a header line reads like a headline rather than a label, date or name."""
    if line.kind is not LineKind.HEADING or line is date_line:
        return False
    words = line.text.split()
    if not 3 <= len(words) <= 30 or line.text.endswith(":") or not line.text[:1].isupper():
        return False
    return _NAME_LINE.match(line.text) is None and not _is_time_stamp(line.text)


def _is_time_stamp(text: str) -> bool:
    """Whether a line only says when the page was published or updated, with a time and no date
    ("Updated at 11:45 p.m. ET"): no headline, though it has no date for `_is_date_line` to find."""
    return bool(_PUBLISHED_WORDS.search(text)) and not _words_besides_a_date(text)


def _is_person_name(text: str) -> bool:
    """Whether a short line looks like a person's name (or two), not a place or a label."""
    match = _NAME_LINE.match(text)
    if match is None:
        return False
    name = match.group("name")
    return name.split()[0].lower() not in _NOT_A_NAME and not any(ch.isdigit() for ch in name)


def _find_byline(
    header: Sequence[ClassifiedLine], lines: Sequence[ClassifiedLine], title: ClassifiedLine | None
) -> tuple[str | None, int | None]:
    """The author: a "By ..." or name line in the header, else the subject of an author bio."""
    for line in header:
        match = _BY_LINE.match(line.text)
        if match and line.kind is not LineKind.BODY:
            return match.group("name").strip(), line.index
    after_title = [line for line in header if title is None or line.index > title.index]
    for line in after_title:
        if line.kind is LineKind.HEADING and _is_person_name(line.text):
            return _NAME_LINE.match(line.text).group("name"), line.index  # type: ignore[union-attr]
    for line in lines:
        match = BIO.match(line.text)
        if match and line.kind is LineKind.CRUFT:
            return match.group("name"), None
    return None, None


def _find_outlet(lines: Sequence[ClassifiedLine], first_body: str) -> str | None:
    """The publisher, by strength of evidence: dateline, site notices, sign-off, contributors."""
    dateline = DATELINE.match(first_body)
    if dateline and dateline.group("agency"):
        return canonical_outlet(dateline.group("agency"))
    outside_body = [line for line in lines if line.kind in (LineKind.HEADING, LineKind.CRUFT)]
    for line in outside_body:
        for notice in _PUBLISHER_NOTICES:
            match = notice.search(line.text)
            if match:
                # "© 2024 BBC. All rights reserved": the name ends with its sentence.
                return canonical_outlet(re.split(r"[.,;:](?:\s|$)", match.group("name"))[0])
    sign_off = _find_sign_off(lines)
    if sign_off:
        return sign_off
    for line in outside_body:
        match = CONTRIBUTORS.match(line.text)
        if match:
            # "Reporting by Tom Balmforth; Editing by ..." names people, not outlets: skip those.
            first = re.split(r",|\band\b|&", match.group("names"))[0].strip()
            if _is_outlet_name(first):
                return canonical_outlet(first)
    return None


def _is_outlet_name(name: str) -> bool:
    """Whether a bare name is a known outlet or an agency-style acronym ("AFP", "TASS")."""
    return name.lower().removeprefix("the ") in _KNOWN_OUTLETS or (name.isupper() and 2 <= len(name) <= 8)


def _find_sign_off(lines: Sequence[ClassifiedLine]) -> str | None:
    """An agency name alone on the last line before the trailing page furniture."""
    for line in reversed(lines):
        if line.kind in (LineKind.BLANK, LineKind.CRUFT):
            continue
        match = _SIGN_OFF.match(line.text) if line.kind is LineKind.HEADING else None
        if match is None:
            return None
        name = match.group("name")
        return canonical_outlet(name) if _is_outlet_name(name) else None
    return None
