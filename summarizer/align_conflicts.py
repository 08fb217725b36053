"""Disagreements found by `align`: sources reporting different values, and parties disputing a claim.

`sources_conflict` (the sources themselves differ):
  * figures: sentences of different sources about the same topic that state a quantity of the same
    measure class (deaths, wounded, missiles, ...) with different figures. "More than 80" and "87"
    are compatible in logic, but a newsroom wants each source's figure shown side by side, so any
    difference in the stated figure counts; the same figure (or no figure) never does.
  * who said what: one quote (by quoted-span similarity) attributed to different named speakers.

`parties_dispute` (the sources agree that parties contradict each other): attributed sentences
whose stance on one frame ("responsibility", "legality") is assert for some speakers and deny for
others, clustered by topic. Each side is one position citing all its sentences.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from .facts import (
    attributed_speaker,
    claim_frame,
    claim_speaker,
    extract_quantities,
    quote_speaker,
    stance,
)
from .facts_claims import stance_cue_span
from .models import Citation, Disagreement, Source, Statement
from .textsim import content_terms, similar_pairs

if TYPE_CHECKING:
    from .align import SentenceNode

__all__ = ["find_disagreements", "TOPIC_THRESHOLD", "CLAIM_WINDOW_WORDS"]

# Topic relatedness for figures is looser than "same fact": the four death-toll sentences of the
# seeds share only a few words ("gas", "killed", "Khan Sheikhoun") and score 0.06-0.2. What keeps
# unrelated numbers apart is the measure class, so the topic bar can stay low.
TOPIC_THRESHOLD = 0.06
# Claims are about the same thing when the names (or event nouns) next to their stance cues meet:
# cosine cannot tell "Moscow denies [hacking]" from "Moscow denies [the gas attack]" in short
# sentences, the words around "denies" can.
CLAIM_WINDOW_WORDS = 10
# Claims shown per side of a dispute: enough to show who says what, few enough to read.
MAX_CLAIMS_PER_SIDE = 3
# Counts that can be compared across reports; durations and dates are left out (too many unrelated
# "three months"/"April 4" per article to pair safely).
CONFLICT_MEASURES = ("killed", "wounded", "missiles", "strikes", "attacks", "people", "percent")
MEASURE_LABELS = {
    "killed": "Death toll", "wounded": "Number of wounded", "missiles": "Number of missiles",
    "strikes": "Number of strikes", "attacks": "Number of attacks", "people": "Number of people",
    "percent": "Percentage",
}
EVENT_NOUNS = ("attack", "explos", "bomb", "blast", "strik", "shoot", "crash", "fire", "earthq",
               "flood", "storm", "raid", "massac", "slaugh", "inciden")
_EVENT_NAMES = {"attack": "attack", "explos": "explosion", "bomb": "bombing", "blast": "blast",
                "strik": "strike", "shoot": "shooting", "crash": "crash", "fire": "fire",
                "earthq": "earthquake", "flood": "flood", "storm": "storm", "raid": "raid",
                "massac": "massacre", "slaugh": "attack", "inciden": "incident"}
_MODIFIERS = {"chemic": "chemical", "gas": "gas", "missil": "missile", "nerve": "nerve gas",
              "bomb": "bomb", "suicid": "suicide", "terror": "terror", "air": "air"}
_PRONOUN_ATTRIBUTION = ("he said", "she said", "he added", "she added", "he told", "she told",
                        "he insisted", "she insisted", "he warned", "she warned")


class _UnionFind:
    """Connected components over node indices; the smallest index names each component."""

    def __init__(self, items: Sequence[int]) -> None:
        self.parent = {k: k for k in items}

    def find(self, k: int) -> int:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def components(self) -> list[list[int]]:
        groups: dict[int, list[int]] = defaultdict(list)
        for k in sorted(self.parent):
            groups[self.find(k)].append(k)
        return [groups[root] for root in sorted(groups)]


def _related_components(nodes: Sequence[SentenceNode], matrix: sp.csr_matrix, subset: list[int],
                        threshold: float, *, cross_source_only: bool) -> list[list[int]]:
    """Components of `subset` linked by cosine >= threshold (block-wise sparse products)."""
    if not subset:
        return []
    labels = [min(nodes[k].sources) if len(nodes[k].sources) == 1 else -(k + 1) for k in subset]
    pairs = similar_pairs(matrix[subset], threshold, groups=labels if cross_source_only else None)
    components = _UnionFind(range(len(subset)))
    for a, b, _sim in pairs:
        components.union(a, b)
    return [[subset[i] for i in comp] for comp in components.components()]


def _citations(nodes: Sequence[SentenceNode], indices: Sequence[int]) -> list[Citation]:
    return sorted({c for k in indices for c in nodes[k].occurrences}, key=lambda c: (c.source, c.sentence))


def _earliest(nodes: Sequence[SentenceNode], indices: Sequence[int]) -> int:
    return min(indices, key=lambda k: (nodes[k].occurrences[0].source, nodes[k].occurrences[0].sentence))


def _event_phrase(texts: Sequence[str], prefer: Sequence[str] = EVENT_NOUNS) -> str:
    """'the chemical attack': the most frequent event noun (ties go to the earlier in `prefer`) and,
    when shared by two or more sentences, its usual modifier."""
    nouns: Counter[str] = Counter()
    modifiers: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        terms = content_terms(text)
        for position, term in enumerate(terms):
            noun = next((e for e in EVENT_NOUNS if term.startswith(e)), None)
            if noun is None:
                continue
            nouns[noun] += 1
            for before in terms[max(position - 2, 0):position]:
                if before in _MODIFIERS:
                    modifiers[noun][before] += 1
    if not nouns:
        return "the event"
    order = list(prefer) + [n for n in EVENT_NOUNS if n not in prefer]
    noun = min(nouns, key=lambda n: (-nouns[n], order.index(n)))
    common = [m for m, count in sorted(modifiers[noun].items(), key=lambda i: (-i[1], i[0])) if count >= 2]
    return "the " + (f"{_MODIFIERS[common[0]]} " if common else "") + _EVENT_NAMES[noun]


def figure_conflicts(nodes: Sequence[SentenceNode], matrix: sp.csr_matrix) -> list[Disagreement]:
    """Same measure, related topic, different stated figures across sources."""
    disagreements = []
    stated: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))  # measure -> node -> figures
    for k, node in enumerate(nodes):
        for quantity in extract_quantities(node.text):
            if quantity.measure in CONFLICT_MEASURES:
                stated[quantity.measure][k].add(quantity.figure)
    for measure in CONFLICT_MEASURES:
        figures_of = stated[measure]
        for component in _related_components(nodes, matrix, sorted(figures_of), TOPIC_THRESHOLD,
                                             cross_source_only=True):
            by_figure: dict[str, list[int]] = defaultdict(list)
            for k in component:
                # A sentence stating two figures of one measure ("12 killed, 3 of them children")
                # is ambiguous about which is the total: it cannot take a side.
                if len(figures_of[k]) == 1:
                    by_figure[next(iter(figures_of[k]))].append(k)
            sources = {c.source for members in by_figure.values() for c in _citations(nodes, members)}
            if len(by_figure) < 2 or len(sources) < 2:
                continue
            positions = []
            for _figure, members in sorted(by_figure.items(), key=lambda i: _sort_key(nodes, i[1])):
                # Each source's version side by side, in its own words: one position per source
                # and figure, worded by that source's shortest sentence stating it.
                for source in sorted({c.source for c in _citations(nodes, members)}):
                    own = [k for k in members if any(c.source == source for c in nodes[k].occurrences)]
                    shortest = min(own, key=lambda k: (len(nodes[k].text), _sort_key(nodes, [k])))
                    citations = [c for c in _ordered_citations(nodes, shortest, own) if c.source == source]
                    positions.append(Statement(text=nodes[shortest].text, citations=citations))
            topic = f"{MEASURE_LABELS[measure]} of {_event_phrase([nodes[k].text for k in component])}"
            disagreements.append(Disagreement(topic=topic, kind="sources_conflict", positions=positions))
    return disagreements


def _sort_key(nodes: Sequence[SentenceNode], members: Sequence[int]) -> tuple[int, int]:
    first = nodes[_earliest(nodes, members)].occurrences[0]
    return first.source, first.sentence


def quote_conflicts(nodes: Sequence[SentenceNode], quote_links: set[tuple[int, int]]) -> list[Disagreement]:
    """One quote attributed to different named speakers by different sources."""
    speakers = {k: quote_speaker(nodes[k].text) for k in {k for pair in quote_links for k in pair}}
    components = _UnionFind(sorted(speakers))
    for i, j in sorted(quote_links):
        components.union(i, j)
    disagreements = []
    for component in components.components():
        by_speaker: dict[str, list[int]] = defaultdict(list)
        for k in component:
            speaker = speakers[k]
            if speaker is not None:
                by_speaker[speaker].append(k)
        sources = {c.source for members in by_speaker.values() for c in _citations(nodes, members)}
        if len(by_speaker) < 2 or len(sources) < 2:
            continue
        quote = nodes[component[0]].quotes[0] if nodes[component[0]].quotes else nodes[component[0]].text
        short = quote if len(quote) <= 60 else quote[:57].rsplit(" ", 1)[0] + "..."
        positions = [Statement(text=nodes[_earliest(nodes, members)].text, citations=_citations(nodes, members))
                     for _speaker, members in sorted(by_speaker.items(), key=lambda i: _sort_key(nodes, i[1]))]
        disagreements.append(Disagreement(topic=f'Who said "{short}"', kind="sources_conflict",
                                          positions=positions))
    return disagreements


def _speaker_with_context(node: SentenceNode, sentences: dict[Citation, str]) -> tuple[str | None, bool]:
    """The claim's speaker, and whether it was named in the sentence itself; for "..., he said" the
    speaker named in the sentence just before (same source) stands in."""
    speaker = claim_speaker(node.text)
    if speaker is not None:
        return speaker, True
    first = node.occurrences[0]
    if first.sentence > 0 and any(p in node.text.lower() for p in _PRONOUN_ATTRIBUTION):
        previous = sentences.get(Citation(source=first.source, sentence=first.sentence - 1))
        return (attributed_speaker(previous) if previous else None), False
    return None, False


_CAPITALISED = re.compile(r"\b[A-Z][\w\u2019'-]*")


def _claim_window(text: str) -> str:
    """The words around the stance cue: where the claim's object is named."""
    span = stance_cue_span(text)
    if span is None:
        return ""
    before = text[: span[0]].split()[-CLAIM_WINDOW_WORDS:]
    after = text[span[1]:].split()[:CLAIM_WINDOW_WORDS]
    return " ".join(before + [text[span[0]:span[1]]] + after)


def _claim_anchors(text: str, parties: set[str]) -> set[str]:
    """Stemmed names and event nouns near the stance cue, minus the names of the parties speaking:
    a claim is about its object ("Assad", "the strike"), and "the US"/"Russia" are in every claim."""
    window = _claim_window(text)
    anchors = set(content_terms(" ".join(_CAPITALISED.findall(window)))) - parties
    anchors.update(t for t in content_terms(window) if any(t.startswith(e) for e in EVENT_NOUNS))
    return anchors


def _components_by_anchor(anchors: dict[int, set[str]]) -> list[list[int]]:
    """Claims sharing an anchor term, as connected components (via an inverted index, not pairs)."""
    components = _UnionFind(sorted(anchors))
    first_with: dict[str, int] = {}
    for k in sorted(anchors):
        for term in sorted(anchors[k]):
            if term in first_with:
                components.union(first_with[term], k)
            else:
                first_with[term] = k
    return components.components()


def _majority_sides(claims: dict[int, tuple[str, str, bool]], component: list[int]) -> dict[str, list[int]]:
    """Assert and deny members; a speaker found on both sides keeps only their majority side."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for k in component:
        votes[claims[k][0]][claims[k][1]] += 1
    sides: dict[str, list[int]] = {"assert": [], "deny": []}
    for k in component:
        speaker, position, _explicit = claims[k]
        other = "deny" if position == "assert" else "assert"
        if votes[speaker][position] > votes[speaker][other]:
            sides[position].append(k)
    return sides


def party_disputes(nodes: Sequence[SentenceNode], sources: Sequence[Source]) -> list[Disagreement]:
    """Assert-versus-deny clusters of attributed claims on one frame, labelled as parties' dispute."""
    sentences = {Citation(source=s.id, sentence=i): t for s in sources for i, t in enumerate(s.sentences)}
    claims: dict[str, dict[int, tuple[str, str, bool]]] = defaultdict(dict)  # frame -> node -> claim
    anchors: dict[str, dict[int, set[str]]] = defaultdict(dict)
    for k, node in enumerate(nodes):
        frame, position = claim_frame(node.text), stance(node.text)
        if frame not in ("responsibility", "legality") or position is None:
            continue
        speaker, explicit = _speaker_with_context(node, sentences)
        if speaker is not None:
            claims[frame][k] = (speaker, position, explicit)
    for frame, frame_claims in claims.items():
        parties = {term for speaker, _pos, _explicit in frame_claims.values() for term in content_terms(speaker)}
        parties.add("usa")  # the tokenizer's name for "US"/"U.S.", the commonest party of all
        for k in frame_claims:
            anchors[frame][k] = _claim_anchors(nodes[k].text, parties)
    disagreements = []
    for frame in ("responsibility", "legality"):
        for component in _components_by_anchor(anchors[frame]):
            sides = _majority_sides(claims[frame], component)
            if not sides["assert"] or not sides["deny"]:
                continue
            positions: list[Statement] = []
            for side in ("assert", "deny"):
                # One position per claim, in its own words and citing only itself: a claim worded by
                # one party cannot stand in for another's. Claims that name their speaker and stand
                # on their own come first.
                ranked = sorted(sides[side], key=lambda k: (not claims[frame][k][2],
                                                            not _is_standalone(nodes[k].text),
                                                            _sort_key(nodes, [k])))
                positions.extend(Statement(text=nodes[k].text, citations=list(nodes[k].occurrences))
                                 for k in ranked[:MAX_CLAIMS_PER_SIDE])
            # Legality is judged of an act (a strike, a raid); responsibility is sought for an attack.
            prefer = ("strik", "raid", "bomb") if frame == "legality" else ("attack",)
            event = _event_phrase([_claim_window(nodes[k].text) for k in component], prefer)
            topic = f"Responsibility for {event}" if frame == "responsibility" else f"Legality of {event}"
            disagreements.append(Disagreement(topic=topic, kind="parties_dispute", positions=positions))
    return disagreements


def _is_standalone(text: str) -> bool:
    """Not opening on a pronoun and not cut inside a quote."""
    first = text.split()[0].strip("\"\u201c").lower() if text.split() else ""
    return first not in {"he", "she", "it", "they", "this", "we", "i"} and text.count('"') % 2 == 0


def _ordered_citations(nodes: Sequence[SentenceNode], rep: int, members: Sequence[int]) -> list[Citation]:
    """The representative's citation first (it is the position's text), then the rest in order."""
    first = nodes[rep].occurrences
    rest = [c for c in _citations(nodes, members) if c not in first]
    return list(first) + rest


def find_disagreements(nodes: Sequence[SentenceNode], matrix: sp.csr_matrix,
                       quote_links: set[tuple[int, int]], sources: Sequence[Source]) -> list[Disagreement]:
    """Every disagreement, conflicts between sources first, each list in a stable order."""
    if not nodes:
        return []
    matrix = sp.csr_matrix(matrix, dtype=np.float64)
    conflicts = figure_conflicts(nodes, matrix) + quote_conflicts(nodes, quote_links)
    disputes = party_disputes(nodes, sources)
    key = lambda d: (d.positions[0].citations[0].source, d.positions[0].citations[0].sentence, d.topic)  # noqa: E731
    return sorted(conflicts, key=key) + sorted(disputes, key=key)
