"""Shared text-similarity toolkit: word normalisation, TF-IDF vectors and sparse cosine pairs.

Used by `align` (which sentences of different sources report the same fact) and by the extractive
engine (sentence centrality). Everything here is deterministic and linear in the number of
non-zero similarity entries: no Python loop ever visits all pairs of sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

__all__ = [
    "STOPWORDS",
    "normalize_text",
    "stem",
    "content_terms",
    "tfidf_matrix",
    "similar_pairs",
    "centrality",
]

# Function words plus the reporting verbs and news filler that every sentence of a report shares;
# left in, they make unrelated sentences look alike ("X said ..." vs "Y said ...").
STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves us
    said says say saying told added according mr ms mrs also however meanwhile would could one
    """.split()
)

_CURLY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                        "\u2014": "-", "\u2026": "..."})
# Abbreviations whose dots would otherwise split them into letters; "US" must not become the
# pronoun "us" (a stopword), so the country gets its own token.
_ABBREVIATIONS = (
    (re.compile(r"\bU\.\s?S\.(?:\s?A\.)?|\bUS\b|\bUSA\b"), " usa "),
    (re.compile(r"\bU\.\s?N\.|\bUN\b"), " un "),
    (re.compile(r"\bU\.\s?K\.|\bUK\b"), " uk "),
)
_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
_POSSESSIVE = re.compile(r"'s\b")

# Longest first: the first suffix that leaves a stem of >= 3 letters is stripped.
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ational", "ate"), ("ations", "ate"), ("ation", "ate"), ("ments", ""), ("ment", ""),
    ("ingly", ""), ("edly", ""), ("ings", ""), ("ing", ""), ("ies", "y"), ("ied", "y"),
    ("ian", "ia"), ("ness", ""), ("ers", ""), ("ed", ""), ("es", ""), ("ly", ""), ("er", ""),
    ("s", ""), ("e", ""),
)
# Prefix length kept after suffix stripping: six letters still separates most content words in
# news ("militia"/"military" aside) while merging transliterations and inflections that survive
# the suffix rules ("sheikhoun"/"sheikhun" -> "sheikh", "deteriorated"/"deteriorating" -> "deteri").
STEM_LENGTH = 6


def normalize_text(text: str) -> str:
    """Lowercase, straighten curly quotes and dashes, drop possessives, keep "US"/"UN" as words."""
    text = text.translate(_CURLY)
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    text = _POSSESSIVE.sub(" ", text.lower())
    # Other apostrophes are contractions or plural possessives: join rather than split the word.
    return text.replace("'", "")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light, deterministic stemmer: strip one common suffix, then keep a short prefix."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: len(word) - len(suffix)] + replacement
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word[:STEM_LENGTH]


def content_terms(text: str) -> list[str]:
    """The stemmed non-stopword tokens of a text, in order."""
    return [stem(tok) for tok in _TOKEN.findall(normalize_text(text)) if tok not in STOPWORDS]


def _word_ngrams(text: str) -> list[str]:
    """Unigrams and bigrams of the stemmed content terms."""
    terms = content_terms(text)
    return terms + [f"{a} {b}" for a, b in zip(terms, terms[1:])]


def tfidf_matrix(texts: Sequence[str]) -> sp.csr_matrix:
    """TF-IDF vectors (one L2-normalised row per text) over stemmed word unigrams and bigrams.

    The weighting is scikit-learn's TfidfVectorizer(sublinear_tf=True, smooth_idf=True, norm="l2"):
    tf = 1 + ln(count), idf = ln((1 + n) / (1 + df)) + 1. It is computed here with scipy because
    importing scikit-learn alone took 0.55 s, more than half of the whole run on five articles.
    Character n-grams were tried and left out: on the seeds they raised the similarity of
    unrelated sentences more than they helped spelling variants, which the stemmer already meets.
    """
    n = len(texts)
    if n == 0:
        return sp.csr_matrix((0, 0), dtype=np.float64)
    vocabulary: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    counts: list[int] = []
    for text in texts:
        row: dict[int, int] = {}
        for gram in _word_ngrams(text):
            column = vocabulary.setdefault(gram, len(vocabulary))
            row[column] = row.get(column, 0) + 1
        indices.extend(row)
        counts.extend(row.values())
        indptr.append(len(indices))
    if not vocabulary:  # every text empty after stopwords: no vocabulary at all
        return sp.csr_matrix((n, 1), dtype=np.float64)
    column_of = np.asarray(indices, dtype=np.int64)
    tf = 1.0 + np.log(np.asarray(counts, dtype=np.float64))
    document_frequency = np.bincount(column_of, minlength=len(vocabulary))
    idf = np.log((1.0 + n) / (1.0 + document_frequency)) + 1.0
    matrix = sp.csr_matrix((tf * idf[column_of], column_of, np.asarray(indptr)), shape=(n, len(vocabulary)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


def similar_pairs(
    matrix: sp.spmatrix,
    threshold: float,
    *,
    groups: Sequence[int] | np.ndarray | None = None,
    block_rows: int = 512,
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, cosine) with i < j and cosine >= threshold, from L2-normalised rows.

    With `groups`, only pairs whose rows belong to different groups are kept (e.g. sentences of
    different sources). Computed as sparse products of row blocks against the whole matrix, so
    memory is bounded by one block's non-zeros; the result is sorted by (i, j).
    """
    csr = sp.csr_matrix(matrix)
    n = csr.shape[0]
    labels = None if groups is None else np.asarray(groups)
    if labels is not None and len(labels) != n:
        raise ValueError(f"groups has {len(labels)} labels for {n} rows; give one label per row")
    transposed = csr.T.tocsc()
    rows_out: list[np.ndarray] = []
    cols_out: list[np.ndarray] = []
    sims_out: list[np.ndarray] = []
    for start in range(0, n, block_rows):
        block = (csr[start : start + block_rows] @ transposed).tocoo()
        rows = block.row + start
        keep = (block.data >= threshold - 1e-12) & (block.col > rows)
        if labels is not None:
            keep &= labels[rows] != labels[block.col]
        rows_out.append(rows[keep])
        cols_out.append(block.col[keep])
        sims_out.append(block.data[keep])
    if not rows_out:
        return []
    rows_all = np.concatenate(rows_out)
    cols_all = np.concatenate(cols_out)
    sims_all = np.minimum(np.concatenate(sims_out), 1.0)
    order = np.lexsort((cols_all, rows_all))
    return [(int(rows_all[k]), int(cols_all[k]), float(sims_all[k])) for k in order]


def centrality(matrix: sp.spmatrix) -> np.ndarray:
    """Mean cosine of each row to all other rows, in O(non-zeros) via the row sum (LexRank-like).

    A row's similarity to itself is left out: otherwise an off-topic sentence in a short text
    scores 1/n from itself alone and outranks sentences that share the text's topic.
    """
    csr = sp.csr_matrix(matrix)
    n = csr.shape[0]
    if n < 2:
        return np.zeros(n)
    total = np.asarray(csr.sum(axis=0)).ravel()
    self_similarity = np.asarray(csr.multiply(csr).sum(axis=1)).ravel()
    return (np.asarray(csr @ total).ravel() - self_similarity) / (n - 1)
