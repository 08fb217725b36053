"""Article formats other than plain text: YAML front matter, Markdown syntax and HTML pages.

Each function turns one format into plain text (one paragraph per line) plus whatever metadata
the format carries, so that the rest of loading treats every article the same way.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ATX_HEADING", "BLOCKQUOTE", "LIST_ITEM", "HtmlArticle", "extract_html", "markdown_to_text", "split_front_matter",
]

_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(?P<yaml>.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M
)
# An opening --- with no closing line: the front matter, if any, is the run of "key: value" lines
# right after it (a body sentence rarely starts with a bare word and a colon).
_UNCLOSED_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<yaml>(?:[A-Za-z_][\w-]*[ \t]*:.*(?:\r?\n|\Z))+)")


def split_front_matter(text: str, known_keys: Collection[str] = ()) -> tuple[dict[str, Any] | None, str, str | None]:
    """Split "--- yaml ---" off the top of a text: (mapping or None, rest of text, problem or None).

    A block that is not valid YAML, or not a mapping, is still removed from the text (its lines
    are not article prose) but reported as a problem and not used. A block whose closing line is
    missing is used when its "key: value" lines name one of `known_keys` (and the problem says so),
    else the text is left whole: it cannot be front matter.
    """
    match = _FRONT_MATTER.match(text)
    if match is None:
        return _split_unclosed(text, known_keys)
    rest = text[match.end() :]
    import yaml  # here: an article without front matter never needs it (15 ms of start-up)

    try:
        data = yaml.safe_load(match.group("yaml"))
    except yaml.YAMLError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return None, rest, f"malformed YAML front matter ({reason})"
    if data is None:
        return {}, rest, None
    if not isinstance(data, dict):
        return None, rest, "front matter is not a mapping of keys to values"
    return {str(key).lower(): value for key, value in data.items()}, rest, None


def _split_unclosed(text: str, known_keys: Collection[str]) -> tuple[dict[str, Any] | None, str, str | None]:
    """Front matter opened by --- and never closed: used when it reads as one, else left as text."""
    if not re.match(r"\A---[ \t]*\r?\n", text):
        return None, text, None
    match = _UNCLOSED_FRONT_MATTER.match(text)
    data: Any = None
    if match is not None:
        import yaml

        try:
            data = yaml.safe_load(match.group("yaml"))
        except yaml.YAMLError:
            data = None
    keys = {str(key).lower() for key in data} if isinstance(data, dict) else set()
    if match is None or not keys & set(known_keys):
        return None, text, ("it opens with --- but has no closing --- line and names none of "
                            f"{', '.join(known_keys) or 'the known keys'}; read it as text")
    assert isinstance(data, dict)
    return ({str(key).lower(): value for key, value in data.items()}, text[match.end() :],
            "it has no closing --- line; read the key: value lines after the opening --- as front matter")


_FENCE = re.compile(r"^(?:```|~~~).*?^(?:```|~~~)[ \t]*$", re.S | re.M)
ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.*?)\s*#*\s*$")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
BLOCKQUOTE = re.compile(r"^\s*(?:>\s?)+")
_REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+")
_INLINE_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images carry no prose
    (re.compile(r"!\[[^\]]*\]\[[^\]]*\]"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url) -> text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref] -> text
    (re.compile(r"<(?:https?://|mailto:)[^>]+>"), ""),  # autolinks
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML tags
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # not snake_case
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])"), r"\1"),  # backslash escapes
]


def markdown_to_text(text: str) -> tuple[str, list[str]]:
    """Markdown to plain text, one paragraph per line: (text, the headings' texts)."""
    lines = _FENCE.sub("", text).split("\n")
    paragraphs: list[str] = []
    headings: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for position, raw in enumerate(lines):
        line = BLOCKQUOTE.sub("", raw).rstrip()
        following = lines[position + 1] if position + 1 < len(lines) else ""
        heading = ATX_HEADING.match(line)
        if heading is None and line.strip() and current == [] and _SETEXT_UNDERLINE.match(following):
            heading = re.match(r"\s*(?P<text>.*)", line)  # Setext heading: text over === or ---
        if heading is not None:
            flush()
            title = _inline_to_text(heading.group("text"))
            if title:
                headings.append(title)
                paragraphs.append(title)
            continue
        if not line.strip() or _RULE.match(line) or _SETEXT_UNDERLINE.match(line):
            flush()
            continue
        if _REFERENCE_DEFINITION.match(line):
            continue
        if LIST_ITEM.match(line):
            flush()  # each list item is its own paragraph
            line = LIST_ITEM.sub("", line)
        stripped = _inline_to_text(line.strip())
        if stripped:  # a line holding only an image leaves nothing
            current.append(stripped)
    flush()
    return "\n".join(p for p in paragraphs if p.strip()), headings


def _inline_to_text(text: str) -> str:
    """Strip inline Markdown (links, images, emphasis, code, tags) from one line."""
    for pattern, replacement in _INLINE_RULES:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


@dataclass(frozen=True)
class HtmlArticle:
    """The main content of an HTML page and the metadata trafilatura found in it."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    url: str | None = None


@contextlib.contextmanager
def _quiet_logger(name: str) -> Iterator[None]:
    """Silence a library's own log warnings; we report skipped pages ourselves, once."""
    logger = logging.getLogger(name)
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)


def extract_html(html: str) -> HtmlArticle | None:
    """The main content of an HTML page via trafilatura, or None when it finds no article text."""
    import trafilatura  # imported here: it is slow to import and only HTML inputs need it

    with _quiet_logger("trafilatura"), _quiet_logger("htmldate"):
        try:
            document = trafilatura.bare_extraction(
                html,
                with_metadata=True,
                include_comments=False,  # reader comments are not the article
                include_tables=False,
                include_images=False,
                include_links=False,
                # Dates from the page's metadata only: the extensive search guesses one from a
                # copyright line ("© 2021" became 2021-01-01), and a brief must not print a guess.
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
        except Exception as exc:  # any parser failure on a broken page means "no article here"
            logging.getLogger(__name__).debug("trafilatura failed: %r", exc)
            return None
    if document is None:
        return None
    fields = (
        document
        if isinstance(document, dict)
        else {k: getattr(document, k, None) for k in ("text", "title", "author", "date", "sitename", "url")}
    )
    text = (fields.get("text") or "").strip()
    if not text:
        return None
    return HtmlArticle(
        text=text,
        title=fields.get("title") or None,
        author=fields.get("author") or None,
        date=fields.get("date") or None,
        sitename=fields.get("sitename") or None,
        url=fields.get("url") or None,
    )
