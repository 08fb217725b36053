"""Similarities by name: the one table a new similarity is added to.

    >>> similarity = get_similarity("lexical")
    >>> vectors = similarity.vectors(["one text", "another text"])
    >>> similarity.pairs(vectors, similarity.thresholds.same_fact)
"""

from __future__ import annotations

from ...errors import ConfigError
from ...settings import DEFAULTS
from .base import Similarity, Thresholds, Vectors
from .lexical import LexicalSimilarity
from .semantic import SemanticSimilarity, SimilarityUnavailableError

__all__ = [
    "SIMILARITIES", "Similarity", "SimilarityUnavailableError", "Thresholds", "Vectors",
    "get_similarity",
]

SIMILARITIES: dict[str, type[Similarity]] = {
    LexicalSimilarity.name: LexicalSimilarity,
    SemanticSimilarity.name: SemanticSimilarity,
}


def get_similarity(name: str | None = None) -> Similarity:
    """A similarity from the table by name; without one, the default of settings.DEFAULTS."""
    name = name or DEFAULTS.similarity
    try:
        return SIMILARITIES[name]()
    except KeyError:
        raise ConfigError(f"unknown similarity {name!r}: use one of {', '.join(SIMILARITIES)}") from None
