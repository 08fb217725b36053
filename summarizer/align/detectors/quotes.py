"""One quote attributed to different named speakers by different sources (`sources_conflict`).

Two sentences quote one remark when their quoted spans are similar enough on their own (alignment
finds these pairs while linking); the detector compares who each source says spoke.
"""

from __future__ import annotations

from collections import defaultdict

from ...models import Disagreement, Statement
from ...text.claims import quote_speaker
from ..nodes import citations_of
from .base import DetectorInput
from .common import UnionFind, earliest, sort_key

__all__ = ["quote_conflicts"]


def quote_conflicts(found: DetectorInput) -> list[Disagreement]:
    """One quote attributed to different named speakers by different sources."""
    nodes, quote_links = found.nodes, found.same_remark
    speakers = {k: quote_speaker(nodes[k].text) for k in {k for pair in quote_links for k in pair}}
    components = UnionFind(sorted(speakers))
    for i, j in sorted(quote_links):
        components.union(i, j)
    disagreements = []
    for component in components.components():
        by_speaker: dict[str, list[int]] = defaultdict(list)
        for k in component:
            speaker = speakers[k]
            if speaker is not None:
                by_speaker[speaker].append(k)
        sources = {c.source for members in by_speaker.values() for c in citations_of(nodes, members)}
        if len(by_speaker) < 2 or len(sources) < 2:
            continue
        quote = nodes[component[0]].quotes[0] if nodes[component[0]].quotes else nodes[component[0]].text
        short = quote if len(quote) <= 60 else quote[:57].rsplit(" ", 1)[0] + "..."
        positions = [Statement(text=nodes[earliest(nodes, members)].text, citations=citations_of(nodes, members))
                     for _speaker, members in sorted(by_speaker.items(), key=lambda i: sort_key(nodes, i[1]))]
        disagreements.append(Disagreement(topic=f'Who said "{short}"', kind="sources_conflict",
                                          positions=positions))
    return disagreements
