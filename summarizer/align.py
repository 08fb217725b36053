"""Cross-source alignment: which sentences of different sources report the same fact.

Deterministic, no LLM. The stages:

1. exact duplicates collapse into one node carrying every (source, sentence) occurrence;
2. nodes of different sources are linked by evidence that they state the same fact (TF-IDF cosine
   of the sentences, or of the quoted spans they carry) and merged by average linkage, never across
   conflicting figures;
3. groups with >= 2 sources become agreements, the rest exclusives;
4. `align_conflicts` finds conflicting figures and attributed disputes (see that module).

Cost is linear in sentences plus the sparse similarity entries above a floor; merges only visit
linked pairs, never all pairs.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .align_conflicts import find_disagreements
from .facts import extract_numbers, extract_quantities, extract_quotes
from .models import Alignment, Citation, FactGroup, Source
from .textsim import (
    centrality,
    content_terms,
    normalize_text,
    similar_pairs,
    tfidf_matrix,
)
from .verify import check_support

__all__ = ["align_sources", "SENTENCE_THRESHOLD", "QUOTE_THRESHOLD"]

# Tuned on the seeds: same-fact paraphrases and mere topical neighbours overlap between 0.2 and
# 0.4 ("differences over a U.S. missile strike on a Syrian air base" vs "ordering the strikes
# against the Syrian air base" is 0.40), so whole sentences must match at 0.45 or better.
SENTENCE_THRESHOLD = 0.45
# Quoted spans carry the strongest evidence: the three renderings of Putin's "level of trust"
# remark score 0.52-0.61 against each other, while different remarks sharing words stay <= 0.33.
QUOTE_THRESHOLD = 0.45
# A short quoted phrase ("working group") shared verbatim only links sentences that are also
# related as wholes; on its own it is a catchword, not a fact.
SHORT_QUOTE_TERMS = 3
SHORT_QUOTE_SENTENCE_FLOOR = 0.15
# Average linkage over all cross pairs of two groups (a missing pair counts as 0), in units of the
# thresholds above: 0.5 lets a third paraphrase join a pair it matches one half of, but stops
# chains where each sentence only resembles its neighbour.
LINKAGE_THRESHOLD = 0.5
EVIDENCE_CAP = 1.5  # one verbatim quote must not outvote several unrelated pairs in an average
PAIR_FLOOR = 0.1  # cosines below this count as 0 in averages (and are never materialised)
# "Reported by one source only" is a claim about every other source, so it needs evidence of
# absence: no sentence of another source may come this close (cosine), and the sentence must say
# something of its own (content words or figures that no other source uses). Ledes that describe
# the same meeting in other words score 0.2-0.27 against each other and are not exclusives.
EXCLUSIVE_MAX_SIMILARITY = 0.2
EXCLUSIVE_MIN_OWN_TERMS = 2
_MEASURES_THAT_BLOCK_MERGES = frozenset({"killed", "wounded", "people", "missiles", "strikes",
                                         "attacks", "percent", "date"})


@dataclass
class SentenceNode:
    """One distinct sentence (after normalisation) and every place it occurs."""

    text: str
    occurrences: list[Citation]
    sources: frozenset[int]
    relative_position: float  # earliest occurrence, as a fraction of its article (0 = lede)
    figures: dict[str, frozenset[str]] = field(default_factory=dict)  # measure -> figures stated
    quotes: list[str] = field(default_factory=list)


def _dedupe_key(text: str) -> str:
    """Texts equal up to case, quotes, punctuation and spacing share a key."""
    return " ".join(re.findall(r"\w+", normalize_text(text)))


def build_nodes(sources: Sequence[Source]) -> list[SentenceNode]:
    """Collapse exact duplicate sentences (across and within sources) into nodes, in first-seen order."""
    by_key: dict[str, SentenceNode] = {}
    for source in sorted(sources, key=lambda s: s.id):
        count = max(len(source.sentences), 1)
        for index, text in enumerate(source.sentences):
            key = _dedupe_key(text)
            if not key:
                continue
            citation = Citation(source=source.id, sentence=index)
            node = by_key.get(key)
            if node is None:
                by_key[key] = SentenceNode(text=text, occurrences=[citation], sources=frozenset({source.id}),
                                           relative_position=index / count)
            else:
                node.occurrences.append(citation)
                node.sources = node.sources | {source.id}
                node.relative_position = min(node.relative_position, index / count)
    nodes = list(by_key.values())
    for node in nodes:
        figures: dict[str, set[str]] = defaultdict(set)
        for quantity in extract_quantities(node.text):
            if quantity.measure in _MEASURES_THAT_BLOCK_MERGES:
                figures[quantity.measure].add(quantity.figure)
        node.figures = {measure: frozenset(values) for measure, values in figures.items()}
        node.quotes = extract_quotes(node.text)
    return nodes


def _source_labels(nodes: Sequence[SentenceNode]) -> np.ndarray:
    """A group label per node: its source, or a unique label when it already spans sources."""
    return np.array([min(n.sources) if len(n.sources) == 1 else -(k + 1) for k, n in enumerate(nodes)])


Pair = tuple[int, int]


def quote_links(nodes: Sequence[SentenceNode], labels: np.ndarray,
                sentence_sims: dict[Pair, float]) -> tuple[dict[Pair, float], set[Pair]]:
    """Node pairs linked by similar quoted spans: evidence in threshold units, and the pairs whose
    quotes are long enough to be one remark on their own (for who-said-what checks)."""
    spans: list[str] = []
    owners: list[int] = []
    term_counts: list[int] = []
    for k, node in enumerate(nodes):
        for quote in node.quotes:
            terms = len(content_terms(quote))
            if terms >= 2:
                spans.append(quote)
                owners.append(k)
                term_counts.append(terms)
    evidence: dict[tuple[int, int], float] = {}
    same_remark: set[tuple[int, int]] = set()
    if len(spans) < 2:
        return evidence, same_remark
    owner_labels = labels[np.array(owners)]
    for a, b, sim in similar_pairs(tfidf_matrix(spans), QUOTE_THRESHOLD, groups=owner_labels):
        i, j = sorted((owners[a], owners[b]))
        if i == j:
            continue
        shortest = min(term_counts[a], term_counts[b])
        if shortest < SHORT_QUOTE_TERMS:
            if sim < 0.99 or sentence_sims.get((i, j), 0.0) < SHORT_QUOTE_SENTENCE_FLOOR:
                continue
            value = 1.0
        else:
            value = sim / QUOTE_THRESHOLD
            same_remark.add((i, j))
        evidence[(i, j)] = max(evidence.get((i, j), 0.0), value)
    return evidence, same_remark


def _figures_conflict(a: dict[str, set[str]], b: dict[str, set[str]]) -> bool:
    """Two groups state different figures for a measure both mention: not the same fact."""
    return any(measure in b and not (a[measure] & b[measure]) for measure in a)


def same_fact_evidence(nodes: Sequence[SentenceNode], matrix: sp.csr_matrix
                       ) -> tuple[dict[tuple[int, int], float], set[tuple[int, int]]]:
    """Evidence (in threshold units, >= 1 links) that two nodes of different sources state one fact,
    from whole-sentence and quoted-span similarity; plus the pairs quoting one remark."""
    labels = _source_labels(nodes)
    sentence_sims = {(i, j): s for i, j, s in similar_pairs(matrix, PAIR_FLOOR, groups=labels)}
    evidence = {pair: sim / SENTENCE_THRESHOLD for pair, sim in sentence_sims.items()}
    quoted, same_remark = quote_links(nodes, labels, sentence_sims)
    for pair, value in quoted.items():
        evidence[pair] = max(evidence.get(pair, 0.0), value)
    return {pair: min(value, EVIDENCE_CAP) for pair, value in evidence.items()}, same_remark


def cluster_nodes(nodes: Sequence[SentenceNode], evidence: dict[tuple[int, int], float]) -> list[list[int]]:
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


def _is_clear(text: str) -> bool:
    """A sentence a reader can take on its own: a full clause, not opening on a pronoun or mid-quote."""
    words = text.split()
    first = words[0].strip("\"\u201c'").lower() if words else ""
    balanced = text.count("\u201c") == text.count("\u201d") and text.count('"') % 2 == 0
    return len(words) >= 6 and balanced and first not in {"he", "she", "it", "they", "this", "that", "we", "i"}


def _checkable_numbers(text: str) -> set[str]:
    """Figures a reader would check: counts of something, and anything written in digits.

    "our two countries" is phrasing, not a figure; it must not disqualify a member from speaking
    for the group.
    """
    digits = extract_numbers(re.sub(r"[A-Za-z]+", " ", text))
    counted = {q.figure.lstrip("<>=~") for q in extract_quantities(text) if q.measure and q.value is not None}
    return digits | counted


# Candidates for the representative wording that are checked against every member; bounded so a
# fact repeated by hundreds of articles costs a few hundred support checks, not its square.
REPRESENTATIVE_CANDIDATES = 5


def _representative(nodes: Sequence[SentenceNode], group: Sequence[int]) -> int:
    """The wording that the most members support (see verify), then by numbers, clarity, length."""
    numbers = {k: _checkable_numbers(nodes[k].text) for k in group}

    def rank(k: int) -> tuple[bool, bool, int, int, int]:
        subset = all(numbers[k] <= numbers[other] for other in group if other != k)
        first = nodes[k].occurrences[0]
        return (not subset, not _stands_alone(nodes[k].text), len(nodes[k].text), first.source, first.sentence)

    candidates = sorted(group, key=rank)[:REPRESENTATIVE_CANDIDATES]
    # The brief cites a member only when its sentence supports the representative's wording, so
    # the wording that most members (counted by their occurrences) support loses the fewest citations.
    supporters = {k: [m for m in group if check_support(nodes[k].text, nodes[m].text).supported] for k in candidates}
    support = {k: sum(len(nodes[m].occurrences) for m in members) for k, members in supporters.items()}
    sources = {k: len({s for m in members for s in nodes[m].sources}) for k, members in supporters.items()}
    # A wording that names its speaker and still holds for two sources beats one that holds for
    # more but leaves the reader asking who "he" is.
    return min(candidates, key=lambda k: (not (_stands_alone(nodes[k].text) and sources[k] >= 2),
                                          -support[k], rank(k)))


def _fact_group(nodes: Sequence[SentenceNode], group: Sequence[int], salience: np.ndarray) -> FactGroup:
    """A FactGroup citing every occurrence of every member, scored for ranking."""
    rep = _representative(nodes, group)
    members = sorted({c for k in group for c in nodes[k].occurrences}, key=lambda c: (c.source, c.sentence))
    sources = {c.source for c in members}
    earliest = min(nodes[k].relative_position for k in group)
    # Sources dominate; within a tier, facts from the top of the articles, then central ones.
    score = len(sources) + 0.5 * (1.0 - earliest) + 0.25 * float(salience[rep])
    return FactGroup(members=members, representative=nodes[rep].occurrences[0], text=nodes[rep].text,
                     score=round(score, 6))


def _closest_other_source(count: int, evidence: dict[tuple[int, int], float]) -> list[float]:
    """Per node, the highest similarity (cosine) to any node of another source."""
    closest = [0.0] * count
    for (i, j), value in evidence.items():
        similarity = value * SENTENCE_THRESHOLD  # evidence is in threshold units
        closest[i] = max(closest[i], similarity)
        closest[j] = max(closest[j], similarity)
    return closest


_QUOTE_ONLY = re.compile(r"^[\"“‘'][^\"”’]*[\"”’'][.!?]?$")
# "It was the eighth time ...": a dummy subject, not a pronoun that needs the sentence before.
_DUMMY_IT = re.compile(r"^It (?:is|was|has been|had been|will be|would be) ")
# "..., he said." names no one: out of its article the reader cannot tell who spoke.
_PRONOUN_SPEAKER = re.compile(r"[,”\"]\s*(?:he|she|they|we)\s+(?:said|added|told|warned|insisted|noted)\b[^,]*\.?$")


def _stands_alone(text: str) -> bool:
    """Readable out of its article: a clear clause with its speaker named, not a bare quotation."""
    text = text.strip()
    clear = _is_clear(text) or (_DUMMY_IT.match(text) is not None and _is_clear("The" + text[2:]))
    return clear and not _QUOTE_ONLY.match(text) and not _PRONOUN_SPEAKER.search(text)


def _own_terms(text: str) -> set[str]:
    """The distinct stemmed content words and numbers of a text."""
    return set(content_terms(text)) | extract_numbers(text)


def align_sources(sources: list[Source]) -> Alignment:
    """Agreements, exclusives and disagreements across the sources; same input, same output."""
    nodes = build_nodes(sources)
    if not nodes:
        return Alignment()
    matrix = tfidf_matrix([node.text for node in nodes])
    salience = centrality(matrix)
    peak = float(salience.max()) if salience.size else 0.0
    salience = salience / peak if peak > 0 else salience
    evidence, same_remark = same_fact_evidence(nodes, matrix)
    groups = cluster_nodes(nodes, evidence)
    disagreements = find_disagreements(nodes, matrix, same_remark, sources)
    # A sentence set against other sources' figures is not something "only one source reports".
    conflicting = {c for d in disagreements if d.kind == "sources_conflict" for p in d.positions
                   for c in p.citations}
    closest = _closest_other_source(len(nodes), evidence)
    sources_using = Counter(term for source in sources for term in _own_terms(" ".join(source.sentences)))
    agreements: list[FactGroup] = []
    exclusives: list[FactGroup] = []
    for group in groups:
        fact = _fact_group(nodes, group, salience)
        if len(fact.source_ids) >= 2:
            agreements.append(fact)
            continue
        terms = _own_terms(fact.text)
        own = [term for term in terms if sources_using[term] == 1]
        close = max(closest[k] for k in group)
        if (set(fact.members) & conflicting or close >= EXCLUSIVE_MAX_SIMILARITY
                or len(own) < EXCLUSIVE_MIN_OWN_TERMS or not _stands_alone(fact.text)):
            continue
        # Rank by how much the sentence says that no other source does (figures count double).
        novelty = (len(own) + sum(term.isdigit() for term in own)) / math.sqrt(len(terms))
        exclusives.append(fact.model_copy(update={"score": round(novelty + 0.25 * fact.score, 6)}))
    order = lambda g: (-g.score, g.representative.source, g.representative.sentence)  # noqa: E731
    return Alignment(agreements=sorted(agreements, key=order), exclusives=sorted(exclusives, key=order),
                     disagreements=disagreements)
