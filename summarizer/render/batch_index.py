"""The index of a batch's briefs: BRIEFS/index.md, or BRIEFS/index.html when the briefs are pages.

Each event is a row: its brief linked under the headline it got, the number of sources and of
disagreements, and its status; an event not briefed shows why. Headlines come from the articles, so
they are escaped like any article text (Markdown escaping; HTML autoescape under a policy that
lets nothing load or run), and the only links are to the briefs beside the index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from .environment import environment, escape_markdown

__all__ = ["IndexRow", "index_name", "render_index"]


@dataclass(frozen=True)
class IndexRow:
    """One event of the batch as the index lists it."""

    event: str
    status: str
    brief: str | None = None  # the brief's file name, beside the index, when it was written
    title: str | None = None
    sources: int | None = None
    disagreements: int | None = None
    error: str | None = None

    @property
    def href(self) -> str:
        """The link to the brief: its file name, percent-encoded (an event folder may be named freely)."""
        return quote(self.brief or "")


def index_name(output_format: str) -> str:
    """The index's file name: a page among pages, Markdown otherwise."""
    return "index.html" if output_format == "html" else "index.md"


def render_index(rows: Sequence[IndexRow], output_format: str) -> str:
    """The index in the form `index_name(output_format)` names."""
    if output_format == "html":
        return environment(autoescape=True).get_template("batch_index.html.j2").render(rows=rows)
    lines = ["# Briefs", "", "| event | sources | disagreements | status |", "|---|---:|---:|---|"]
    for row in rows:
        if row.brief is not None:
            lines.append(f"| [{_cell(row.title or row.event)}]({row.href}) | "
                         f"{row.sources if row.sources is not None else ''} | "
                         f"{row.disagreements if row.disagreements is not None else ''} | {row.status} |")
        else:
            lines.append(f"| {_cell(row.event)} | | | {row.status}: {_cell(row.error or 'not done')} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Untrusted text in a Markdown table cell: escaped, and no "|" that would end the cell."""
    return escape_markdown(text).replace("|", "\\|")
