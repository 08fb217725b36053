"""Loading: files or folders in, `Source` objects out (stage 1 of the pipeline).

For each file (see `paths` for which files a path names): check its size against the cap, decode
it (see `decoding`), skip binary and empty files, and read it with the reader of its format (see
`readers`: front matter, Markdown or HTML to text, page furniture stripped, metadata detected,
sentences split). Then merge duplicate articles and number the sources 1..n in input order. Every
skip or fallback is reported as one sentence naming the file, through `on_warning` or as a
`SummarizerWarning`; when nothing can be read, the error gives each file's reason.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from pathlib import Path

from ..errors import NoArticlesError, SummarizerWarning
from ..models import Source
from ..settings import DEFAULTS
from .credits import LETTER
from .decoding import decode_bytes, looks_binary, normalise_text
from .duplicates import merge_duplicates
from .paths import display_folder, expand_paths, shown_path
from .readers import ARTICLE_SUFFIXES, Article, SkipFile, WarningHandler, reader_for, supported_formats

__all__ = ["load_sources"]

# Reasons named in the error when nothing could be read; the rest are counted.
_REASONS_SHOWN = 5
# Letters enough to tell a text's script by (a few foreign names in a page of furniture are not).
_MIN_LETTERS_FOR_SCRIPT = 40


def load_sources(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    on_warning: WarningHandler | None = None,
    exclude: Iterable[str | os.PathLike[str]] = (),
    max_file_mb: float = DEFAULTS.max_file_mb,
) -> list[Source]:
    """Load articles from files and folders into `Source`s numbered 1..n in input order.

    `exclude` names files never to read, such as the brief being written. A file larger than
    `max_file_mb` megabytes is skipped unread. Raises `InvalidPathError` for a path that cannot be
    used as written and `NoArticlesError`, with each file's reason, when nothing can be read.
    """
    pending: list[str] = []
    report: WarningHandler = on_warning if on_warning is not None else pending.append
    reasons: list[str] = []

    def note(message: str) -> None:
        if message.startswith("skipped "):
            reasons.append(message.removeprefix("skipped "))
        report(message)

    try:
        given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
        excluded = {Path(p).resolve() for p in exclude}
        files = []
        for file in expand_paths(given, note):
            if file.resolve() in excluded:
                note(f"skipped {shown_path(file)}: it is the output file of this run")
            else:
                files.append(file)
        max_bytes = int(max_file_mb * 1_000_000)
        articles = [a for a in (_load_file(p, note, max_bytes) for p in files) if a is not None]
        articles = merge_duplicates(articles, report)
        if not articles:
            raise NoArticlesError(_nothing_readable(given, reasons))
        return [_to_source(number, article) for number, article in enumerate(articles, start=1)]
    finally:
        # Emitted here, not where they happen, so the warnings point at the caller's line.
        for message in pending:
            warnings.warn(message, SummarizerWarning, stacklevel=2)


def _nothing_readable(given: list[str | os.PathLike[str]], reasons: list[str]) -> str:
    """The error when no article could be read: where, each file's reason, and what can be read."""
    where = ", ".join(display_folder(p) for p in given) or "the paths given"
    message = f"no readable article in {where}"
    if reasons:
        more = f"; and {len(reasons) - _REASONS_SHOWN} more" if len(reasons) > _REASONS_SHOWN else ""
        message += f" ({'; '.join(reasons[:_REASONS_SHOWN])}{more})"
    return f"{message}: give {supported_formats()} files with article text"


def _load_file(path: Path, report: WarningHandler, max_bytes: int) -> Article | None:
    """Read one regular file into an article, or report why it was skipped and return None."""
    shown = shown_path(path)
    try:
        data = _read_capped(path, max_bytes)
        if looks_binary(data, None):
            raise SkipFile(_binary_reason(path))
        text, encoding = decode_bytes(data)
        if looks_binary(data, text):
            raise SkipFile(_binary_reason(path))
        if encoding in ("cp1252", "latin-1"):
            report(f"decoded {shown} as {encoding}: not valid UTF-8")
        text = normalise_text(text)
        if not text.strip():
            raise SkipFile("empty file")
        return _read_article(path, shown, text, report)
    except SkipFile as skip:
        report(f"skipped {shown}: {skip}")
        return None


def _read_capped(path: Path, max_bytes: int) -> bytes:
    """The file's bytes; SkipFile when it is over the cap (checked before reading, and while reading,
    in case it grows) or cannot be read."""
    cap = f"the {max_bytes / 1_000_000:g} MB cap on one article (raise it with --max-file-mb)"
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SkipFile(f"{size / 1_000_000:.1f} MB, over {cap}")
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except OSError as exc:
        raise SkipFile(f"cannot read it ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise SkipFile(f"over {cap}")
    return data


def _binary_reason(path: Path) -> str:
    """Why a binary file is not read: a format not supported (a .pdf, a .docx), or not text at all."""
    suffix = path.suffix.lower()
    if suffix and suffix not in ARTICLE_SUFFIXES:
        return f"{suffix} is not a supported format (give {supported_formats()} files)"
    return "binary file, not an article"


def _mostly_other_script(text: str) -> bool:
    """Whether most of the text's letters are of a script other than Latin (Arabic, Chinese,
    Cyrillic ...): the cleaning, the splitter and the similarity model are made for English, and a
    file in another script loses every line as page furniture, which would be a misleading reason."""
    letters = LETTER.findall(text)
    latin = sum(1 for letter in letters if letter <= "\u024f")
    return len(letters) >= _MIN_LETTERS_FOR_SCRIPT and latin < len(letters) / 2


def _read_article(path: Path, shown: str, text: str, report: WarningHandler) -> Article:
    """Read decoded text with the reader of its format."""
    article = reader_for(path, text).read(shown, text, report)
    if not article.sentences:
        if _mostly_other_script(text):
            raise SkipFile("its text is not in the Latin alphabet; summarize reads articles in English")
        raise SkipFile("no article text left after removing page furniture")
    if article.outlet is None:
        article.outlet = Path(shown).stem  # the last resort: nothing in the text names the publisher
    return article


def _to_source(number: int, article: Article) -> Source:
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
