"""Sources that report something as fact against sources that call it false (`sources_conflict`).

A source *refutes* when one of its sentences calls a report false, a hoax, satire or unconfirmed,
or casts doubt on it (`veracity_cue`); a source *vouches* when none of its sentences does. The
sentences of refuting sources that carry the cue, or that negate ("Kanye has not been banned"), are
set against the related sentences of the vouching sources (similarity >= `related_topic`, across
sources, through the similarity's blocked pairs), and each linked component with both kinds of
source is one disagreement. A verdict often names what it refutes only in the sentence before
("A recent rumor claims that Elon University has banned the term. But the rumor is not true."):
a sentence calling a report false that is related to no report on its own is compared through
that sentence instead. Doubt is not ("But NASA's Bill Cooke is skeptical."): a story that vouches
for a report may quote a party's doubt about it (two of the FNC-1 dev groups that all report the
claim as true did, and got a disagreement when doubt was compared through context too).

Stance is decided per source, not per sentence, on purpose: a story that repeats a rumour and then
debunks it holds both kinds of sentence, and it must not be set against itself; sources that all
debunk a story (or all repeat it) are one-sided and get no disagreement. Measured on the FNC-1 dev
claims (bench/quality.py): the per-sentence variant flagged half of the one-sided groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from ...models import Disagreement, Statement
from ...text.claims import claim_speaker, outside_quotes
from ...text.refutation import calls_false, negates, veracity_cue
from ...text.stances import claim_frame
from ..nodes import SentenceNode, source_labels
from .base import DetectorInput
from .common import UnionFind, sort_key

__all__ = ["TOPIC", "refutation_cue", "refuting_sources", "veracity_conflicts"]

# Shorter sentences are headlines, datelines and one-word verdicts ("FALSE."): they carry a stance
# but not what it is about, so they decide a source's stance without standing as a position.
MIN_POSITION_WORDS = 6
# Sources shown per side: enough to show who says what, few enough to read.
MAX_SOURCES_PER_SIDE = 3
TOPIC = "Whether the report is true"


def refuting_sources(nodes: Sequence[SentenceNode]) -> set[int]:
    """The sources that call a report false or doubtful in a sentence of their own."""
    return _refuters(nodes, {k: refutation_cue(node.text) for k, node in enumerate(nodes)})


def _refuters(nodes: Sequence[SentenceNode], cues: dict[int, str | None]) -> set[int]:
    return {source for k, cue in cues.items() if cue for source in nodes[k].sources}


def veracity_conflicts(found: DetectorInput) -> list[Disagreement]:
    """Reported as fact by some sources, called false or doubtful by others, on one related topic."""
    nodes = found.nodes
    cues = {k: refutation_cue(node.text) for k, node in enumerate(nodes)}
    refuting = _refuters(nodes, cues)
    vouching = {source.id for source in found.sources} - refuting
    if not refuting or not vouching:
        return []
    # A position asserts: the writer's question ("Want to buy a private island previously owned by
    # Tiger Woods?" stood for the report that the island was his) asserts nothing.
    long_enough = [k for k, node in enumerate(nodes)
                   if len(node.text.split()) >= MIN_POSITION_WORDS and "?" not in outside_quotes(node.text)]
    refutations = [k for k in long_enough if nodes[k].sources <= refuting
                   and (cues[k] or negates(nodes[k].text))]
    # A report that itself says "isn't" vouches for nothing the refutation could deny.
    reports = [k for k in long_enough if nodes[k].sources & vouching and not negates(nodes[k].text)]
    subset = refutations + reports
    if not refutations or not reports:
        return []
    labels = source_labels(nodes)
    links = _links(found, refutations, reports, labels)
    verdicts = {k for k in refutations if cues[k] and calls_false(nodes[k].text)}
    unlinked = verdicts - {a for a, _b, _cosine in links}
    context = _preceding_sentences(found, sorted(unlinked), refuting)
    links += [(context[c], b, cosine) for c, b, cosine in _links(found, list(context), reports, labels)]
    is_refutation = set(refutations)
    closest: dict[int, float] = defaultdict(float)  # node -> its highest link to the other side
    components = UnionFind(subset)
    for a, b, cosine in links:
        components.union(a, b)
        closest[a] = max(closest[a], cosine)
        closest[b] = max(closest[b], cosine)
    disagreements = []
    for component in components.components():
        linked = [k for k in component if k in closest]
        if not linked:
            continue
        reported = _best_per_source(nodes, [k for k in linked if k not in is_refutation], vouching, closest,
                                    cues)
        refuted = _best_per_source(nodes, [k for k in linked if k in is_refutation], refuting, closest, cues)
        # A negation alone ("NASA hasn't confirmed a link") is not a refutation of this report: at
        # least one linked sentence must call it false or doubtful in words.
        if reported and refuted and any(cues[k] for k in linked):
            disagreements.append(Disagreement(topic=TOPIC, kind="sources_conflict",
                                              positions=reported + refuted))
    return disagreements


def _links(found: DetectorInput, left: list[int], right: list[int], labels: np.ndarray) -> list[tuple[int, int, float]]:
    """(left node, right node, cosine) of the pairs across sources related at `related_topic`: only
    the cross product is compared, not every pair of the two sets together (2,000 reports of one
    event: 2.4 million pairs, 350 MB, before)."""
    if not left or not right:
        return []
    return [(left[a], right[b], cosine) for rows, cols, cosines
            in found.similarity.cross_pairs(found.vectors[left], found.vectors[right],
                                            found.similarity.thresholds.related_topic)
            for a, b, cosine in zip(rows.tolist(), cols.tolist(), cosines.tolist())
            if labels[left[a]] != labels[right[b]]]


def _preceding_sentences(found: DetectorInput, cue_nodes: list[int], refuting: set[int]) -> dict[int, int]:
    """For each cue node, the node of the sentence before it in a refuting source's article, if
    any: {preceding node: cue node} (a preceding sentence serves the first cue that has it)."""
    node_at = {(c.source, c.sentence): k for k, node in enumerate(found.nodes) for c in node.occurrences}
    context: dict[int, int] = {}
    for k in cue_nodes:
        for citation in found.nodes[k].occurrences:
            before = node_at.get((citation.source, citation.sentence - 1))
            if citation.source in refuting and before is not None and before != k:
                context.setdefault(before, k)
                break
    return context


def refutation_cue(text: str) -> str | None:
    """The sentence's veracity cue, unless it is a party's denial of guilt or legality ("Safronov
    said there was no evidence to prove the Assad regime ..."): that is a dispute between parties,
    which `party_disputes` reports as such, not the source calling a report false."""
    cue = veracity_cue(text)
    if cue and claim_frame(text) in ("responsibility", "legality") and claim_speaker(text):
        return None
    return cue


def _best_per_source(nodes: Sequence[SentenceNode], members: list[int],
                     sources: set[int], closest: dict[int, float],
                     cues: dict[int, str | None]) -> list[Statement]:
    """One position per source of the side, in source order: the source's sentence that says it
    most plainly (a refutation cue before a mere negation) and is closest to the other side."""
    by_source: dict[int, list[int]] = defaultdict(list)
    for k in members:
        for source in nodes[k].sources & sources:
            by_source[source].append(k)
    positions = []
    for source in sorted(by_source)[:MAX_SOURCES_PER_SIDE]:
        best = min(by_source[source], key=lambda k: (cues[k] is None, -closest[k], sort_key(nodes, [k])))
        positions.append(Statement(text=nodes[best].text,
                                   citations=[c for c in nodes[best].occurrences if c.source == source]))
    return positions
