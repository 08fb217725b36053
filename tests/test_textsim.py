"""Tests for the shared text-similarity toolkit."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from summarizer.textsim import centrality, content_terms, normalize_text, similar_pairs, stem, tfidf_matrix


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sheikhoun", "Sheikhun"),
        ("deteriorated", "deteriorate"),
        ("killed", "kills"),
        ("Syrian", "Syria"),
        ("strikes", "strike"),
        ("civilians", "civilian"),
    ],
)
def test_stem_meets_variants(a: str, b: str) -> None:
    assert content_terms(a) == content_terms(b)


def test_stem_keeps_distinct_words_apart() -> None:
    assert stem("trust") != stem("treaty")
    assert stem("attack") != stem("attend")


def test_normalize_text_handles_quotes_possessives_and_us() -> None:
    text = normalize_text("Washington\u2019s \u201cU.S.\u201d strike")
    assert "washington " in text and "'" not in text and "usa" in text
    # "US" the country is a word; "us" the pronoun is a stopword.
    assert "usa" in content_terms("the US said") and content_terms("tell us") == ["tell"]


def test_tfidf_rows_are_l2_normalised() -> None:
    matrix = tfidf_matrix(["Russia vetoed the resolution.", "The vote failed at the UN.", "the of and"])
    assert isinstance(matrix, sp.csr_matrix)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    assert norms[:2] == pytest.approx([1.0, 1.0])
    assert norms[2] == 0.0  # stopwords only: an empty row, not a crash


def test_tfidf_empty_input() -> None:
    assert tfidf_matrix([]).shape == (0, 0)


def test_similar_pairs_threshold_and_groups() -> None:
    texts = [
        "The explosion killed 12 people in the market.",
        "An explosion killed 12 people at the market.",
        "The explosion killed 12 people in the market.",
        "Parliament passed the budget on Tuesday.",
    ]
    matrix = tfidf_matrix(texts)
    pairs = similar_pairs(matrix, 0.5)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1), (0, 2), (1, 2)]
    assert all(i < j and sim >= 0.5 for i, j, sim in pairs)
    grouped = similar_pairs(matrix, 0.5, groups=[1, 2, 1, 3])
    assert [(i, j) for i, j, _ in grouped] == [(0, 1), (1, 2)]


def test_similar_pairs_blocks_agree_with_dense() -> None:
    rng = np.random.default_rng(0)
    words = [f"w{k}" for k in range(40)]
    texts = [" ".join(rng.choice(words, size=8)) for _ in range(60)]
    matrix = tfidf_matrix(texts)
    small_blocks = similar_pairs(matrix, 0.3, block_rows=7)
    dense = (matrix @ matrix.T).toarray()
    expected = [(i, j) for i in range(60) for j in range(i + 1, 60) if dense[i, j] >= 0.3 - 1e-12]
    assert [(i, j) for i, j, _ in small_blocks] == expected


def test_similar_pairs_rejects_wrong_group_count() -> None:
    with pytest.raises(ValueError, match="one label per row"):
        similar_pairs(tfidf_matrix(["a b c", "d e f"]), 0.1, groups=[1])


def test_centrality_prefers_the_typical_sentence() -> None:
    texts = ["Russia vetoed the UN resolution on Syria.", "Russia vetoed the resolution.", "Bananas are yellow."]
    scores = centrality(tfidf_matrix(texts))
    assert scores[0] > scores[2] and scores[1] > scores[2]
    assert scores[2] == pytest.approx(0.0)  # its similarity to itself does not count


def test_centrality_of_tiny_inputs() -> None:
    assert centrality(tfidf_matrix(["Only one sentence."])).tolist() == [0.0]
