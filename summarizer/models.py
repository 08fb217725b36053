"""The pydantic models passed between the stages of the pipeline.

Stage by stage::

    load   -> list[Source]
    chunk  -> list[Chunk]
    engine.summarize_source -> SourceSummary
    align  -> Alignment (FactGroup, Disagreement)
    engine.synthesize -> BriefDraft
    verify -> BriefDraft (citations checked) + warnings
    render <- Brief (the public JSON contract, see ../DESIGN)

`Brief` is a public contract that scripts depend on: fields may be added, never renamed or removed.
This module holds data only: rendering is `summarizer.render`, checking is `summarizer.verify`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Model(BaseModel):
    # Unknown fields are a bug in our own code (or a model answering off-schema): fail loudly.
    model_config = ConfigDict(extra="forbid")


class Source(_Model):
    """One article after loading: metadata plus its body split into sentences with stable indices."""

    id: int = Field(ge=1, description="1-based id, in load order; citations refer to it")
    path: str = Field(description="the file the article was read from")
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    published: dt.date | None = None
    url: str | None = Field(default=None, description="the article's own address, from front matter")
    sentences: list[str] = Field(description="the article body; citations index into this list")
    duplicates: list[str] = Field(
        default_factory=list, description="other paths that held the same article and were merged"
    )

    @property
    def label(self) -> str:
        """A short human name for the source: its outlet, else its file name."""
        return self.outlet or self.path.rsplit("/", 1)[-1]


class Chunk(_Model):
    """A run of consecutive sentences of one source that fits the engine's token budget."""

    source: int = Field(ge=1)
    index: int = Field(ge=0, description="0-based position of the chunk within its source")
    first_sentence: int = Field(ge=0, description="index of the chunk's first sentence in the source")
    sentences: list[str]
    token_count: int = Field(ge=0)

    @property
    def sentence_ids(self) -> range:
        """Indices (into the source's sentences) covered by this chunk."""
        return range(self.first_sentence, self.first_sentence + len(self.sentences))


class Citation(_Model):
    """A pointer to one sentence of one source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: int = Field(ge=1, description="the cited source's id")
    sentence: int = Field(ge=0, description="0-based index into that source's sentences")


class Statement(_Model):
    """One claim of the brief and the sentences it rests on."""

    text: str
    citations: list[Citation] = Field(default_factory=list)
    speaker: str | None = Field(
        default=None,
        description='who speaks when the text quotes or attributes words to no one named ("..., he said"): '
                    "the speaker its cited reports name, none of them naming another (set by verification; "
                    "null when the text names its speaker or quotes no one, or no cited report names one)",
    )
    speaker_sources: list[int] = Field(
        default_factory=list,
        description="the cited reports that name the speaker, in the sentence or just before it in the report: "
                    "every cited report, or fewer where the others give the words to no one named "
                    "(\"America's top diplomat said\"); empty when speaker is null",
    )
    attributed: bool = Field(
        default=False,
        description="given as what its cited reports say, not as what happened: every one of them states a "
                    "report that other sources call false (see the disagreement 'Whether the report is true'); "
                    "set by verification on the summary's statements",
    )

    @property
    def source_ids(self) -> list[int]:
        """The distinct sources cited, in citation order."""
        return list(dict.fromkeys(c.source for c in self.citations))


DisagreementKind = Literal["sources_conflict", "parties_dispute"]


class Disagreement(_Model):
    """A point on which positions differ, each position kept with its own citations.

    `sources_conflict`: the sources themselves report different values for one fact.
    `parties_dispute`: the sources agree that parties to the story contradict each other
    (one government denies what another asserts); reported as attributed claims.
    """

    topic: str
    kind: DisagreementKind = "sources_conflict"
    positions: list[Statement] = Field(min_length=2)


class SourceSummary(_Model):
    """The summary of one source: a few cited statements, in the source's own order."""

    source: int = Field(ge=1)
    summary: list[Statement]


class FactGroup(_Model):
    """Sentences from one or more sources that report the same fact."""

    members: list[Citation] = Field(min_length=1)
    representative: Citation = Field(description="the member whose wording states the fact")
    text: str = Field(description="the representative sentence's text")
    score: float = Field(default=0.0, description="salience used to rank groups; higher first")
    position: float = Field(default=0.0, description="earliest place in an article: 0 its first sentence, 1 its end")
    centrality: float = Field(default=0.0, description="the wording's centrality among all sentences, 0 to 1")

    @property
    def source_ids(self) -> list[int]:
        """The distinct sources in the group, in member order."""
        return list(dict.fromkeys(c.source for c in self.members))


class Alignment(_Model):
    """The deterministic cross-source matching that both engines build on."""

    agreements: list[FactGroup] = Field(default_factory=list, description="facts from >= 2 sources")
    exclusives: list[FactGroup] = Field(default_factory=list, description="facts from 1 source")
    disagreements: list[Disagreement] = Field(default_factory=list)
    facts: list[FactGroup] = Field(default_factory=list, description="every group, the others included")
    disputed: list[Citation] = Field(
        default_factory=list,
        description="sentences that state as fact a report other sources call false (a veracity conflict's "
                    "positions on the reporting side, and the words a refuting source repeats of them): the "
                    "lede does not state them as what happened")
    disputed_sources: list[int] = Field(
        default_factory=list,
        description="the sources that state a report other sources call false (a position on the reporting "
                    "side): the summary gives what rests on them alone as theirs (Statement.attributed)")


class BriefDraft(_Model):
    """What an engine's synthesis produces, before citations are verified."""

    title: str
    summary: list[Statement] = Field(default_factory=list)
    agreements: list[Statement] = Field(default_factory=list)
    disagreements: list[Disagreement] = Field(default_factory=list)
    exclusives: list[Statement] = Field(default_factory=list)
    per_source: list[SourceSummary] = Field(default_factory=list)


# The engines that can write a brief, as the JSON contract names them; `summarizer.engines.ENGINES`
# holds one factory per name (a test keeps the two in step).
EngineName = Literal["extractive", "llm"]


class Brief(_Model):
    """The finished brief: the public JSON contract (see README, "The JSON brief")."""

    title: str
    engine: EngineName = Field(description="the engine the run asked for")
    model: str | None = None
    written_by: list[EngineName] = Field(
        default_factory=list,
        description="the engines whose text the brief holds: [engine], or with \"extractive\" added (or "
                    "alone) where the extractive engine stood in for parts the model could not write",
    )
    generated_at: dt.datetime
    sources: list[Source]
    summary: list[Statement]
    agreements: list[Statement]
    disagreements: list[Disagreement]
    exclusives: list[Statement]
    per_source: list[SourceSummary]
    warnings: list[str] = Field(default_factory=list)
    usage: dict[str, Any] = Field(default_factory=dict)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The brief as JSON text, following the public contract (other formats: `render_brief`)."""
        return self.model_dump_json(indent=indent) + "\n"


def brief_json_schema() -> dict[str, Any]:
    """The JSON Schema of the brief that `--format json` writes."""
    return Brief.model_json_schema(mode="serialization")


# --- A draft checked against the sources (`summarize check`) ---------------------------------------

Verdict = Literal["supported", "contradicted", "unsupported"]
# What is wrong with a statement: a figure, a negation, a quote's words or its speaker that no
# source bears out, a report only sources that others call false bear out (these make it
# contradicted), a citation that points at the wrong source.
ProblemKind = Literal["figure", "negation", "quote", "speaker", "refuted", "citation"]


class Evidence(_Model):
    """A source sentence: one that bears a statement out, or one it conflicts with."""

    source: int = Field(ge=1)
    sentence: int = Field(ge=0, description="0-based index into the source's sentences")
    text: str


class Problem(_Model):
    """Why a statement is flagged, and the source sentence that shows it (when there is one)."""

    kind: ProblemKind
    detail: str
    conflicting: Evidence | None = None


class CheckedStatement(_Model):
    """One sentence of the draft's body, its verdict and what it rests on."""

    index: int = Field(ge=0, description="0-based position among the draft's statements")
    text: str
    citations: list[int] = Field(default_factory=list, description="the sources the draft cites for it ([n])")
    verdict: Verdict
    evidence: list[Evidence] = Field(default_factory=list, description="source sentences that say it")
    problems: list[Problem] = Field(default_factory=list)


class CheckReport(_Model):
    """A draft held against the sources: the public JSON contract of `summarize check --format json`."""

    draft: str = Field(description="the draft's path, or \"<text>\" for a draft given as text")
    sources: list[Source]
    statements: list[CheckedStatement]
    counts: dict[Verdict, int]
    warnings: list[str] = Field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Every statement supported and no citation pointing at the wrong source."""
        return all(s.verdict == "supported" and not s.problems for s in self.statements)

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent) + "\n"


def check_json_schema() -> dict[str, Any]:
    """The JSON Schema of the report that `summarize check --format json` writes."""
    return CheckReport.model_json_schema(mode="serialization")


# --- A feed grouped into events (`summarize cluster`) ------------------------------------------------


class EventCluster(_Model):
    """One event of a feed: the articles that report it (an event of one is a singleton)."""

    name: str = Field(description="a folder name made from the title, unique in one clustering")
    title: str
    members: list[str] = Field(min_length=1, description="the articles' paths")
    first_date: dt.date | None = None
    last_date: dt.date | None = None


class ListedEvent(EventCluster):
    """An event as CLUSTERS/clusters.json lists it: where its articles were copied."""

    folder: str = Field(description="the folder of its articles, inside the clusters folder")

    @field_validator("folder")
    @classmethod
    def _inside_the_listing(cls, folder: str) -> str:
        # The batch writes BRIEFS/<folder>.md: a path ("../x", "/tmp/x") would read and write
        # outside the two folders the user named.
        if not folder or folder in (".", "..") or "/" in folder or "\\" in folder:
            raise ValueError(f"{folder!r} is not the name of a folder inside the clusters folder")
        return folder


class ClusterListing(_Model):
    """CLUSTERS/clusters.json: what `summarize cluster` wrote and `summarize batch` reads."""

    events: list[ListedEvent] = Field(description="events of two or more articles, each with its folder")
    singletons: list[ListedEvent] = Field(default_factory=list, description="articles alone, in singletons/")
