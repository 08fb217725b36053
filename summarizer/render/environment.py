"""The jinja2 environment the brief templates share, and the filters they use."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from ..models import Brief, Source, Statement
from ..text.plural import counted
from ..text.support import check_support, checkable

if TYPE_CHECKING:
    import jinja2

__all__ = ["environment", "escape_markdown", "written_by"]

# Characters that change meaning anywhere in CommonMark/GFM: link and image brackets ([ ]), raw
# HTML and autolinks (< >), emphasis (* _ ~), code (`), escapes (\). Parentheses and "!" are
# harmless once brackets are escaped, so they stay readable.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>~])")
# At the start of a line these begin a heading, a list item, a block quote or a numbered list.
_MARKDOWN_LINE_START = re.compile(r"^([#+\-=|])")
_MARKDOWN_NUMBERED_LIST = re.compile(r"^(\d+)([.)])")


# What GFM's autolinks and markdown-it's linkify turn into live links: an address with a scheme, a
# www. name, an e-mail address, or a bare domain name under a generic or a two-letter country domain
# (linkify-it's rule: "story.md" is a link, "story.txt" is not).
_TLDS = "biz|com|edu|gov|net|org|pro|web|xxx|aero|asia|coop|info|museum|name|shop|[a-z]{2}"
_ADDRESS = re.compile(
    r"(?i)[a-z][a-z0-9+.-]*://[^\s<>\"'`]*"
    r"|\bwww\.[^\s<>\"'`]*"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    rf"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{_TLDS})\b(?:/[^\s<>\"'`]*)?"
)
_TRAILING = ".,;:!?'\"”’*_~"


def escape_markdown(text: str) -> str:
    """Escape untrusted text so Markdown renders it literally: no links, images, HTML or emphasis,
    and no address that a viewer would turn into a live link (addresses are shown as code)."""
    flattened = " ".join(text.split())  # a newline in a statement must not start a heading/list
    pieces: list[str] = []
    position = 0
    for match in _ADDRESS.finditer(flattened):
        address = _trim(match.group(0))
        pieces.append(_MARKDOWN_SPECIAL.sub(r"\\\1", flattened[position : match.start()]))
        pieces.append(_code_span(address))
        position = match.start() + len(address)
    pieces.append(_MARKDOWN_SPECIAL.sub(r"\\\1", flattened[position:]))
    escaped = _MARKDOWN_LINE_START.sub(r"\\\1", "".join(pieces))
    return _MARKDOWN_NUMBERED_LIST.sub(r"\1\\\2", escaped)


def _trim(address: str) -> str:
    """An address without the punctuation of the sentence around it; a ")" stays when it closes a
    "(" of the address itself (as in a Wikipedia address)."""
    while address and (address[-1] in _TRAILING or (address[-1] == ")" and address.count(")") > address.count("("))):
        address = address[:-1]
    return address


def _code_span(text: str) -> str:
    """`text` as a CommonMark code span: a fence longer than any run of backticks inside it."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _footnotes(statement: Statement) -> str:
    """`[1][3]`: one footnote per distinct cited source, in citation order."""
    return "".join(f"[{source_id}]" for source_id in statement.source_ids)


def _named_by(statement: Statement) -> str:
    """` (named by [1][2])` after the speaker when only some of the cited reports name them
    (`Statement.speaker_sources`), else nothing: the others are cited for the words, not for who
    said them. A statement built without the list (a brief from before it) says nothing of who
    names them."""
    named_by = set(statement.speaker_sources)
    if not statement.speaker or not named_by or set(statement.source_ids) <= named_by:
        return ""
    return " (named by " + "".join(f"[{source_id}]" for source_id in statement.speaker_sources) + ")"


# Said instead of the comparing sections when there is only one report.
NOTHING_TO_COMPARE = ("Only one report was given, so there is nothing to compare: no agreements, no disagreements "
                      "between reports and nothing reported by one source only.")


# Said under a report's heading in "Source by source" when the engine kept nothing of it (a report of
# two sentences, both cut off by its feed), so that the heading does not read as a rendering fault.
NOTHING_FROM_SOURCE = "Nothing of this report is shown on its own here."


def beyond_summary(statements: Sequence[Statement], summary: Sequence[Statement]) -> list[Statement]:
    """The agreements (or exclusives) a reader has not just read in the summary: the lede takes the
    event's central facts, which are often what every report agrees on or what one alone reports,
    and the same fact twice is noise. (The JSON keeps every one: a program reading it wants the
    whole list.)"""
    return [statement for statement in statements if not any(_restates(stated, statement) for stated in summary)]


def _restates(stated: Statement, agreement: Statement) -> bool:
    """The summary's statement says the agreement again, with its sources: the same text, or (a
    model may word the lede its own way) each bears the other out and it cites every source the
    agreement does, so that "stated in the summary above, with their sources" holds."""
    if " ".join(stated.text.split()) == " ".join(agreement.text.split()):
        return True
    said, agreed = checkable(stated.text), checkable(agreement.text)
    # Every name and figure of the agreement, not most: "Putin met Tillerson in Moscow" says where.
    return (set(agreement.source_ids) <= set(stated.source_ids)
            and agreed.names <= said.terms and agreed.numbers <= said.numbers
            and check_support(agreement.text, stated.text).supported
            and check_support(stated.text, agreement.text).supported)


def reporters(statement: Statement, sources_by_id: Mapping[int, Source]) -> str:
    """Who the statement is given as the account of (`Statement.attributed`): its sources' labels,
    "Reuters", "Reuters and AFP", "Reuters, AFP and RFE/RL"."""
    labels = [sources_by_id[source].label if source in sources_by_id else f"report {source}"
              for source in statement.source_ids]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def in_summary_note(count: int, listed: int) -> str:
    """Said under the agreements (or exclusives) for the `count` that the summary already states,
    after the `listed` others ("1 more is ...", or with none listed "It is ...", "Both are ...",
    "All 3 are ...")."""
    whose = "its" if count == 1 else "their"
    if listed:
        return f"{count} more {'is' if count == 1 else 'are'} stated in the summary above, with {whose} sources."
    which = {1: "It is", 2: "Both are"}.get(count, f"All {count} are")
    return f"{which} stated in the summary above, with {whose} sources."


def written_by(brief: Brief) -> str:
    """Who wrote the brief, truthfully: the engine asked, or the extractive engine standing in for it."""
    asked = f"the {brief.engine} engine" + (f" ({brief.model})" if brief.model else "")
    wrote = set(brief.written_by) or {brief.engine}
    if wrote == {brief.engine}:
        return f"by {asked}"
    if brief.engine not in wrote:
        return f"by the extractive engine, because {asked} gave no usable answer (see the warnings)"
    return f"by {asked}, the extractive engine standing in where the model gave no usable answer (see the warnings)"


@lru_cache(maxsize=2)
def environment(autoescape: bool) -> jinja2.Environment:
    """The jinja2 environment; StrictUndefined so a template typo fails instead of printing ''."""
    # Imported here: a JSON brief (the library's `summarize`, `--format json`) renders no
    # template, and jinja2 is 0.02 s of a start-up that is otherwise all needed.
    import jinja2

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
    env.filters["named_by"] = _named_by
    env.globals["written_by"] = written_by
    env.globals["counted"] = counted
    env.globals["beyond_summary"] = beyond_summary
    env.globals["in_summary_note"] = in_summary_note
    env.globals["reporters"] = reporters
    env.globals["NOTHING_TO_COMPARE"] = NOTHING_TO_COMPARE
    env.globals["NOTHING_FROM_SOURCE"] = NOTHING_FROM_SOURCE
    return env
