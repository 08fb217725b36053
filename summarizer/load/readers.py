"""Readers by file format: the one table a new input format is added to.

A reader turns an article's decoded text into an `Article` (metadata and sentences). It is chosen
by the file's suffix, except that a page that sniffs as HTML is read as HTML whatever its name
(scrapers save pages as .txt); a file named explicitly with an unknown suffix is read as text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..text.sentences import split_paragraph
from .cleaning import body_paragraphs, classify_lines, unwrap_hard_wrapped, without_glued_retellings
from .markup import extract_html, markdown_to_text, split_front_matter
from .metadata import DetectedMetadata, canonical_outlet, detect_metadata, parse_date

__all__ = [
    "ARTICLE_SUFFIXES", "READERS", "Article", "Reader", "SkipFile", "WarningHandler", "reader_for",
    "supported_formats",
]

WarningHandler = Callable[[str], None]


@dataclass
class Article:
    """One loaded article before ids are assigned."""

    path: str
    sentences: list[str]
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    published: dt.date | None = None
    url: str | None = None
    duplicates: list[str] = field(default_factory=list)


class SkipFile(Exception):
    """The file is not an article; the message says why."""


# (shown path, decoded text, where to report problems) -> the article.
ReadFunction = Callable[[str, str, WarningHandler], Article]


@dataclass(frozen=True)
class Reader:
    """One input format: its name, the suffixes it owns, and how to read it."""

    name: str
    suffixes: tuple[str, ...]
    read: ReadFunction
    # Content that is this format whatever the file's name; None: known by suffix only.
    sniff: Callable[[str], bool] | None = None


def _article_from(shown: str, detected: DetectedMetadata, paragraphs: list[str]) -> Article:
    """An article from detected metadata and body paragraphs."""
    sentences = [sentence for paragraph in paragraphs for sentence in split_paragraph(paragraph)]
    sentences = without_glued_retellings(sentences)
    return Article(
        path=shown,
        sentences=sentences,
        outlet=detected.outlet,
        title=detected.title,
        byline=detected.byline,
        published=detected.published,
    )


def _read_lines(shown: str, text: str, report: WarningHandler, *, markdown: bool) -> Article:
    """Plain text or Markdown: front matter, page furniture removed, metadata detected."""
    front_matter, text, problem = split_front_matter(text, known_keys=_FRONT_MATTER_FIELDS)
    if problem:
        report(f"{'read' if front_matter is not None else 'ignored'} the front matter of {shown}: {problem}")
    headings: list[str] = []
    if markdown:
        text, headings = markdown_to_text(text)  # already one paragraph per line
    else:
        text = unwrap_hard_wrapped(text)
    lines = classify_lines(text.split("\n"), headings=headings)
    detected = detect_metadata(lines)
    article = _article_from(shown, detected, body_paragraphs(lines, exclude=detected.metadata_lines))
    _apply_front_matter(article, front_matter or {}, shown, report)
    return article


def read_plain_text(shown: str, text: str, report: WarningHandler) -> Article:
    """A plain-text article (optionally with YAML front matter)."""
    return _read_lines(shown, text, report, markdown=False)


def read_markdown(shown: str, text: str, report: WarningHandler) -> Article:
    """A Markdown article (optionally with YAML front matter)."""
    return _read_lines(shown, text, report, markdown=True)


def read_html(shown: str, html: str, report: WarningHandler) -> Article:
    """An HTML page through trafilatura's main-content extraction, then the plain-text cleaning."""
    page = extract_html(html)
    if page is None:
        raise SkipFile("no article text found in the page")
    lines = classify_lines(page.text.split("\n"))
    detected = detect_metadata(lines)
    title = page.title or detected.title
    # Extractors sometimes repeat the headline as the first paragraph: it is not a body sentence.
    exclude = detected.metadata_lines | {line.index for line in lines if title and line.text == title}
    article = _article_from(shown, detected, body_paragraphs(lines, exclude=exclude))
    article.title = title
    article.byline = page.author or detected.byline
    article.published = (parse_date(page.date) if page.date else None) or detected.published
    article.outlet = canonical_outlet(page.sitename) if page.sitename else detected.outlet
    article.url = page.url
    return article


_HTML_SNIFF = re.compile(r"\A\s*(?:<!doctype\s+html|<html[\s>])", re.I)

READERS: tuple[Reader, ...] = (
    Reader("text", (".txt",), read_plain_text),
    Reader("markdown", (".md", ".markdown"), read_markdown),
    Reader("html", (".html", ".htm"), read_html, sniff=lambda text: _HTML_SNIFF.match(text) is not None),
)
# Picked up when a folder is given; a file named explicitly is read whatever its name.
ARTICLE_SUFFIXES = frozenset(suffix for reader in READERS for suffix in reader.suffixes)
_DEFAULT_READER = next(reader for reader in READERS if reader.name == "text")


def supported_formats() -> str:
    """The formats the readers take, for messages: ".txt, .md or .html"."""
    main_suffixes = [reader.suffixes[0] for reader in READERS]
    return ", ".join(main_suffixes[:-1]) + f" or {main_suffixes[-1]}" if len(main_suffixes) > 1 else main_suffixes[0]


def reader_for(path: Path, text: str) -> Reader:
    """The reader whose content sniff matches the text, else the one owning the suffix, else text."""
    for reader in READERS:
        if reader.sniff is not None and reader.sniff(text):
            return reader
    suffix = path.suffix.lower()
    return next((reader for reader in READERS if suffix in reader.suffixes), _DEFAULT_READER)


# Front matter keys and the article fields they set; "author" and "date" are the names
# static-site generators use for byline and published.
_FRONT_MATTER_FIELDS = {
    "title": "title",
    "outlet": "outlet",
    "url": "url",
    "byline": "byline",
    "author": "byline",
    "published": "published",
    "date": "published",
}


def _apply_front_matter(article: Article, front_matter: dict[str, Any], shown: str, report: WarningHandler) -> None:
    """Override detected metadata with front matter values (they are the user's word)."""
    for key, value in front_matter.items():
        target = _FRONT_MATTER_FIELDS.get(key)
        if target is None or value is None or value == "":
            continue
        if target == "published":
            published = _front_matter_date(value)
            if published is None:
                report(f"ignored published: {value!r} in the front matter of {shown}: not a date (use YYYY-MM-DD)")
                continue
            article.published = published
        else:
            setattr(article, target, " ".join(str(value).split()))


def _front_matter_date(value: object) -> dt.date | None:
    """A front matter date: YAML may already have parsed it, else parse the text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_date(str(value))
