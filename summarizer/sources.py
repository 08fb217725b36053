"""Loading: files or folders in, `Source` objects out (stage 1 of the pipeline).

For each file: decode (UTF-8 with or without BOM, UTF-16/32 with BOM, else cp1252, else latin-1,
saying so), skip binary and empty files, read YAML front matter, turn Markdown or HTML into plain
text, strip web boilerplate, detect metadata, split into sentences. Then merge duplicate articles
and number the sources 1..n in input order. Every skip or fallback is reported as one sentence
naming the file, through `on_warning` or as a `SummarizerWarning`.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import os
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cleaning import body_paragraphs, classify_lines, unwrap_hard_wrapped
from .errors import NoArticlesError, PathNotFoundError, SummarizerWarning
from .markup import extract_html, markdown_to_text, split_front_matter
from .metadata import DetectedMetadata, canonical_outlet, detect_metadata, parse_date
from .models import Source
from .sentences import split_paragraph

__all__ = ["ARTICLE_SUFFIXES", "WarningHandler", "decode_bytes", "load_sources"]

WarningHandler = Callable[[str], None]

# Extensions picked up when a folder is given; a file named explicitly is read whatever its name.
ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
_HTML_SUFFIXES = frozenset({".html", ".htm"})
_HTML_SNIFF = re.compile(r"\A\s*(?:<!doctype\s+html|<html[\s>])", re.I)

# Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_SNIFF_BYTES = 8192
_MAX_CONTROL_RATIO = 0.05  # text has almost no control characters besides tabs and newlines
# C0 and C1 control characters other than tab, newline, vertical tab, form feed, carriage return.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_INVISIBLES = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_NEAR_DUPLICATE_SHARE = 0.9
_MAX_POSTINGS = 50  # a sentence shared by this many articles is boilerplate, not evidence


@dataclass
class _Article:
    """One loaded article before ids are assigned."""

    path: str
    sentences: list[str]
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    published: dt.date | None = None
    url: str | None = None
    duplicates: list[str] = field(default_factory=list)


class _SkipFile(Exception):
    """Internal: the file is not an article; the message says why."""


def load_sources(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    on_warning: WarningHandler | None = None,
    exclude: Iterable[str | os.PathLike[str]] = (),
) -> list[Source]:
    """Load articles from files and folders into `Source`s numbered 1..n in input order.

    `exclude` names files never to read, such as the brief being written: run twice with
    `--out seeds/brief.md`, the first brief must not become an article of the second.
    """
    pending: list[str] = []
    report: WarningHandler = on_warning if on_warning is not None else pending.append
    try:
        given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
        excluded = {Path(p).resolve() for p in exclude}
        files = []
        for file in _expand_paths(given):
            if file.resolve() in excluded:
                report(f"skipped {file}: it is the output file of this run")
            else:
                files.append(file)
        articles = [a for a in (_load_file(p, report) for p in files) if a is not None]
        articles = _merge_duplicates(articles, report)
        if not articles:
            where = ", ".join(_display_folder(p) for p in given) or "the paths given"
            raise NoArticlesError(f"no readable article in {where}: give .txt, .md or .html files")
        return [_to_source(number, article) for number, article in enumerate(articles, start=1)]
    finally:
        # Emitted here, not where they happen, so the warnings point at the caller's line.
        for message in pending:
            warnings.warn(message, SummarizerWarning, stacklevel=2)


def _display_folder(path: str | os.PathLike[str]) -> str:
    """A path as the user wrote it, folders with a trailing slash."""
    text = os.fspath(path)
    return text if not Path(text).is_dir() or text.endswith(("/", os.sep)) else text + "/"


def _expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files named, and article files inside folders named (recursive, sorted by name)."""
    files: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise PathNotFoundError(
                f"{os.fspath(raw)}: no such file or folder; check the path "
                f"(relative paths are read from {Path.cwd()})"
            )
        found = [path] if not path.is_dir() else _article_files(path)
        for file in found:
            key = file.resolve()
            if key not in seen:  # the same file named twice is read once, silently
                seen.add(key)
                files.append(file)
    return files


def _article_files(folder: Path) -> list[Path]:
    """Article files under a folder, recursively, in sorted name order; hidden entries skipped."""
    found = [
        file
        for file in folder.rglob("*")
        if file.is_file()
        and file.suffix.lower() in ARTICLE_SUFFIXES
        and not any(part.startswith(".") for part in file.relative_to(folder).parts)
    ]
    return sorted(found, key=lambda file: file.relative_to(folder).parts)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode article bytes: (text, encoding used). A BOM wins, then UTF-8, cp1252, latin-1."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                break  # a BOM followed by garbage: fall through to the guesses below
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"  # never fails: every byte is a character


def _looks_binary(data: bytes, text: str | None) -> bool:
    """NUL bytes (outside UTF-16/32) or many control characters mean the file is not text."""
    has_wide_bom = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not has_wide_bom and b"\x00" in data[:_SNIFF_BYTES]:
        return True
    if text is None:
        return False
    sample = text[:_SNIFF_BYTES]
    controls = len(_CONTROL_CHARS.findall(sample))
    return bool(sample) and controls / len(sample) > _MAX_CONTROL_RATIO


def _load_file(path: Path, report: WarningHandler) -> _Article | None:
    """Read one file into an article, or report why it was skipped and return None."""
    shown = os.fspath(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        report(f"skipped {shown}: cannot read it ({exc.strerror or exc})")
        return None
    try:
        if _looks_binary(data, None):
            raise _SkipFile("binary file, not an article")
        text, encoding = decode_bytes(data)
        if _looks_binary(data, text):
            raise _SkipFile("binary file, not an article")
        if encoding in ("cp1252", "latin-1"):
            report(f"decoded {shown} as {encoding}: not valid UTF-8")
        text = _normalise_text(text)
        if not text.strip():
            raise _SkipFile("empty file")
        return _parse_article(path, text, report)
    except _SkipFile as skip:
        report(f"skipped {shown}: {skip}")
        return None


def _normalise_text(text: str) -> str:
    """Unix newlines, plain spaces for no-break spaces, no zero-width or soft-hyphen characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return text.replace("\u00a0", " ").replace("\u202f", " ").translate(_INVISIBLES)


def _parse_article(path: Path, text: str, report: WarningHandler) -> _Article:
    """Turn decoded text into an article (metadata and sentences), by format."""
    shown = os.fspath(path)
    suffix = path.suffix.lower()
    if suffix in _HTML_SUFFIXES or _HTML_SNIFF.match(text):
        article = _parse_html(shown, text)
    else:
        front_matter, text, problem = split_front_matter(text)
        if problem:
            report(f"ignored the front matter of {shown}: {problem}")
        headings: list[str] = []
        if suffix in _MARKDOWN_SUFFIXES:
            text, headings = markdown_to_text(text)  # already one paragraph per line
        else:
            text = unwrap_hard_wrapped(text)
        lines = classify_lines(text.split("\n"), headings=headings)
        detected = detect_metadata(lines)
        article = _article_from(shown, detected, body_paragraphs(lines, exclude=detected.metadata_lines))
        _apply_front_matter(article, front_matter or {}, shown, report)
    if not article.sentences:
        raise _SkipFile("no article text left after removing page furniture")
    if article.outlet is None:
        article.outlet = path.stem  # the last resort: nothing in the text names the publisher
    return article


def _article_from(shown: str, detected: DetectedMetadata, paragraphs: list[str]) -> _Article:
    """An article from detected metadata and body paragraphs."""
    sentences = [sentence for paragraph in paragraphs for sentence in split_paragraph(paragraph)]
    return _Article(
        path=shown,
        sentences=sentences,
        outlet=detected.outlet,
        title=detected.title,
        byline=detected.byline,
        published=detected.published,
    )


def _parse_html(shown: str, html: str) -> _Article:
    """An HTML page through trafilatura's main-content extraction, then the plain-text cleaning."""
    page = extract_html(html)
    if page is None:
        raise _SkipFile("no article text found in the page")
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


def _apply_front_matter(
    article: _Article, front_matter: dict[str, Any], shown: str, report: WarningHandler
) -> None:
    """Override detected metadata with front matter values (they are the user's word)."""
    for key, value in front_matter.items():
        target = _FRONT_MATTER_FIELDS.get(key)
        if target is None or value is None or value == "":
            continue
        if target == "published":
            published = _front_matter_date(value)
            if published is None:
                report(
                    f"ignored published: {value!r} in the front matter of {shown}: not a date (use YYYY-MM-DD)"
                )
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


def _sentence_key(sentence: str) -> str:
    """A sentence reduced for duplicate comparison: letters and digits only, lower case."""
    return " ".join(re.sub(r"[\W_]+", " ", sentence.casefold()).split())


def _merge_duplicates(articles: list[_Article], report: WarningHandler) -> list[_Article]:
    """Keep the first of articles with the same (or ≥90% shared) sentences; record the others.

    An inverted index from sentence to article keeps this near-linear in the number of sentences.
    """
    kept: list[_Article] = []
    kept_keys: list[set[str]] = []
    by_fingerprint: dict[str, int] = {}
    postings: dict[str, list[int]] = {}
    for article in articles:
        keys_in_order = [k for k in map(_sentence_key, article.sentences) if k]
        keys = set(keys_in_order)
        fingerprint = hashlib.sha1("\n".join(keys_in_order).encode()).hexdigest()
        match = by_fingerprint.get(fingerprint)
        if match is None:
            shared: Counter[int] = Counter()
            for key in keys:
                shared.update(postings.get(key, ()))
            for candidate, count in shared.most_common(3):
                if count / max(len(keys), len(kept_keys[candidate]), 1) >= _NEAR_DUPLICATE_SHARE:
                    match = candidate
                    break
        if match is not None:
            kept[match].duplicates.append(article.path)
            report(f"merged {article.path} into {kept[match].path}: same article")
            continue
        position = len(kept)
        kept.append(article)
        kept_keys.append(keys)
        by_fingerprint[fingerprint] = position
        for key in keys:
            posting = postings.setdefault(key, [])
            if len(posting) < _MAX_POSTINGS:
                posting.append(position)
    return kept


def _to_source(number: int, article: _Article) -> Source:
    """The public model of a loaded article."""
    return Source(
        id=number,
        path=article.path,
        outlet=article.outlet,
        title=article.title,
        byline=article.byline,
        published=article.published,
        url=article.url,
        sentences=article.sentences,
        duplicates=article.duplicates,
    )
