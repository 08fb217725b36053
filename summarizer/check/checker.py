"""Each statement of a draft against the sources: supported, contradicted or unsupported.

The same machinery as the brief's: the run's similarity finds the source sentences closest to a
statement, and the one support test (text/support.py) decides whether one of them says it.

- supported: a source sentence bears the statement out (its figures, names, content, polarity);
  those sentences are the evidence.
- contradicted: a quote whose words no source has, though a source has a quote close to it; words
  a source gives to another speaker; a report that only sources others call false bear out, when a
  source close to it calls it false ("NASA confirmed six days of darkness", which only the hoax
  site says and a debunker calls a hoax: the brief lists it under "Whether the report is true");
  or, when no source bears it out, a source that says the same with another figure, or denies what
  it asserts.
- unsupported: no source says it.

A statement that one source bears out is not contradicted by another source's other figure: the
sources disagree there, which is the brief's business, not an error of the draft. A citation [n]
to a source that does not say the statement is reported, with the sources that do.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from ..align.detectors.veracity import refutation_cue, refuting_sources
from ..align.nodes import build_nodes
from ..models import CheckedStatement, Evidence, Problem, Source, Verdict
from ..text.claims import REMARK_WORDS, context_speaker, extract_quotes, named_speaker
from ..text.facts import extract_numbers
from ..text.refutation import veracity_cue
from ..text.similarity import Similarity
from ..text.support import SupportVerdict, check_support
from .draft import DraftStatement

__all__ = ["check_statements"]

# Source sentences looked at per statement: the closest by the similarity. A statement a source
# says is among the first few; a conflicting one is close by construction.
CANDIDATES = 8
# How alike two quotes' word sequences must be to be one remark quoted differently (difflib ratio).
SAME_REMARK_RATIO = 0.6

_WORD = re.compile(r"[\w']+")
_FIGURE = re.compile(r"\d[\d,.]*")


def check_statements(statements: Sequence[DraftStatement], sources: Sequence[Source],
                     similarity: Similarity) -> list[CheckedStatement]:
    """Every statement's verdict, evidence and problems, in the draft's order."""
    pool = [Evidence(source=source.id, sentence=index, text=text)
            for source in sources for index, text in enumerate(source.sentences)]
    if not statements:
        return []
    # One call, so that lexical rows share one vocabulary and IDF.
    vectors = similarity.vectors([e.text for e in pool] + [s.text for s in statements])
    source_ids = {source.id for source in sources}
    sentences = {source.id: source.sentences for source in sources}
    rows_of: dict[int, list[int]] = {}  # a source's sentences, as rows of the pool
    for j, row in enumerate(pool):
        rows_of.setdefault(row.source, []).append(j)
    # The sources that call a report false, as the brief's alignment finds them (a cue in a sentence
    # of their own); with none, nothing a source says is refuted by another.
    refuting = refuting_sources(build_nodes(sources)) if any(veracity_cue(e.text) for e in pool) else set()
    # Each statement against the sources' sentences only, in blocks: a draft of thousands of
    # sentences compared row by row against every row (its own included) took minutes.
    related: list[list[tuple[float, int]]] = [[] for _ in statements]
    for rows, columns, cosines in similarity.cross_pairs(vectors[len(pool):], vectors[: len(pool)],
                                                         similarity.thresholds.related_topic):
        for k, j, cosine in zip(rows.tolist(), columns.tolist(), cosines.tolist(), strict=True):
            related[k].append((-cosine, j))
    speakers: dict[int, str | None] = {}

    def candidate(j: int) -> _Candidate:
        """Row j of the pool, with whom its "he said" or bare quote refers to (found once a row)."""
        if j not in speakers:
            speakers[j] = context_speaker(sentences[pool[j].source], pool[j].sentence)
        return _Candidate(pool[j], speakers[j])

    checked = []
    for k, statement in enumerate(statements):
        closest = [j for _, j in sorted(related[k])[:CANDIDATES]]  # the most alike first; ties in the sources' order
        # Every sentence of a cited source may bear the statement out, however far down the
        # similarity ranks it: a brief cites a sentence that bears out the heart of a statement in
        # few of its words (text/support.py), and "[5] does not say this" must mean that no
        # sentence of [5] does.
        cited = [(number, j) for number in dict.fromkeys(statement.citations)
                 for j in rows_of.get(number, ()) if j not in closest]
        checked.append(_check_one(k, statement, [candidate(j) for j in closest], _CitedRows(cited, candidate),
                                  source_ids, refuting))
    return checked


class _CitedRows(NamedTuple):
    """The pool rows of the sources a statement cites beyond its candidates, read only as needed."""

    rows: list[tuple[int, int]]  # (source, row)
    candidate: Callable[[int], _Candidate]


class _Candidate(NamedTuple):
    """A source sentence close to the statement, and who its "he said" or bare quote refers to."""

    evidence: Evidence
    speaker: str | None


def _check_one(index: int, statement: DraftStatement, candidates: list[_Candidate], cited: _CitedRows,
               source_ids: set[int], refuting: set[int]) -> CheckedStatement:
    """One statement against the sentences closest to it (`candidates`) and the other sentences of
    the sources it cites (`cited`), which only ever add evidence."""
    text = statement.text
    verdicts = [check_support(text, c.evidence.text, speaker=c.speaker) for c in candidates]
    evidence = [c.evidence for c, verdict in zip(candidates, verdicts) if verdict.supported]
    evidence += _from_cited(text, evidence, cited)
    problems = _misquotes(text, candidates, statement.speaker or None)
    if not evidence:
        problems += _other_figure_or_negation(text, [c.evidence for c in candidates], verdicts)
    elif refuting and not statement.attributed:  # "**The hoax site:** ...", "According to the story, ..."
        evidence, refuted = _refuted(text, evidence, candidates, refuting)
        problems += refuted
    verdict: Verdict
    if any(p.kind in ("quote", "speaker", "refuted") for p in problems) or (not evidence and problems):
        verdict = "contradicted"
    else:
        verdict = "supported" if evidence else "unsupported"
    if statement.named_by:
        # " — Tillerson (named by [1][5]) [1][4][5]": [1] and [5] are cited for the words and who
        # speaks them, [4] for the words alone.
        problems += _citation_problems(statement.named_by, evidence, source_ids)
        words_evidence = [c.evidence for c in candidates
                          if check_support(statement.words, c.evidence.text, speaker=c.speaker).supported]
        words_evidence += _from_cited(statement.words, words_evidence, cited)
        problems += _citation_problems([n for n in statement.citations if n not in statement.named_by],
                                       words_evidence, source_ids)
    else:
        problems += _citation_problems(statement.citations, evidence, source_ids)
    return CheckedStatement(index=index, text=text, citations=list(statement.citations), verdict=verdict,
                            evidence=evidence, problems=problems)


def _from_cited(text: str, evidence: list[Evidence], cited: _CitedRows) -> list[Evidence]:
    """The first sentence bearing `text` out of each cited source that `evidence` has none of: one
    is enough to say the source says it, so the rest of that source is not read."""
    bearing = {e.source for e in evidence}
    found = []
    for source, j in cited.rows:
        if source in bearing:
            continue
        row = cited.candidate(j)
        if check_support(text, row.evidence.text, speaker=row.speaker).supported:
            found.append(row.evidence)
            bearing.add(source)
    return found


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def _contains(haystack: list[str], needle: list[str]) -> bool:
    """Whether `needle` occurs in `haystack` as a run of consecutive words."""
    width = len(needle)
    return any(haystack[i : i + width] == needle for i in range(len(haystack) - width + 1))


def _misquotes(text: str, candidates: list[_Candidate], given_to: str | None = None) -> list[Problem]:
    """Quotes of the statement that no source has word for word though one has them nearly
    (`quote`), or that a source gives to someone else (`speaker`) than the statement does: in its
    words, or after them as a brief names the speaker (" — Putin", `given_to`)."""
    problems: list[Problem] = []
    speaker = named_speaker(text) or given_to
    for quote in extract_quotes(text):
        words = _words(quote)
        if len(words) < REMARK_WORDS:
            continue
        quoted = [(c, _words(q)) for c in candidates for q in extract_quotes(c.evidence.text)
                  if len(_words(q)) >= REMARK_WORDS]
        exact = [c for c, source_words in quoted if _contains(source_words, words)]
        if exact:
            problems += _wrong_speaker(speaker, exact)
            continue
        near = [(difflib.SequenceMatcher(a=words, b=source_words, autojunk=False), c, source_words)
                for c, source_words in quoted]
        near = [item for item in near if item[0].ratio() >= SAME_REMARK_RATIO]
        if near:
            matcher, closest_candidate, source_words = max(near, key=lambda item: item[0].ratio())
            closest = closest_candidate.evidence
            changes = [f"\u201c{' '.join(words[i1:i2]) or '(nothing)'}\u201d where source {closest.source} has "
                       f"\u201c{' '.join(source_words[j1:j2]) or '(nothing)'}\u201d"
                       for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
            problems.append(Problem(kind="quote", detail="the quote's words differ: " + "; ".join(changes),
                                    conflicting=closest))
    return problems


def _wrong_speaker(speaker: str | None, quoting: list[_Candidate]) -> list[Problem]:
    """The statement gives a quote to `speaker`; the sources that have it name someone else (in
    the sentence, or in the sentences its "he said" or bare quote follows)."""
    if speaker is None:
        return []
    named = [(c.evidence, named_speaker(c.evidence.text) or c.speaker) for c in quoting]
    # A source that agrees on the speaker clears it; so does a source that does not say who spoke,
    # unless another names someone else. A source that names the speaker elsewhere in the sentence
    # ("Lavrov said, after he took Tillerson ...") does not.
    if any(who is not None and who.lower() == speaker.lower() for _source, who in named):
        return []
    others = [(source, who) for source, who in named if who is not None]
    if not others:
        return []
    source, who = others[0]
    return [Problem(kind="speaker", detail=f"source {source.source} gives these words to {who}, not {speaker}",
                    conflicting=source)]


def _other_figure_or_negation(text: str, candidates: list[Evidence], verdicts: list[SupportVerdict]) -> list[Problem]:
    """A source that says the same with another figure, or denies what the statement asserts
    (`verdicts`: the support test of the statement against each candidate)."""
    without_figures = _FIGURE.sub(" ", text)
    for candidate, verdict in zip(candidates, verdicts):
        # Denying is opposing only between two sentences that make the same claim otherwise: "a
        # Christian can never be an anti-Semite" is not opposed by "catholics should not try to
        # convert Jews and should fight anti-Semitism", which shares a word and a "not".
        if verdict.denies and check_support(text, candidate.text, read_negation=False).supported:
            return [Problem(kind="negation", detail=f"source {candidate.source} says the opposite ({verdict.reason})",
                            conflicting=candidate)]
        stated, theirs = extract_numbers(text), extract_numbers(candidate.text)
        if (stated - theirs and theirs - stated
                and check_support(without_figures, _FIGURE.sub(" ", candidate.text)).supported):
            detail = (f"the draft says {', '.join(sorted(stated - theirs))} where source {candidate.source} "
                      f"says {', '.join(sorted(theirs - stated))}")
            return [Problem(kind="figure", detail=detail, conflicting=candidate)]
    return []


def _refuted(text: str, evidence: list[Evidence], candidates: list[_Candidate],
             refuting: set[int]) -> tuple[list[Evidence], list[Problem]]:
    """A report that a source others call false bears out, while one of those others calls it false
    in a sentence close to the statement: the evidence less the sentences calling it false (the
    support test would read "The story claiming that NASA confirmed six days of darkness is a hoax"
    as bearing "NASA confirmed six days of darkness" out), and the problem. Not for a statement
    that itself calls something false: that is the refutation's side."""
    reported = [e for e in evidence if e.source not in refuting]
    if not reported or refutation_cue(text):
        return evidence, []
    calling_false = [c.evidence for c in candidates
                     if c.evidence.source in refuting and refutation_cue(c.evidence.text)]
    if not calling_false:
        return evidence, []
    reporting = ", ".join(str(source) for source in sorted({e.source for e in reported}))
    problem = Problem(kind="refuted", conflicting=calling_false[0],
                      detail=f"source {reporting} reports it, and source {calling_false[0].source} calls it false")
    return [e for e in evidence if e not in calling_false], [problem]


def _citation_problems(cited: Sequence[int], evidence: list[Evidence], source_ids: set[int]) -> list[Problem]:
    """Each cited source that does not bear the statement out, with the ones that do."""
    bearing = sorted({e.source for e in evidence})
    problems = []
    for number in cited:
        if number in bearing:
            continue
        if number not in source_ids:
            detail = f"[{number}] names no source (the sources are numbered 1 to {max(source_ids, default=0)})"
        else:
            detail = f"[{number}] does not say this"
        if bearing:
            detail += "; " + ", ".join(f"[{n}]" for n in bearing) + (" does" if len(bearing) == 1 else " do")
        problems.append(Problem(kind="citation", detail=detail))
    return problems
