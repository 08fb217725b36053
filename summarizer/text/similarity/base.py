"""The `Similarity` interface: texts to comparable vectors, plus the cut-offs that hold on its scale.

An implementation turns texts into L2-normalised rows (a scipy sparse matrix or a dense numpy
array) and declares its `Thresholds`: every number alignment compares a similarity with is read
from there, because a cosine of 0.45 means "same fact" for TF-IDF and something else for sentence
embeddings. Pairs above a threshold and centrality are computed here for both kinds of rows, block
by block, so that no Python loop ever visits all pairs of texts.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["Embedded", "Similarity", "Thresholds", "Vectors"]

# One L2-normalised row per text: sparse rows (scipy) or dense ones (numpy). scipy is imported
# only where sparse rows are handled: a run with dense rows never loads it (0.14 s of start-up).
Vectors: TypeAlias = "sp.csr_matrix | np.ndarray"
# How far an embedding has got: texts embedded so far, and of how many.
Embedded: TypeAlias = Callable[[int, int], None]
# Rows multiplied at once when pairs are found: a block holds 512 x n products (16 MB in float32 for
# n = 8,000 sentences), where all rows at once would hold n x n.
BLOCK_ROWS = 512


def _is_sparse(vectors: Any) -> bool:
    return not isinstance(vectors, np.ndarray)


@dataclass(frozen=True)
class Thresholds:
    """Cosine cut-offs of one similarity, each tuned on data for that similarity alone."""

    same_fact: float  # two whole sentences state one fact
    same_speaker_fact: float  # ... when both give one named speaker's words and one bears the other out
    same_quote: float  # two quoted spans render one remark
    verbatim: float  # a short quoted phrase shared word for word
    short_quote_context: float  # ... links its sentences only when they are at least this related
    floor: float  # below this a pair counts as unrelated and is never materialised
    related_topic: float  # figures stated about one topic (looser than same_fact)
    exclusive_ceiling: float  # a fact "only one source reports" has no other source's sentence this close
    same_event: float  # an article's lede this close to an event's centroid reports that event (cluster)


class Similarity(ABC):
    """Texts to vectors whose dot products are cosines, and the thresholds that hold on that scale."""

    name: ClassVar[str]
    thresholds: ClassVar[Thresholds]

    @abstractmethod
    def vectors(self, texts: Sequence[str]) -> Vectors:
        """One L2-normalised row per text; rows of one call are comparable with each other."""

    def prepare(self, texts: Sequence[str], *, on_embedded: Embedded | None = None) -> None:
        """Get ready to compare these texts (a similarity that embeds them does it here, once, before
        the stages that compare them run side by side); by default nothing. `on_embedded(done,
        total)` hears how far a long embedding has got (from the thread that embeds)."""
        return None

    def pairs(
        self,
        vectors: Vectors,
        threshold: float,
        *,
        groups: Sequence[int] | np.ndarray | None = None,
        block_rows: int = BLOCK_ROWS,
    ) -> list[tuple[int, int, float]]:
        """Pairs (i, j, cosine) with i < j and cosine >= threshold, sorted by (i, j).

        With `groups`, only pairs whose rows belong to different groups are kept (e.g. sentences of
        different sources). Computed as products of row blocks against all rows, so memory is
        bounded by one block's results (and the pairs kept).
        """
        blocks = list(self.pair_blocks(vectors, threshold, groups=groups, block_rows=block_rows))
        if not blocks:
            return []
        rows_all = np.concatenate([rows for rows, _cols, _sims in blocks])
        cols_all = np.concatenate([cols for _rows, cols, _sims in blocks])
        sims_all = np.minimum(np.concatenate([sims for _rows, _cols, sims in blocks]), 1.0)
        order = np.lexsort((cols_all, rows_all))
        return [(int(rows_all[k]), int(cols_all[k]), float(sims_all[k])) for k in order]

    def pair_blocks(
        self,
        vectors: Vectors,
        threshold: float,
        *,
        groups: Sequence[int] | np.ndarray | None = None,
        block_rows: int = BLOCK_ROWS,
    ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """The pairs of `pairs`, one block of rows at a time, as arrays (rows, columns, cosines), in
        no particular order: for a caller that only walks them (2,000 reports of one event have
        2.4 million related pairs, 350 MB as a list of tuples)."""
        n = vectors.shape[0]
        labels = None if groups is None else np.asarray(groups)
        if labels is not None and len(labels) != n:
            raise ValueError(f"groups has {len(labels)} labels for {n} rows; give one label per row")
        for row_ids, col_ids, values in _block_products(vectors, vectors, block_rows):
            keep = (values >= threshold - 1e-12) & (col_ids > row_ids)
            if labels is not None:
                keep &= labels[row_ids] != labels[col_ids]
            yield row_ids[keep], col_ids[keep], values[keep]

    def cross_pairs(self, left: Vectors, right: Vectors, threshold: float, *,
                    block_rows: int = BLOCK_ROWS) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Pairs of a row of `left` and a row of `right` (rows of one `vectors` call) with cosine >=
        threshold, one block of left rows at a time, as arrays (left row, right row, cosine): what
        is compared across two sets costs their product, not the square of their union."""
        for row_ids, col_ids, values in _block_products(left, right, block_rows):
            keep = values >= threshold - 1e-12
            yield row_ids[keep], col_ids[keep], np.minimum(values[keep], 1.0)

    def centrality(self, vectors: Vectors) -> np.ndarray:
        """Mean cosine of each row to all other rows, in O(rows) via the column sum (LexRank-like).

        A row's similarity to itself is left out: otherwise an off-topic sentence in a short text
        scores 1/n from itself alone and outranks sentences that share the text's topic.
        """
        n = vectors.shape[0]
        if n < 2:
            return np.zeros(n)
        if _is_sparse(vectors):
            import scipy.sparse as sp

            csr = sp.csr_matrix(vectors)
            total = np.asarray(csr.sum(axis=0)).ravel()
            self_similarity = np.asarray(csr.multiply(csr).sum(axis=1)).ravel()
            return (np.asarray(csr @ total).ravel() - self_similarity) / (n - 1)
        dense = np.asarray(vectors, dtype=np.float64)
        return (dense @ dense.sum(axis=0) - np.einsum("ij,ij->i", dense, dense)) / (n - 1)

    def cosines_to(self, vectors: Vectors, row: int) -> np.ndarray:
        """The cosine of every row to row `row` (itself included)."""
        if _is_sparse(vectors):
            import scipy.sparse as sp

            csr = sp.csr_matrix(vectors)
            return np.asarray((csr @ csr[row].T).toarray()).ravel()
        dense = np.asarray(vectors, dtype=np.float64)
        return dense @ dense[row]


def _block_products(left: Vectors, right: Vectors,
                    block_rows: int) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The stored entries (left row, right row, cosine) of left @ right.T, one block of left rows at
    a time, so that memory is bounded by one block's products."""
    rows: Any
    columns: Any
    if _is_sparse(left):
        import scipy.sparse as sp

        rows, columns = sp.csr_matrix(left), sp.csr_matrix(right).T.tocsc()
    else:
        rows, columns = np.asarray(left), np.asarray(right).T
    for start in range(0, rows.shape[0], block_rows):
        row_ids, col_ids, values = _entries(rows[start : start + block_rows] @ columns)
        yield row_ids + start, col_ids, values


def _entries(block: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, value) of the non-zero entries of a product block, sparse or dense."""
    if _is_sparse(block):
        coo = block.tocoo()
        return coo.row, coo.col, coo.data
    rows, cols = np.nonzero(block)
    return rows, cols, block[rows, cols]
