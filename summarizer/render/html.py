"""The brief, and a check of a draft, as review pages (review.py, templates/review.html.j2).

jinja2's autoescape is on, so article and draft text cannot add markup; the page's policy lets
only its own script and style run.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Brief, CheckReport, Citation, Source
from .environment import environment
from .review import REVIEW_SCRIPT, REVIEW_STYLE, content_security_policy, sentence_id, targets

__all__ = ["render_check_html", "render_html"]


def _cited_sentences(sources: Iterable[Source], citations: Iterable[Citation]) -> str:
    """The cited sentences as plain text, for tooltips."""
    by_id = {source.id: source for source in sources}
    lines = []
    for citation in citations:
        source = by_id.get(citation.source)
        if source is not None and 0 <= citation.sentence < len(source.sentences):
            lines.append(f"[{citation.source}] {source.sentences[citation.sentence]}")
    return "\n".join(lines)


def _page(template: str, sources: list[Source], used: set[tuple[int, int]],
          conflicts: set[tuple[int, int]], **context: object) -> str:
    return environment(autoescape=True).get_template(template).render(
        sources=sources, used=used, conflicts=conflicts, sources_by_id={s.id: s for s in sources},
        csp=content_security_policy(), style=REVIEW_STYLE, script=REVIEW_SCRIPT, targets=targets,
        sentence_id=sentence_id,
        cited=lambda citations: _cited_sentences(sources, citations), **context)


def render_html(brief: Brief) -> str:
    """The brief beside its sources: a standalone review page."""
    statements = [*brief.summary, *brief.agreements, *brief.exclusives,
                  *(p for d in brief.disagreements for p in d.positions),
                  *(s for entry in brief.per_source for s in entry.summary)]
    used = {(c.source, c.sentence) for s in statements for c in s.citations}
    return _page("brief.html.j2", brief.sources, used, set(), brief=brief)


def render_check_html(report: CheckReport) -> str:
    """A check of a draft beside the sources: each sentence marked by its verdict, what it conflicts with."""
    used = {(e.source, e.sentence) for s in report.statements for e in s.evidence}
    conflicts = {(p.conflicting.source, p.conflicting.sentence) for s in report.statements for p in s.problems
                 if p.conflicting is not None}
    return _page("check.html.j2", report.sources, used, conflicts, report=report)
