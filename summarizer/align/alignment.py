"""Stage 4, align: which sentences of different sources report the same fact, and where they differ.

Deterministic, no LLM. The steps:

1. exact duplicates collapse into one node carrying every (source, sentence) occurrence (`nodes`);
2. nodes of different sources are linked by evidence that they state the same fact (the
   similarity of the sentences, or of the quoted spans they carry) and merged by average linkage,
   never across conflicting figures (`linking`);
3. groups with >= 2 sources become agreements worded by the member the others bear out
   (`wording`); groups of one source become exclusives only with evidence that no other source
   says it, and only when they read on their own as whole sentences;
4. the disagreement detectors (`detectors`, one table) find conflicting values and disputes.

Cost is linear in sentences plus the similarity entries above a floor; merges only visit linked
pairs, never all pairs.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from ..models import Alignment, Citation, Disagreement, FactGroup, Source
from ..text.facts import extract_numbers
from ..text.readable import inside_quotations, readable_alone
from ..text.similarity import Similarity, get_similarity
from ..text.terms import content_terms
from .detectors import DETECTORS, Detector, DetectorInput, find_disagreements
from .detectors.veracity import TOPIC as VERACITY_TOPIC
from .detectors.veracity import refuting_sources
from .linking import cluster_nodes, compared_quotes, same_fact_evidence
from .nodes import Pair, SentenceNode, build_nodes
from .wording import fact_group

__all__ = ["align_sources"]

# "Reported by one source only" is a claim about every other source, so it needs evidence of
# absence: no sentence of another source may come close (the similarity's `exclusive_ceiling`), and
# the sentence must say something of its own: this many content words or figures no other source uses.
# It must also read as a report out of its article, as a lede item must (`text.readable`): a whole
# statement that stands alone, a remark with its speaker, not in the first person ("If i could
# afford font software, i'd make & release #hillvetica, free.", an embedded post; "... ( and
# candidates' takes on the issues, i guess )", the writer's aside), no fragment ("More than 500
# kinds of them."), and not inside a quotation opened in an earlier sentence (someone's words).
EXCLUSIVE_MIN_OWN_TERMS = 2


def compared_texts(sources: Sequence[Source]) -> list[str]:
    """Every text the alignment embeds: the sentences and the quoted spans it compares. A run
    embeds them all at once, before the stages that compare them (see `Similarity.prepare`)."""
    sentences = [sentence for source in sources for sentence in source.sentences]
    return sentences + [quote for sentence in sentences for quote in compared_quotes(sentence)]


def align_sources(sources: list[Source], similarity: Similarity | None = None,
                  detectors: tuple[Detector, ...] = DETECTORS) -> Alignment:
    """Agreements, exclusives and disagreements across the sources; same input, same output."""
    similarity = similarity or get_similarity()
    nodes = build_nodes(sources)
    if not nodes:
        return Alignment()
    vectors = similarity.vectors([node.text for node in nodes])
    salience = similarity.centrality(vectors)
    peak = float(salience.max()) if salience.size else 0.0
    salience = salience / peak if peak > 0 else salience
    evidence, same_remark = same_fact_evidence(nodes, vectors, similarity)
    groups = cluster_nodes(nodes, evidence)
    found = DetectorInput(sources=sources, nodes=nodes, vectors=vectors, similarity=similarity,
                          same_remark=frozenset(same_remark))
    disagreements = find_disagreements(found, detectors)
    # A sentence set against other sources' figures is not something "only one source reports".
    conflicting = {c for d in disagreements if d.kind == "sources_conflict" for p in d.positions
                   for c in p.citations}
    # Where some sources call a report false, they do not agree with the sources that report it,
    # whatever words they share: a debunker quotes the hoax ("The bogus report read: 'The world will
    # remain ... without sunlight due to a solar storm ...'"), and the two would be listed as
    # agreeing on it. A fact stated on both sides of such a disagreement is two facts, one a side.
    refuting = refuting_sources(nodes) if any(d.topic == VERACITY_TOPIC for d in disagreements) else set()
    quoted = {(source.id, index) for source in sources for index in inside_quotations(source.sentences)}
    told, telling = _disputed(nodes, disagreements, refuting, quoted)
    disputed = sorted(told, key=lambda c: (c.source, c.sentence))
    everyone = {source.id for source in sources}
    closest = _closest_other_source(len(nodes), evidence, similarity)
    sources_using = Counter(term for source in sources for term in _own_terms(" ".join(source.sentences)))
    agreements: list[FactGroup] = []
    exclusives: list[FactGroup] = []
    facts: list[FactGroup] = []
    for group, fact in _facts_by_side(nodes, groups, salience, [refuting, everyone - refuting]):
        facts.append(fact)
        if len(fact.source_ids) >= 2:
            agreements.append(fact)
            continue
        terms = _own_terms(fact.text)
        own = [term for term in terms if sources_using[term] == 1]
        close = max(closest[k] for k in group)
        if (set(fact.members) & conflicting or close >= similarity.thresholds.exclusive_ceiling
                or len(own) < EXCLUSIVE_MIN_OWN_TERMS or not readable_alone(fact.text)
                or (fact.representative.source, fact.representative.sentence) in quoted):
            continue
        # Rank by how much the sentence says that no other source does (figures count double).
        novelty = (len(own) + sum(term.isdigit() for term in own)) / math.sqrt(len(terms))
        exclusives.append(fact.model_copy(update={"score": round(novelty + 0.25 * fact.score, 6)}))
    order = lambda g: (-g.score, g.representative.source, g.representative.sentence)  # noqa: E731
    return Alignment(agreements=sorted(agreements, key=order), exclusives=sorted(exclusives, key=order),
                     disagreements=disagreements, facts=sorted(facts, key=order), disputed=disputed,
                     disputed_sources=sorted(telling))


def _disputed(nodes: list[SentenceNode], disagreements: list[Disagreement], refuting: set[int],
              quoted: set[tuple[int, int]]) -> tuple[set[Citation], set[int]]:
    """The sentences that state as fact a report other sources call false, and the sources that
    state it. The sentences: the reporting side's positions of "Whether the report is true"; the
    reporting sources' sentences that a refuting source quotes as the report it calls false (`The
    bogus report read: "... ` then, inside the quotation, "Despite the six days of darkness soon to
    come, officials say ..."); and a sentence a refuting source repeats word for word from a
    reporting one, wherever it stands: a debunker copies the hoax without marks ("After this latest
    incident, organizers of the major awards shows ... have ...", the satire site's words), and
    its copy, cited to the debunker, would tell the hoax as fact."""
    if not refuting:  # no source calls anything false (most runs): no need to visit every node
        return set(), set()
    told = {c for d in disagreements if d.topic == VERACITY_TOPIC for p in d.positions for c in p.citations
            if c.source not in refuting}
    for node in nodes:
        if any(c.source in refuting and (c.source, c.sentence) in quoted for c in node.occurrences):
            told.update(c for c in node.occurrences if c.source not in refuting)
    telling = {c.source for c in told}
    for node in nodes:
        if node.sources & telling and node.sources & refuting:
            told.update(node.occurrences)
    return told, telling


def _facts_by_side(nodes: list[SentenceNode], groups: list[list[int]], salience: np.ndarray,
                   sides: list[set[int]]) -> list[tuple[list[int], FactGroup]]:
    """Each group's fact, or a fact for each side (a set of sources) when its members are on more
    than one: (the nodes it is made of, the fact)."""
    facts = []
    for group in groups:
        fact = fact_group(nodes, group, salience)
        split = [side for side in sides if side & set(fact.source_ids)]
        if len(split) < 2:
            facts.append((group, fact))
            continue
        for side in split:
            part = [k for k in group if nodes[k].sources & side]
            facts.append((part, fact_group(nodes, part, salience, leaving_out=set().union(*sides) - side)))
    return facts


def _closest_other_source(count: int, evidence: dict[Pair, float], similarity: Similarity) -> list[float]:
    """Per node, the highest similarity to any node of another source."""
    closest = [0.0] * count
    for (i, j), value in evidence.items():
        cosine = value * similarity.thresholds.same_fact  # evidence is in threshold units
        closest[i] = max(closest[i], cosine)
        closest[j] = max(closest[j], cosine)
    return closest


def _own_terms(text: str) -> set[str]:
    """The distinct stemmed content words and numbers of a text."""
    return set(content_terms(text)) | extract_numbers(text)
