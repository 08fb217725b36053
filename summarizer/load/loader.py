"""Loading: files or folders in, `Source` objects out (stage 1 of the pipeline).

For each file: decode (see `decoding`), skip binary and empty files, read it with the reader of its
format (see `readers`: front matter, Markdown or HTML to text, page furniture stripped, metadata
detected, sentences split). Then merge duplicate articles and number the sources 1..n in input
order. Every skip or fallback is reported as one sentence naming the file, through `on_warning` or
as a `SummarizerWarning`.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from pathlib import Path

from ..errors import NoArticlesError, PathNotFoundError, SummarizerWarning
from ..models import Source
from .decoding import decode_bytes, looks_binary, normalise_text
from .duplicates import merge_duplicates
from .readers import ARTICLE_SUFFIXES, Article, SkipFile, WarningHandler, reader_for, supported_formats

__all__ = ["load_sources"]


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
        articles = merge_duplicates(articles, report)
        if not articles:
            where = ", ".join(_display_folder(p) for p in given) or "the paths given"
            raise NoArticlesError(f"no readable article in {where}: give {supported_formats()} files")
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


def _load_file(path: Path, report: WarningHandler) -> Article | None:
    """Read one file into an article, or report why it was skipped and return None."""
    shown = os.fspath(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        report(f"skipped {shown}: cannot read it ({exc.strerror or exc})")
        return None
    try:
        if looks_binary(data, None):
            raise SkipFile("binary file, not an article")
        text, encoding = decode_bytes(data)
        if looks_binary(data, text):
            raise SkipFile("binary file, not an article")
        if encoding in ("cp1252", "latin-1"):
            report(f"decoded {shown} as {encoding}: not valid UTF-8")
        text = normalise_text(text)
        if not text.strip():
            raise SkipFile("empty file")
        return _read_article(path, text, report)
    except SkipFile as skip:
        report(f"skipped {shown}: {skip}")
        return None


def _read_article(path: Path, text: str, report: WarningHandler) -> Article:
    """Read decoded text with the reader of its format."""
    article = reader_for(path, text).read(os.fspath(path), text, report)
    if not article.sentences:
        raise SkipFile("no article text left after removing page furniture")
    if article.outlet is None:
        article.outlet = path.stem  # the last resort: nothing in the text names the publisher
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
