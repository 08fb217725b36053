"""Which nodes state the same fact: evidence from the similarity, then average-linkage grouping.

Evidence that two nodes of different sources state one fact comes from the similarity of the whole
sentences and of the quoted spans they carry, expressed in units of the similarity's own thresholds
(1.0 = just enough); and, for two sentences that give one named speaker's words, from their being
close and one bearing the other out (the support test). Groups are merged along that evidence by
average linkage, strongest first, never across conflicting figures. Merges only visit linked pairs,
never all pairs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from ..text.claims import extract_quotes, named_speaker
from ..text.similarity import Similarity, Vectors
from ..text.support import one_bears_the_other_out
from ..text.terms import content_terms
from .nodes import Pair, SentenceNode, source_labels

__all__ = ["cluster_nodes", "compared_quotes", "same_fact_evidence"]

# A quoted phrase of fewer content words than this ("working group") is a catchword unless it is
# shared verbatim between sentences that are also related as wholes.
SHORT_QUOTE_TERMS = 3
# Average linkage over all cross pairs of two groups (a missing pair counts as 0), in units of the
# thresholds: 0.5 lets a third paraphrase join a pair it matches one half of, but stops chains where
# each sentence only resembles its neighbour.
LINKAGE_THRESHOLD = 0.5
EVIDENCE_CAP = 1.5  # one verbatim quote must not outvote several unrelated pairs in an average


def quote_links(nodes: Sequence[SentenceNode], labels: np.ndarray, sentence_sims: dict[Pair, float],
                similarity: Similarity) -> tuple[dict[Pair, float], set[Pair]]:
    """Node pairs linked by similar quoted spans: evidence in threshold units, and the pairs whose
    quotes are long enough to be one remark on their own (for who-said-what checks)."""
    thresholds = similarity.thresholds
    spans: list[str] = []
    owners: list[int] = []
    term_counts: list[int] = []
    for k, node in enumerate(nodes):
        for quote, terms in _compared_quotes(node.quotes):
            spans.append(quote)
            owners.append(k)
            term_counts.append(terms)
    evidence: dict[Pair, float] = {}
    same_remark: set[Pair] = set()
    if len(spans) < 2:
        return evidence, same_remark
    owner_labels = labels[np.array(owners)]
    for a, b, sim in similarity.pairs(similarity.vectors(spans), thresholds.same_quote, groups=owner_labels):
        i, j = sorted((owners[a], owners[b]))
        if i == j:
            continue
        shortest = min(term_counts[a], term_counts[b])
        if shortest < SHORT_QUOTE_TERMS:
            if sim < thresholds.verbatim or sentence_sims.get((i, j), 0.0) < thresholds.short_quote_context:
                continue
            value = 1.0
        else:
            value = sim / thresholds.same_quote
            same_remark.add((i, j))
        evidence[(i, j)] = max(evidence.get((i, j), 0.0), value)
    return evidence, same_remark


def compared_quotes(sentence: str) -> list[str]:
    """The quoted spans of a sentence that `quote_links` compares (embedded with the sentences)."""
    return [quote for quote, _terms in _compared_quotes(extract_quotes(sentence))]


def _compared_quotes(quotes: Sequence[str]) -> list[tuple[str, int]]:
    """(span, content words) of the quotes that say something: two content words or more."""
    counted = ((quote, len(content_terms(quote))) for quote in quotes)
    return [(quote, terms) for quote, terms in counted if terms >= 2]


def _figures_conflict(a: dict[str, set[str]], b: dict[str, set[str]]) -> bool:
    """Two groups state different figures for a measure both mention: not the same fact."""
    return any(measure in b and not (a[measure] & b[measure]) for measure in a)


def same_fact_evidence(nodes: Sequence[SentenceNode], vectors: Vectors, similarity: Similarity
                       ) -> tuple[dict[Pair, float], set[Pair]]:
    """Evidence (in threshold units, >= 1 links) that two nodes of different sources state one fact,
    from whole-sentence and quoted-span similarity; plus the pairs quoting one remark."""
    thresholds = similarity.thresholds
    labels = source_labels(nodes)
    sentence_sims = {(i, j): s for i, j, s in similarity.pairs(vectors, thresholds.floor, groups=labels)}
    evidence = {pair: sim / thresholds.same_fact for pair, sim in sentence_sims.items()}
    quoted, same_remark = quote_links(nodes, labels, sentence_sims, similarity)
    for pair, value in quoted.items():
        evidence[pair] = max(evidence.get(pair, 0.0), value)
    for pair in _same_speaker_links(nodes, sentence_sims, similarity):
        evidence[pair] = max(evidence[pair], 1.0)
    return {pair: min(value, EVIDENCE_CAP) for pair, value in evidence.items()}, same_remark


def _same_speaker_links(nodes: Sequence[SentenceNode], sentence_sims: dict[Pair, float],
                        similarity: Similarity) -> list[Pair]:
    """Pairs below the same-fact cut-off that report one named speaker's words in other
    words: "Lavrov said Putin had agreed to restore a U.S.-Russia air safety agreement covering
    Syria ..." and "Mr Lavrov said the Kremlin was willing to reinstate an air safety agreement ..."
    (0.75 apart). Both name the speaker, they are close (`same_speaker_fact`), one bears the other
    out, and neither calls false or negates what the other does not: a debunker's "An article
    saying NASA confirmed six days of darkness is fake" names NASA as the hoax does. Without a
    named speaker this is not enough: "Scratch Christian Bale off the list of actors supposed to
    play Steve Jobs" is borne out, for the support test, by "Christian Bale is back in line to
    play Steve Jobs"."""
    thresholds = similarity.thresholds
    speakers: dict[int, frozenset[str]] = {}  # node -> the content words of its named speaker

    def speaker_terms(k: int) -> frozenset[str]:
        if k not in speakers:
            speaker = named_speaker(nodes[k].text) or nodes[k].speaker
            speakers[k] = frozenset(content_terms(speaker)) if speaker else frozenset()
        return speakers[k]

    links = []
    for (i, j), sim in sentence_sims.items():
        if not thresholds.same_speaker_fact <= sim < thresholds.same_fact:
            continue
        if not speaker_terms(i) & speaker_terms(j):
            continue
        a, b = nodes[i], nodes[j]
        if one_bears_the_other_out(a.text, b.text, first_speaker=a.speaker, second_speaker=b.speaker):
            links.append((i, j))
    return links


def cluster_nodes(nodes: Sequence[SentenceNode], evidence: dict[Pair, float]) -> list[list[int]]:
    """Average-linkage merge of nodes along same-fact evidence; returns groups of node indices."""
    neighbours: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), value in evidence.items():
        neighbours[i][j] = value
        neighbours[j][i] = value

    group_of = list(range(len(nodes)))
    members: dict[int, list[int]] = {k: [k] for k in range(len(nodes))}
    figures: dict[int, dict[str, set[str]]] = {
        k: {m: set(v) for m, v in node.figures.items()} for k, node in enumerate(nodes)
    }
    # Strongest evidence first; ties broken by index so the result never depends on dict order.
    for (i, j), value in sorted(evidence.items(), key=lambda item: (-item[1], item[0])):
        if value < 1.0:
            break
        gi, gj = group_of[i], group_of[j]
        if gi == gj or _figures_conflict(figures[gi], figures[gj]):
            continue
        total = sum(neighbours[a].get(b, 0.0) for a in members[gi] for b in members[gj])
        if total / (len(members[gi]) * len(members[gj])) < LINKAGE_THRESHOLD:
            continue
        keep, gone = min(gi, gj), max(gi, gj)
        for k in members[gone]:
            group_of[k] = keep
        members[keep].extend(members.pop(gone))
        for measure, values in figures.pop(gone).items():
            figures[keep].setdefault(measure, set()).update(values)
    return [sorted(group) for _, group in sorted(members.items())]
