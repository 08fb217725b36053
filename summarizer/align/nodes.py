"""Alignment's units: one node per distinct sentence, carrying every place it occurs.

Exact duplicates (up to case, quotes, punctuation and spacing) across and within sources collapse
into one node, so a sentence syndicated by ten outlets is compared once and cited ten times. Each
node also carries what the grouping and the detectors look at: the figures it states and its quotes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..models import Citation, Source
from ..text.claims import context_speaker, extract_quotes
from ..text.facts import Quantity, extract_quantities
from ..text.terms import normalize_text

__all__ = ["Pair", "SentenceNode", "build_nodes", "citations_of", "source_labels"]

# Two node indices, the smaller first.
Pair = tuple[int, int]

# Measures whose different figures mean two sentences cannot report the same fact.
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
    quantities: tuple[Quantity, ...] = ()  # every quantity it states (facts.extract_quantities), once
    quotes: list[str] = field(default_factory=list)
    # Who its "he said" or bare quote refers to where it first occurs (claims.context_speaker).
    speaker: str | None = None


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
                                           relative_position=index / count,
                                           speaker=context_speaker(source.sentences, index))
            else:
                node.occurrences.append(citation)
                node.sources = node.sources | {source.id}
                node.relative_position = min(node.relative_position, index / count)
    nodes = list(by_key.values())
    for node in nodes:
        figures: dict[str, set[str]] = defaultdict(set)
        node.quantities = tuple(extract_quantities(node.text))
        for quantity in node.quantities:
            if quantity.measure in _MEASURES_THAT_BLOCK_MERGES:
                figures[quantity.measure].add(quantity.figure)
        node.figures = {measure: frozenset(values) for measure, values in figures.items()}
        node.quotes = extract_quotes(node.text)
    return nodes


def source_labels(nodes: Sequence[SentenceNode]) -> np.ndarray:
    """A group label per node: its source, or a unique label when it already spans sources."""
    return np.array([min(n.sources) if len(n.sources) == 1 else -(k + 1) for k, n in enumerate(nodes)])


def citations_of(nodes: Sequence[SentenceNode], indices: Sequence[int]) -> list[Citation]:
    """Every occurrence of the given nodes, in (source, sentence) order."""
    return sorted({c for k in indices for c in nodes[k].occurrences}, key=lambda c: (c.source, c.sentence))
