"""What every disagreement detector is given, and the shape of a detector."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ...models import Disagreement, Source
from ...text.similarity import Similarity, Vectors
from ..nodes import Pair, SentenceNode

__all__ = ["Detector", "DetectorInput"]


@dataclass(frozen=True)
class DetectorInput:
    """The aligned sentences a detector looks at: the sources, their distinct sentences (nodes)
    with their vectors, the similarity that made them, and the node pairs that quote one remark."""

    sources: Sequence[Source]
    nodes: Sequence[SentenceNode]
    vectors: Vectors
    similarity: Similarity
    same_remark: frozenset[Pair]


# A detector returns the disagreements of one kind of evidence, each with its kind set.
Detector = Callable[[DetectorInput], list[Disagreement]]
