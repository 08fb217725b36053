"""Stage 6, verify: every citation must point at a real sentence that supports the statement.

A citation is kept only when the cited sentence exists and supports the statement (the support test
of `text.support`: every number the statement states is in that sentence, and enough of its names
and content words are there too); together, the kept sentences must name everyone the statement
names. Statements left without a supporting citation are dropped, and so are agreements left with
fewer than two sources, exclusives that cite more than one source and disagreements left with fewer
than two positions; each drop is named in a warning. Addresses (URLs, Markdown links and images) that the cited
sentences do not contain are removed from statement text, so a model can never add a link the
sources did not have. A statement that gives its quote to "he" or to no one is told who speaks
(`Statement.speaker`) when the sentences it cites name that person and no other, with the reports
that name them (`Statement.speaker_sources`). A summary statement that
rests only on sources stating a report that other sources call false is given as theirs
(`Statement.attributed`).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from .models import BriefDraft, Citation, Disagreement, Source, SourceSummary, Statement
from .text.claims import context_speaker, named_speaker, unnamed_attribution
from .text.facts import extract_numbers
from .text.support import check_support, checkable, names
from .text.terms import content_terms

__all__ = ["NEUTRAL_TOPIC", "attributed_to_reporters", "strip_foreign_links", "verify_citations",
           "without_disputed_facts"]

# The topic of a disagreement whose own wording could not be verified.
NEUTRAL_TOPIC = "Where the reports differ"

# Markdown images and links, closed or cut off ("[here](https://x" at the end of a truncated answer),
# with an optional "title".
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?[^)\s>]*>?(?:\s+\"[^\"]*\")?\s*\)?")
_MARKDOWN_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\(\s*<?(?P<url>[^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)?")
# Raw HTML tags and <https://...> autolinks.
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<(?:https?|ftp|mailto):[^<>\s]*>", re.I)
# An address ends before the punctuation that ends its sentence.
_BARE_URL = re.compile(r"(?i)\b(?:(?:https?|ftp)://|www\.)[^\s<>]*[^\s<>.,;:!?)\]'\"”’]")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?])")
# What pointed at a removed address and now points at nothing: "see", "visit", an empty "( )", and
# the comma left before the end of the sentence.
_DANGLING_WORD = re.compile(
    r"(?:(?<=\()|\s+)(?:see|visit|click(?: here)?|read more(?: at)?|via|at)(?=\s*(?:[.,;:!?)]|$))", re.I
)
_EMPTY_BRACKETS = re.compile(r"\s*\(\s*\)")
_STRAY_COMMA = re.compile(r"[,;:]+(?=[.!?]|$)")


def strip_foreign_links(statement_text: str, cited_sentences: list[str]) -> str:
    """Remove links, images, tags and addresses that none of the cited sentences contain.

    A foreign link goes with its words ("click here" is no part of what a source said), an image
    always goes (a brief shows text), and a link the sources do have is kept as its words and its
    address. Nothing is left behind: no "[here](" of a link cut off, no alt text.
    """
    evidence = " ".join(cited_sentences)

    def link(match: re.Match[str]) -> str:
        url = match.group("url")
        if url and url in evidence:
            return f"{match.group('text')} {url}"
        return ""

    text = _MARKDOWN_IMAGE.sub(" ", statement_text)
    text = _MARKDOWN_LINK.sub(link, text)
    text = _HTML_TAG.sub(lambda m: m.group(0) if m.group(0) in evidence else " ", text)
    text = _BARE_URL.sub(lambda m: m.group(0) if m.group(0) in evidence else " ", text)
    text = " ".join(text.split())
    if text == " ".join(statement_text.split()):
        return text
    for pattern in (_DANGLING_WORD, _EMPTY_BRACKETS):
        text = pattern.sub("", text)
    return _STRAY_COMMA.sub("", _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)).strip()


class _Verifier:
    """Checks statements against the sources and collects a warning per thing dropped."""

    def __init__(self, sources: list[Source]) -> None:
        self.sentences_by_source = {source.id: source.sentences for source in sources}
        self.warnings: list[str] = []

    def sentence(self, citation: Citation) -> str | None:
        sentences = self.sentences_by_source.get(citation.source)
        if sentences is None or not 0 <= citation.sentence < len(sentences):
            return None
        return sentences[citation.sentence]

    def speaker(self, citation: Citation) -> str | None:
        """Who the cited sentence's "he said" or bare quote refers to in its article."""
        return context_speaker(self.sentences_by_source[citation.source], citation.sentence)

    def statement(self, statement: Statement, section: str) -> Statement | None:
        """The statement with only its supporting citations, or None when none supports it."""
        kept: list[Citation] = []
        for citation in dict.fromkeys(statement.citations):  # drop repeated citations, keep order
            sentence = self.sentence(citation)
            if sentence is None:
                self.warnings.append(
                    f"{section}: dropped a citation to source {citation.source}, sentence "
                    f"{citation.sentence}: no such sentence"
                )
                continue
            verdict = check_support(statement.text, sentence, speaker=self.speaker(citation))
            if not verdict.supported:
                self.warnings.append(
                    f"{section}: dropped a citation to source {citation.source}, sentence "
                    f"{citation.sentence} for “{_shorten(statement.text)}”: {verdict.reason}"
                )
                continue
            kept.append(citation)
        if not kept:
            self.warnings.append(
                f"{section}: dropped “{_shorten(statement.text)}”: no cited sentence supports it"
            )
            return None
        evidence = [s for c in kept if (s := self.sentence(c)) is not None]
        # One cited sentence may name only some of the people in a statement worded by another
        # source, but together the cited sentences must name them all: no name is invented.
        speakers = {term for c in kept if (name := self.speaker(c)) for term in content_terms(name)}
        unnamed = checkable(statement.text).names - set().union(speakers, *(checkable(s).terms for s in evidence))
        if unnamed:
            self.warnings.append(
                f"{section}: dropped “{_shorten(statement.text)}”: no cited sentence names "
                f"{', '.join(sorted(unnamed))}"
            )
            return None
        speaker, named_by = self.unnamed_speaker(statement.text, kept)
        return Statement(text=strip_foreign_links(statement.text, evidence), citations=kept,
                         speaker=speaker, speaker_sources=named_by)

    def unnamed_speaker(self, text: str, citations: list[Citation]) -> tuple[str | None, list[int]]:
        """Who says the words that the statement gives to no one named ("...," he insisted, or a
        bare quote), and which cited reports say so: the one person the cited sentences name, each
        itself or in the sentences just before it in its report. A sentence that gives the words
        to no one named counts for neither: The Independent's "America's top diplomat said" does
        not say it was Tillerson, so the brief names him only as the reports that do name him
        (`Statement.speaker_sources`, shown as "named by [1][2]"). (None, []) when the statement
        names its speaker or quotes no one, when no cited sentence names anyone, or when two name
        different people."""
        if named_speaker(text) is not None or not unnamed_attribution(text):
            return None, []
        named = [(c.source, named_speaker(self.sentences_by_source[c.source][c.sentence]) or self.speaker(c))
                 for c in citations]
        names = [name for _, name in named if name]
        if len({name.split()[-1].lower() for name in names}) != 1:
            return None, []
        return (min(names, key=lambda name: (len(name), name)),
                list(dict.fromkeys(source for source, name in named if name)))

    def statements(self, statements: list[Statement], section: str) -> list[Statement]:
        return [s for statement in statements if (s := self.statement(statement, section))]

    def agreements(self, statements: list[Statement]) -> list[Statement]:
        kept = []
        for verified in self.statements(statements, "agreements"):
            if len(verified.source_ids) >= 2:
                kept.append(verified)
            else:
                self.warnings.append(
                    f"agreements: dropped “{_shorten(verified.text)}”: fewer than two sources "
                    "support it once unsupported citations are removed"
                )
        return kept

    def exclusives(self, statements: list[Statement]) -> list[Statement]:
        kept = []
        for verified in self.statements(statements, "exclusives"):
            if len(verified.source_ids) == 1:
                kept.append(verified)
            else:
                self.warnings.append(
                    f"exclusives: dropped “{_shorten(verified.text)}”: it cites "
                    f"{len(verified.source_ids)} sources, so it is not reported by one source only"
                )
        return kept

    def disagreement(self, disagreement: Disagreement) -> Disagreement | None:
        # The topic is model-written too: a warning quotes it without addresses.
        section = f"disagreement “{strip_foreign_links(disagreement.topic, [])}”"
        positions = self.statements(disagreement.positions, section)
        distinct_sources = {source for position in positions for source in position.source_ids}
        enough_sources = disagreement.kind == "parties_dispute" or len(distinct_sources) >= 2
        if len(positions) < 2 or not enough_sources:
            self.warnings.append(f"{section}: dropped: fewer than two supported positions remain")
            return None
        # Like statement text, the topic keeps only addresses that its positions' sentences contain.
        evidence = [s for p in positions for c in p.citations if (s := self.sentence(c)) is not None]
        topic = strip_foreign_links(disagreement.topic, evidence) or "(untitled)"  # it was only an address
        # A model-written topic is a claim too: a figure or a name its positions' sentences do not
        # have would put words in the sources' mouths, so such a topic gives way to a neutral one.
        evidence_text = " ".join(evidence)
        after_first_word = topic.split(maxsplit=1)[1] if " " in topic else ""  # a label starts capitalised
        invented = ((extract_numbers(topic) - extract_numbers(evidence_text))
                    | (names(after_first_word) - checkable(evidence_text).terms))
        if invented:
            self.warnings.append(f"{section}: replaced the topic: its sentences do not state "
                                 f"{', '.join(sorted(invented))}")
            topic = NEUTRAL_TOPIC
        return Disagreement(topic=topic, kind=disagreement.kind, positions=positions)


def verify_citations(draft: BriefDraft, sources: list[Source], disputed_sources: Collection[int] = ()
                     ) -> tuple[BriefDraft, list[str]]:
    """The draft with every unsupported citation and statement removed, and a warning for each; a
    summary statement that rests only on `disputed_sources` (`Alignment.disputed_sources`) is given
    as theirs (`attributed_to_reporters`)."""
    verifier = _Verifier(sources)
    per_source = []
    for entry in draft.per_source:
        statements = verifier.statements(entry.summary, f"summary of source {entry.source}")
        # A per-source summary cites its own source only: anything else is a model's mistake.
        own = [s for s in statements if set(s.source_ids) == {entry.source}]
        if len(own) < len(statements):
            verifier.warnings.append(
                f"summary of source {entry.source}: dropped statements citing other sources"
            )
        per_source.append(SourceSummary(source=entry.source, summary=own))
    verified = BriefDraft(
        title=draft.title,
        summary=attributed_to_reporters(verifier.statements(draft.summary, "summary"), disputed_sources),
        agreements=verifier.agreements(draft.agreements),
        disagreements=[d for x in draft.disagreements if (d := verifier.disagreement(x))],
        exclusives=verifier.exclusives(draft.exclusives),
        per_source=per_source,
    )
    return verified, verifier.warnings


def without_disputed_facts(summary: list[Statement], disputed: Collection[Citation]
                           ) -> tuple[list[Statement], list[str]]:
    """The summary less each statement that rests only on `disputed` sentences (a report other
    sources call false, `Alignment.disputed`): cited, it is still told as what happened. A
    statement that also cites the sources calling it false says whose report it is, and stays."""
    told_false = set(disputed)
    kept, warnings = [], []
    for statement in summary:
        if statement.citations and told_false.issuperset(statement.citations):
            warnings.append(f"summary: dropped “{_shorten(statement.text)}”: it tells as fact a report that other "
                            "sources call false (see “Whether the report is true”)")
        else:
            kept.append(statement)
    return kept, warnings


def attributed_to_reporters(summary: list[Statement], disputed_sources: Collection[int]) -> list[Statement]:
    """The summary, each statement that rests only on sources stating a report others call false
    marked as theirs (`Statement.attributed`). Those sentences are not the report itself (the lede
    and `without_disputed_facts` keep that out), but they come from the same pen: "Doctors then
    learned that Phillips, his wife, and three children had contracted Ebola" is the hoax site's
    story, told in the brief's own voice. Marked, the brief says whose account it is; a statement
    that a source without such a report bears out too is the brief's to state."""
    telling = set(disputed_sources)
    if not telling:
        return summary
    return [statement.model_copy(update={"attributed": True})
            if statement.citations and telling.issuperset(statement.source_ids) else statement
            for statement in summary]


def _shorten(text: str, limit: int = 80) -> str:
    """The first `limit` characters of a statement, for warnings, without its addresses.

    A warning quotes model-written text that verification rejected: a link in it must not reach
    the brief through the warnings (GFM autolinks a bare URL even in escaped Markdown).
    """
    flat = " ".join(strip_foreign_links(text, []).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
