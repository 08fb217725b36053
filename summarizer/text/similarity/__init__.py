"""Similarities by name: the one table a new similarity is added to.

    >>> similarity = get_similarity("lexical")
    >>> vectors = similarity.vectors(["one text", "another text"])
    >>> similarity.pairs(vectors, similarity.thresholds.same_fact)
"""

from __future__ import annotations

from ...errors import ConfigError
from .base import Similarity, Thresholds, Vectors
from .lexical import LexicalSimilarity
from .semantic import SemanticSimilarity, SimilarityUnavailableError

__all__ = [
    "DEFAULT_SIMILARITY", "SIMILARITIES", "Similarity", "SimilarityUnavailableError", "Thresholds", "Vectors",
    "get_similarity",
]

SIMILARITIES: dict[str, type[Similarity]] = {
    LexicalSimilarity.name: LexicalSimilarity,
    SemanticSimilarity.name: SemanticSimilarity,
}
DEFAULT_SIMILARITY = LexicalSimilarity.name


def get_similarity(name: str = DEFAULT_SIMILARITY) -> Similarity:
    """A similarity from the table by name."""
    try:
        return SIMILARITIES[name]()
    except KeyError:
        raise ConfigError(f"unknown similarity {name!r}: use one of {', '.join(SIMILARITIES)}") from None
