"""The jinja2 environment the brief templates share, and the filters they use."""

from __future__ import annotations

import re
from functools import lru_cache

import jinja2

from ..models import Statement

__all__ = ["environment", "escape_markdown"]

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


def _footnotes(statement: Statement) -> str:
    """`[1][3]`: one footnote per distinct cited source, in citation order."""
    return "".join(f"[{source_id}]" for source_id in statement.source_ids)


@lru_cache(maxsize=2)
def environment(autoescape: bool) -> jinja2.Environment:
    """The jinja2 environment; StrictUndefined so a template typo fails instead of printing ''."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("summarizer.render", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape_markdown
    env.filters["footnotes"] = _footnotes
    return env
