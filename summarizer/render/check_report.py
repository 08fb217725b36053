"""A check of a draft as text an editor reads top to bottom, as the JSON contract, or as a review page."""

from __future__ import annotations

import textwrap

from ..errors import ConfigError
from ..models import CheckedStatement, CheckReport
from ..text.plural import counted
from .html import render_check_html

__all__ = ["CHECK_FORMATS", "render_check"]

CHECK_FORMATS = ("text", "json", "html")

_WIDTH = 100


def render_check(report: CheckReport, output_format: str) -> str:
    """`text`: the flagged sentences, why, and the source sentences they conflict with; `json`; `html`."""
    if output_format == "json":
        return report.to_json()
    if output_format == "html":
        return render_check_html(report)
    if output_format != "text":
        raise ConfigError(f"unknown check format {output_format!r}: use one of {', '.join(CHECK_FORMATS)}")
    labels = {source.id: source.label for source in report.sources}
    lines = [f"Checked {report.draft} against {counted(len(report.sources), 'source')}: "
             f"{counted(len(report.statements), 'sentence')}, "
             f"{report.counts['supported']} supported, {report.counts['contradicted']} contradicted, "
             f"{report.counts['unsupported']} unsupported.", ""]
    flagged = [s for s in report.statements if s.verdict != "supported" or s.problems]
    for statement in flagged:
        lines += _flagged(statement, labels)
    if not flagged:
        lines.append("Every sentence is borne out by a source it may cite.")
    for warning in report.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines).rstrip() + "\n"


def _flagged(statement: CheckedStatement, labels: dict[int, str]) -> list[str]:
    cited = "".join(f"[{n}]" for n in statement.citations)
    head = f"{statement.index + 1}. {statement.verdict.upper()}: {statement.text}" + (f" {cited}" if cited else "")
    lines = textwrap.wrap(head, _WIDTH, subsequent_indent="   ")
    for problem in statement.problems:
        lines += textwrap.wrap(f"- {problem.kind}: {problem.detail}", _WIDTH, initial_indent="   ",
                               subsequent_indent="     ")
        if problem.conflicting is not None:
            where = f"[{problem.conflicting.source}] {labels.get(problem.conflicting.source, '')}"
            lines += textwrap.wrap(f"{where}: {problem.conflicting.text}", _WIDTH, initial_indent="     ",
                                   subsequent_indent="     ")
    if statement.verdict == "unsupported" and not statement.problems:
        lines.append("   - no source sentence says this")
    if statement.evidence and statement.verdict == "supported":
        first = statement.evidence[0]
        lines += textwrap.wrap(f"said by [{first.source}] {labels.get(first.source, '')}: {first.text}", _WIDTH,
                               initial_indent="   ", subsequent_indent="     ")
    return lines + [""]
