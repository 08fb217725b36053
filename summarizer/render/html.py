"""The brief as one standalone HTML page: no scripts, no external resources.

jinja2's autoescape is on, so article text cannot add markup; a citation's tooltip holds the cited
sentences.
"""

from __future__ import annotations

from ..models import Brief, Citation
from .environment import environment

__all__ = ["render_html"]


def _cited_sentences(brief: Brief, citations: list[Citation]) -> str:
    """The cited sentences as plain text, for tooltips."""
    by_id = {source.id: source for source in brief.sources}
    lines = []
    for citation in citations:
        source = by_id.get(citation.source)
        if source is not None and 0 <= citation.sentence < len(source.sentences):
            lines.append(f"[{citation.source}] {source.sentences[citation.sentence]}")
    return "\n".join(lines)


def render_html(brief: Brief) -> str:
    """The brief as a standalone HTML page."""
    template = environment(autoescape=True).get_template("brief.html.j2")
    return template.render(
        brief=brief,
        sources_by_id={s.id: s for s in brief.sources},
        cited=lambda citations: _cited_sentences(brief, citations),
    )
