"""Similarities by name: the one table a new similarity is added to.

    >>> similarity = get_similarity("lexical")
    >>> vectors = similarity.vectors(["one text", "another text"])
    >>> similarity.pairs(vectors, similarity.thresholds.same_fact)
"""

from __future__ import annotations

from collections.abc import Callable

from ...errors import ConfigError
from ...settings import DEFAULTS
from . import semantic
from .base import Embedded, Similarity, Thresholds, Vectors
from .lexical import LexicalSimilarity
from .semantic import SemanticSimilarity, SimilarityUnavailableError

__all__ = [
    "SIMILARITIES", "Embedded", "Similarity", "SimilarityUnavailableError", "Thresholds", "Vectors",
    "embedding_progress", "get_similarity", "prepared_similarity",
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


def embedding_progress(report: Callable[[str], None], what: str) -> Embedded:
    """An `on_embedded` that tells `report` how far the embedding of `what` has got, each tenth of
    the way and at the end; nothing for an embedding of one slice (the seeds take a second). A brief
    of 2,000 reports embeds 80,000 sentences, minutes on 2 cores, in hundreds of slices."""
    told = -1

    def embedded(done: int, total: int) -> None:
        nonlocal told
        tenth = done * 10 // total
        if total > semantic.EMBEDDED_PER_SLICE and tenth > told:
            told = tenth
            report(f"embedded {done:,} of {total:,} {what} new to the vector cache")

    return embedded


def prepared_similarity(name: str | None, texts: list[str], warnings: list[str], *,
                        on_embedded: Embedded | None = None) -> Similarity:
    """The similarity asked for, ready for `texts`; lexical, with a warning added to `warnings`, when
    the semantic model cannot load (found when it is first needed: a run whose sentences are all
    in the vector cache needs none). `on_embedded` hears how far the embedding has got."""
    try:
        similarity = get_similarity(name)
        similarity.prepare(texts, on_embedded=on_embedded)
        return similarity
    except SimilarityUnavailableError as exc:
        warnings.append(f"{exc}; compared sentences by their words (lexical similarity) instead")
        return get_similarity("lexical")
