"""Sources that state different figures for one measure of one topic (`sources_conflict`).

Sentences of different sources about the same topic that state a quantity of the same measure
class (deaths, wounded, missiles, ...) with different figures. "More than 80" and "87" are
compatible in logic, but a newsroom wants each source's figure shown side by side, so any
difference in the stated figure counts; the same figure (or no figure) never does.
"""

from __future__ import annotations

from collections import defaultdict

from ...models import Disagreement
from ..nodes import citations_of
from .base import DetectorInput
from .common import event_phrase, related_components, sort_key, source_position

__all__ = ["figure_conflicts"]

# Counts of one event that can be compared across reports by topic alone: a story gives one death
# toll, however worded ("killed scores", "the slaughter of 87 civilians"). Durations and dates (too
# many unrelated "three months"/"April 4" per article to pair safely) and shares and headcounts (a
# survey states dozens) are compared only within one claim (detectors/claims.py).
CONFLICT_MEASURES = ("killed", "wounded", "missiles", "strikes", "attacks")
MEASURE_LABELS = {
    "killed": "Death toll", "wounded": "Number of wounded", "missiles": "Number of missiles",
    "strikes": "Number of strikes", "attacks": "Number of attacks",
}


def figure_conflicts(found: DetectorInput) -> list[Disagreement]:
    """Same measure, related topic, different stated figures across sources."""
    nodes = found.nodes
    disagreements = []
    stated: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))  # measure -> node -> figures
    for k, node in enumerate(nodes):
        for quantity in node.quantities:
            if quantity.measure in CONFLICT_MEASURES:
                stated[quantity.measure][k].add(quantity.figure)
    for measure in CONFLICT_MEASURES:
        figures_of = stated[measure]
        for component in related_components(nodes, found.vectors, found.similarity, sorted(figures_of),
                                            found.similarity.thresholds.related_topic, cross_source_only=True):
            by_figure: dict[str, list[int]] = defaultdict(list)
            for k in component:
                # A sentence stating two figures of one measure ("12 killed, 3 of them children")
                # is ambiguous about which is the total: it cannot take a side.
                if len(figures_of[k]) == 1:
                    by_figure[next(iter(figures_of[k]))].append(k)
            sources = {c.source for members in by_figure.values() for c in citations_of(nodes, members)}
            if len(by_figure) < 2 or len(sources) < 2:
                continue
            positions = []
            for _figure, members in sorted(by_figure.items(), key=lambda i: sort_key(nodes, i[1])):
                # Each source's version side by side: one position per source and figure.
                positions += [source_position(nodes, members, source)
                              for source in sorted({s for k in members for s in nodes[k].sources})]
            topic = f"{MEASURE_LABELS[measure]} of {event_phrase([nodes[k].text for k in component])}"
            disagreements.append(Disagreement(topic=topic, kind="sources_conflict", positions=positions))
    return disagreements

