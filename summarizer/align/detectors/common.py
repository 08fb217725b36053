"""Helpers the disagreement detectors share: components, citations, and naming the event."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from ...models import Statement
from ...text.similarity import Similarity, Vectors
from ...text.terms import content_terms
from ..nodes import SentenceNode, citations_of, source_labels

__all__ = ["EVENT_NOUNS", "UnionFind", "earliest", "event_phrase", "related_components", "sort_key",
           "source_position"]

# Stems of the nouns that name an event, and how a topic line spells them.
EVENT_NOUNS = ("attack", "explos", "bomb", "blast", "strik", "shoot", "crash", "fire", "earthq",
               "flood", "storm", "raid", "massac", "slaugh", "inciden")
_EVENT_NAMES = {"attack": "attack", "explos": "explosion", "bomb": "bombing", "blast": "blast",
                "strik": "strike", "shoot": "shooting", "crash": "crash", "fire": "fire",
                "earthq": "earthquake", "flood": "flood", "storm": "storm", "raid": "raid",
                "massac": "massacre", "slaugh": "attack", "inciden": "incident"}
_MODIFIERS = {"chemic": "chemical", "gas": "gas", "missil": "missile", "nerve": "nerve gas",
              "bomb": "bomb", "suicid": "suicide", "terror": "terror", "air": "air"}


class UnionFind:
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


def related_components(nodes: Sequence[SentenceNode], vectors: Vectors, similarity: Similarity,
                       subset: list[int], threshold: float, *, cross_source_only: bool) -> list[list[int]]:
    """Components of `subset` linked by a similarity >= threshold (block-wise products)."""
    if not subset:
        return []
    labels = source_labels(nodes)[subset]
    components = UnionFind(range(len(subset)))
    # Walked block by block: components need no list of every pair.
    for rows, cols, _cosines in similarity.pair_blocks(vectors[subset], threshold,
                                                        groups=labels if cross_source_only else None):
        for a, b in zip(rows.tolist(), cols.tolist()):
            components.union(a, b)
    return [[subset[i] for i in comp] for comp in components.components()]


def earliest(nodes: Sequence[SentenceNode], indices: Sequence[int]) -> int:
    """The node that occurs first, by (source, sentence)."""
    return min(indices, key=lambda k: (nodes[k].occurrences[0].source, nodes[k].occurrences[0].sentence))


def event_phrase(texts: Sequence[str], prefer: Sequence[str] = EVENT_NOUNS) -> str:
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


def sort_key(nodes: Sequence[SentenceNode], members: Sequence[int]) -> tuple[int, int]:
    """Where a set of nodes first occurs, for ordering positions and disagreements."""
    first = nodes[earliest(nodes, members)].occurrences[0]
    return first.source, first.sentence


def source_position(nodes: Sequence[SentenceNode], members: Sequence[int], source: int) -> Statement:
    """One source's version of a value, in its own words: its shortest sentence among `members`,
    cited first (it is the position's text), then the source's other sentences among them. A set,
    not the list of pydantic models, answers "already cited?": with a figure repeated by thousands
    of articles, the list's comparisons were most of the run."""
    own = [k for k in members if source in nodes[k].sources]
    shortest = min(own, key=lambda k: (len(nodes[k].text), sort_key(nodes, [k])))
    first = [c for c in nodes[shortest].occurrences if c.source == source]
    seen = set(first)
    return Statement(text=nodes[shortest].text,
                     citations=first + [c for c in citations_of(nodes, own) if c.source == source and c not in seen])
