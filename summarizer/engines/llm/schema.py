"""The structured answers asked of the model, as pydantic models (their JSON Schema is sent too).

Ids, not text, carry the citations: the model sees each sentence with its id and cites ids, which
verification then checks against the sentences themselves.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ...models import Citation, Statement
from ...settings import MAX_AGREEMENTS

# Long enough for one sentence of a brief, short enough that a runaway answer is rejected.
MAX_STATEMENT_CHARS = 600


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceNote(_Answer):
    """One fact of one article and the ids of the article's sentences that state it."""

    text: str = Field(min_length=1, max_length=MAX_STATEMENT_CHARS)
    sentences: list[int] = Field(min_length=1, max_length=8, description="the ids that open the article's lines")


class ChunkNotesAnswer(_Answer):
    """The facts of one part of an article."""

    notes: list[SourceNote] = Field(max_length=12)


class SourceSummaryAnswer(_Answer):
    """The summary of one article, reduced from the notes on its parts."""

    statements: list[SourceNote] = Field(max_length=12)


class Ref(_Answer):
    """A sentence of a source, shown to the model as [source:sentence]."""

    source: int = Field(ge=1)
    sentence: int = Field(ge=0)


class CitedStatement(_Answer):
    """A statement of the brief with the sentences it rests on."""

    text: str = Field(min_length=1, max_length=MAX_STATEMENT_CHARS)
    citations: list[Ref] = Field(min_length=1, max_length=12)


class DisagreementAnswer(_Answer):
    """A point where positions differ, one position per source (or party)."""

    topic: str = Field(min_length=1, max_length=120)
    kind: Literal["sources_conflict", "parties_dispute"]
    positions: list[CitedStatement] = Field(min_length=2, max_length=12)


# No exclusives: only the alignment, which compares every sentence, can tell that no other report
# gives a fact (engines/llm/synthesis.py). The docstring is the schema's description the model reads.
class SynthesisAnswer(_Answer):
    """The brief's sections, merged from the source summaries and the alignment evidence."""

    summary: list[CitedStatement] = Field(max_length=6)
    agreements: list[CitedStatement] = Field(max_length=MAX_AGREEMENTS)
    disagreements: list[DisagreementAnswer] = Field(max_length=10)


class CollapseAnswer(_Answer):
    """Several sources' statements merged into fewer, citations kept."""

    statements: list[CitedStatement] = Field(max_length=20)


def statement_from_answer(statement: CitedStatement) -> Statement:
    """The brief's statement for one the model wrote (its citations checked later, by verify)."""
    return Statement(
        text=statement.text,
        citations=[Citation(source=ref.source, sentence=ref.sentence) for ref in statement.citations],
    )
