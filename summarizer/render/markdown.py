"""The brief as Markdown: citations as `[n]` footnotes (n = the source's id), a Sources list at the end.

Article text is untrusted: every character that could start a link, an image, HTML or emphasis is
escaped (`escape_markdown`), so no statement can add a link, an image or markup to the brief.
"""

from __future__ import annotations

import re

from ..models import Brief
from .environment import environment

__all__ = ["render_markdown"]


def render_markdown(brief: Brief) -> str:
    """The brief as Markdown with `[n]` footnotes and a Sources list."""
    template = environment(autoescape=False).get_template("brief.md.j2")
    text = template.render(brief=brief, sources_by_id={s.id: s for s in brief.sources})
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
