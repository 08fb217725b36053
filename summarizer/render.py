"""Render a `Brief` as Markdown (default), JSON (the public contract) or HTML, with jinja2 templates.

Article text is untrusted: in Markdown every character that could start a link, an image, HTML or
emphasis is escaped, and in HTML jinja2's autoescape is on, so no statement can add a link, an
image or markup to the brief.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

import jinja2

from .models import Brief, Citation, Source, Statement

OutputFormat = Literal["md", "json", "html"]
OUTPUT_FORMATS: tuple[OutputFormat, ...] = ("md", "json", "html")

# Characters that change meaning anywhere in CommonMark/GFM: link and image brackets ([ ]), raw
# HTML and autolinks (< >), emphasis (* _ ~), code (`), escapes (\). Parentheses and "!" are
# harmless once brackets are escaped, so they stay readable.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>~])")
# At the start of a line these begin a heading, a list item, a block quote or a numbered list.
_MARKDOWN_LINE_START = re.compile(r"^([#+\-=|])")
_MARKDOWN_NUMBERED_LIST = re.compile(r"^(\d+)([.)])")


def escape_markdown(text: str) -> str:
    """Escape untrusted text so Markdown renders it literally (no links, images, HTML, emphasis)."""
    flattened = " ".join(text.split())  # a newline in a statement must not start a heading/list
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", flattened)
    escaped = _MARKDOWN_LINE_START.sub(r"\\\1", escaped)
    # A bare address a source printed may still be autolinked by GFM: that is a place the source
    # itself named. Addresses a source did not have are removed earlier, by verify.
    return _MARKDOWN_NUMBERED_LIST.sub(r"\1\\\2", escaped)


def source_label(source: Source) -> str:
    """A short human name for a source: its outlet, else its file name."""
    if source.outlet:
        return source.outlet
    return source.path.rsplit("/", 1)[-1]


def _footnotes(statement: Statement) -> str:
    """`[1][3]`: one footnote per distinct cited source, in citation order."""
    return "".join(f"[{source_id}]" for source_id in statement.source_ids)


def _cited_sentences(brief: Brief, citations: list[Citation]) -> str:
    """The cited sentences as plain text, for tooltips in HTML."""
    by_id = {source.id: source for source in brief.sources}
    lines = []
    for citation in citations:
        source = by_id.get(citation.source)
        if source is not None and 0 <= citation.sentence < len(source.sentences):
            lines.append(f"[{citation.source}] {source.sentences[citation.sentence]}")
    return "\n".join(lines)


@lru_cache(maxsize=2)
def _environment(autoescape: bool) -> jinja2.Environment:
    """The jinja2 environment; StrictUndefined so a template typo fails instead of printing ''."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("summarizer", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape_markdown
    env.filters["footnotes"] = _footnotes
    env.globals["source_label"] = source_label
    return env


def render_markdown(brief: Brief) -> str:
    """The brief as Markdown with `[n]` footnotes and a Sources list."""
    template = _environment(autoescape=False).get_template("brief.md.j2")
    text = template.render(brief=brief, sources_by_id={s.id: s for s in brief.sources})
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_html(brief: Brief) -> str:
    """The brief as a standalone HTML page (no scripts, no external resources)."""
    template = _environment(autoescape=True).get_template("brief.html.j2")
    return template.render(
        brief=brief,
        sources_by_id={s.id: s for s in brief.sources},
        cited=lambda citations: _cited_sentences(brief, citations),
    )


def render(brief: Brief, output_format: OutputFormat) -> str:
    """Render in one of OUTPUT_FORMATS."""
    if output_format == "md":
        return render_markdown(brief)
    if output_format == "json":
        return brief.to_json()
    if output_format == "html":
        return render_html(brief)
    raise ValueError(f"unknown output format {output_format!r}; use one of {', '.join(OUTPUT_FORMATS)}")
