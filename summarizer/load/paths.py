"""Which files the paths given name: files as named, folders searched for article files.

Only regular files are read: a FIFO would block forever and a device never ends. Everything that is
passed over is named, with the reason, in a warning; a path that cannot be used as written (missing,
a broken link, a file written with a trailing slash) is an `InvalidPathError`, as is an output file
that is one of the articles or would be read as one on the next run.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from ..errors import InvalidPathError, PathNotFoundError
from .readers import ARTICLE_SUFFIXES, WarningHandler, supported_formats

__all__ = ["check_output_path", "display_folder", "expand_paths", "kind_of", "shown_path"]

PathArg = str | os.PathLike[str]

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def kind_of(path: Path) -> str | None:
    """What a path is when it is not a regular file ("a folder", "a broken link", ...); None for a file."""
    try:
        mode = path.stat().st_mode  # follows links: a link to a file is a file
    except FileNotFoundError:
        return "a broken link" if path.is_symlink() else "missing"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def shown_path(path: PathArg) -> str:
    """A path for messages and the brief: as written, but a newline, a control character or a byte
    that is not text in a file name is escaped, so every message stays one line."""
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in os.fspath(path))


def display_folder(path: PathArg) -> str:
    """A path as the user wrote it (see `shown_path`), folders with a trailing slash."""
    text = shown_path(path)
    return text if not Path(path).is_dir() or text.endswith(("/", os.sep)) else text + "/"


def expand_paths(paths: Iterable[PathArg], report: WarningHandler) -> list[Path]:
    """Regular files named, and article files inside folders named (recursive, sorted by name).

    Raises InvalidPathError for a path that cannot be used as written; reports what is passed over.
    """
    files: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        for file in _files_of(raw, report):
            key = file.resolve()
            if key not in seen:  # the same file named twice is read once, silently
                seen.add(key)
                files.append(file)
    return files


def _files_of(raw: PathArg, report: WarningHandler) -> list[Path]:
    """The files one path given stands for."""
    written = os.fspath(raw)
    path = Path(written)
    kind = kind_of(path)
    written = shown_path(written)
    if kind == "missing":
        raise PathNotFoundError(
            f"{written}: no such file or folder; check the path (relative paths are read from {Path.cwd()})"
        )
    if kind == "a broken link":
        raise InvalidPathError(f"{written}: a broken link (it points to {shown_path(os.readlink(path))}, "
                               "which does not exist)")
    # pathlib drops a trailing slash, the file system does not: "one.txt/" names a folder.
    if written.endswith(("/", os.sep)) and kind != "a folder":
        raise InvalidPathError(f"{written}: not a folder (it is {kind or 'a file'}); drop the trailing slash")
    if kind == "a folder":
        return _article_files(path, report)
    if kind is not None:
        report(f"skipped {written}: {kind}, not a regular file")
        return []
    return [path]


def _article_files(folder: Path, report: WarningHandler) -> list[Path]:
    """Article files under a folder, recursively, in sorted name order; hidden entries skipped.

    Entries named like articles that are not regular files are reported: a broken link, a pipe, and
    a folder named like an article that holds no article.
    """
    found: list[Path] = []
    odd: list[tuple[Path, str]] = []
    for entry in folder.rglob("*"):
        relative = entry.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or entry.suffix.lower() not in ARTICLE_SUFFIXES:
            continue
        kind = kind_of(entry)
        if kind is None:
            found.append(entry)
        elif kind != "a folder" or not any(
            child.suffix.lower() in ARTICLE_SUFFIXES and kind_of(child) is None for child in entry.rglob("*")
        ):
            odd.append((entry, kind))
    for entry, kind in sorted(odd, key=lambda item: item[0].relative_to(folder).parts):
        what = f"{kind} named like an article, holding no {supported_formats()} file" if kind == "a folder" else kind
        report(f"skipped {shown_path(entry)}: {what}")
    return sorted(found, key=lambda file: file.relative_to(folder).parts)


def check_output_path(out: PathArg, paths: Iterable[PathArg]) -> None:
    """Raise InvalidPathError when the output file is one of the articles, or sits in an article
    folder with an article's suffix (the next run would read the brief as an article)."""
    target = Path(out).resolve()
    for raw in paths:
        given = Path(raw).resolve()
        if given == target:
            raise InvalidPathError(
                f"--out {shown_path(out)} is one of the articles given; write the brief to another file"
            )
        if given.is_dir() and given in target.parents and target.suffix.lower() in ARTICLE_SUFFIXES:
            raise InvalidPathError(
                f"--out {shown_path(out)} is inside the article folder {display_folder(raw)}, where the next run "
                f"would read it as an article; write it elsewhere, or as .json"
            )
