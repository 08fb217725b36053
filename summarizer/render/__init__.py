"""Stage 7, render: output formats by name and file suffix, the one table a new format is added to.

    md    Markdown with [n] footnotes and a Sources list (markdown.py, templates/brief.md.j2)
    json  the public JSON contract (`Brief.to_json`)
    html  a standalone review page: the brief beside its sources (html.py, review.py, templates/)

A check of a draft renders as text, JSON or the same review page (check_report.py), and a batch's
index of briefs as Markdown or a page (batch_index.py).

The CLI takes its `--format` choices and its suffix rules from `FORMATS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from ..errors import ConfigError
from ..models import Brief
from .check_report import CHECK_FORMATS, render_check
from .environment import escape_markdown
from .html import render_html
from .markdown import render_markdown

__all__ = [
    "CHECK_FORMATS", "DEFAULT_FORMAT", "FORMATS", "FORMAT_NAMES", "OutputFormat", "escape_markdown",
    "format_for_path", "format_named", "render_brief", "render_check",
]


@dataclass(frozen=True)
class OutputFormat:
    """One output format: its name, the file suffixes that select it, and its renderer."""

    name: str
    suffixes: tuple[str, ...]
    render: Callable[[Brief], str]
    description: str


FORMATS: tuple[OutputFormat, ...] = (
    OutputFormat("md", (".md", ".markdown"), render_markdown, "Markdown, citations as [n] footnotes"),
    OutputFormat("json", (".json",), lambda brief: brief.to_json(), "the documented JSON contract"),
    OutputFormat("html", (".html", ".htm"), render_html, "a standalone page"),
)
FORMAT_NAMES: tuple[str, ...] = tuple(output.name for output in FORMATS)
DEFAULT_FORMAT = "md"


def format_for_path(path: str | PurePath | None) -> str:
    """The format a file name asks for by its suffix; the default for none or an unknown one."""
    if path is None:
        return DEFAULT_FORMAT
    suffix = PurePath(path).suffix.lower()
    return next((output.name for output in FORMATS if suffix in output.suffixes), DEFAULT_FORMAT)


def format_named(format_name: str) -> OutputFormat:
    """The format of FORMATS named `format_name`; a ConfigError naming the formats for another name."""
    for output in FORMATS:
        if output.name == format_name:
            return output
    raise ConfigError(f"unknown output format {format_name!r}; use one of {', '.join(FORMAT_NAMES)}")


def render_brief(brief: Brief, format_name: str = DEFAULT_FORMAT) -> str:
    """The brief in one of FORMAT_NAMES."""
    return format_named(format_name).render(brief)
