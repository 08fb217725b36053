"""The Similarity interface, its lexical (TF-IDF) implementation, and the word normalisation under it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import scipy.sparse as sp

from summarizer.errors import ConfigError
from summarizer.settings import DEFAULTS
from summarizer.text.similarity import SIMILARITIES, Similarity, Thresholds, get_similarity
from summarizer.text.similarity.lexical import LexicalSimilarity, tfidf_matrix
from summarizer.text.terms import content_terms, normalize_text, stem

LEXICAL = LexicalSimilarity()


def similar_pairs(matrix, threshold, **options):  # type: ignore[no-untyped-def]
    return LEXICAL.pairs(matrix, threshold, **options)


def centrality(matrix):  # type: ignore[no-untyped-def]
    return LEXICAL.centrality(matrix)


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


class _DenseCopy(Similarity):
    """The lexical vectors as a dense array: the base class's maths must not care which kind it gets."""

    name = "dense-copy"
    thresholds = LexicalSimilarity.thresholds

    def vectors(self, texts):  # type: ignore[no-untyped-def]
        return tfidf_matrix(texts).toarray()


TEXTS = [
    "The explosion killed 12 people in the market.",
    "An explosion killed 12 people at the market.",
    "Parliament passed the budget on Tuesday.",
    "The budget passed parliament after a long debate on Tuesday.",
    "Bananas are yellow.",
]


def test_dense_and_sparse_rows_give_the_same_pairs_centrality_and_cosines() -> None:
    dense = _DenseCopy()
    sparse_rows, dense_rows = LEXICAL.vectors(TEXTS), dense.vectors(TEXTS)
    assert isinstance(dense_rows, np.ndarray)
    sparse_pairs = LEXICAL.pairs(sparse_rows, 0.1, groups=[1, 2, 3, 4, 5], block_rows=2)
    dense_pairs = dense.pairs(dense_rows, 0.1, groups=[1, 2, 3, 4, 5], block_rows=2)
    assert [(i, j) for i, j, _ in dense_pairs] == [(i, j) for i, j, _ in sparse_pairs] != []
    assert [s for *_, s in dense_pairs] == pytest.approx([s for *_, s in sparse_pairs])
    assert dense.centrality(dense_rows) == pytest.approx(LEXICAL.centrality(sparse_rows))
    assert dense.cosines_to(dense_rows, 2) == pytest.approx(LEXICAL.cosines_to(sparse_rows, 2))
    assert LEXICAL.cosines_to(sparse_rows, 2)[2] == pytest.approx(1.0)


def test_the_table_names_each_similarity_once_and_rejects_unknown_names() -> None:
    assert DEFAULTS.similarity in SIMILARITIES
    for name, kind in SIMILARITIES.items():
        assert kind.name == name and isinstance(kind.thresholds, Thresholds)
    assert get_similarity().name == DEFAULTS.similarity == "semantic"
    with pytest.raises(ConfigError, match=r"unknown similarity 'nope'.*lexical"):
        get_similarity("nope")


def test_thresholds_are_ordered_as_alignment_assumes() -> None:
    # Below the floor nothing is materialised, so every cut-off alignment compares must lie above it
    # (the topic bar is the exception by design: figure topics are matched on a separate, looser
    # product); "same fact" is stricter than "no other source comes close".
    t = LexicalSimilarity.thresholds
    assert t.floor < t.exclusive_ceiling < t.same_fact <= t.verbatim <= 1.0
    assert t.related_topic < t.same_fact and t.short_quote_context < t.same_fact


# --- the semantic similarity (MiniLM, ONNX Runtime) ------------------------------------------------

from importlib import resources  # noqa: E402

from summarizer.settings import SimilarityName  # noqa: E402
from summarizer.text.similarity import semantic  # noqa: E402
from summarizer.text.similarity.semantic import SemanticSimilarity, SimilarityUnavailableError  # noqa: E402

# Paraphrases from the dev data's clusters (not the seeds): few shared words, one fact.
PARAPHRASE = ("Google is reportedly planning to get back into China, a lucrative market.",
              "The planned move will mark the first time in almost a decade that the internet giant has operated its "
              "search engine in the country.")
UNRELATED = "Northwestern football players qualify under federal law as employees of the university."


def test_the_settings_name_every_similarity_of_the_table() -> None:
    from typing import get_args

    assert set(get_args(SimilarityName)) == set(SIMILARITIES)


def test_semantic_vectors_are_unit_rows_that_rank_a_paraphrase_above_an_unrelated_sentence(tmp_path) -> None:  # type: ignore[no-untyped-def]
    similarity = SemanticSimilarity(cache_dir=tmp_path)
    vectors = similarity.vectors([*PARAPHRASE, UNRELATED, PARAPHRASE[0]])
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0] * 4, abs=1e-4)
    cosines = vectors @ vectors.T
    assert cosines[0, 1] > cosines[0, 2] + 0.2
    assert cosines[0, 3] == pytest.approx(1.0, abs=1e-5)  # the same text, the same vector


def test_a_run_whose_sentences_are_all_cached_never_loads_the_model(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    texts = [*PARAPHRASE, UNRELATED]
    first = SemanticSimilarity(cache_dir=tmp_path).vectors(texts)

    def no_model() -> None:
        raise AssertionError("the model was loaded though every vector is cached")

    monkeypatch.setattr(semantic, "_load_model", no_model)
    assert np.array_equal(SemanticSimilarity(cache_dir=tmp_path).vectors(texts), first)



def test_a_prepared_embedding_runs_in_the_background_and_its_vectors_are_waited_for(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # `prepare` starts the passes in a thread of their own; `vectors` waits for them and gets
    # the vectors a direct embedding gives.
    texts = [*PARAPHRASE, UNRELATED]
    expected = SemanticSimilarity(use_disk_cache=False).vectors(texts)
    prepared = SemanticSimilarity(cache_dir=tmp_path)
    prepared.prepare(texts)
    assert prepared._pending is not None
    assert np.allclose(prepared.vectors(texts), expected, atol=1e-6)
    assert prepared._pending is None


def test_a_text_gets_the_same_vector_whatever_it_is_embedded_with() -> None:
    # The vector of a text must not depend on the other texts of the call (the model quantises
    # activations per tensor): else a warm cache and a cold one would align differently.
    model = semantic._load_model()
    alone = model.embed([PARAPHRASE[0]])[0]
    among_others = model.embed([UNRELATED, "A much longer sentence about something else entirely, with "
                                "many more words than the others have, to change any padding.", PARAPHRASE[0]])[2]
    assert np.array_equal(alone, among_others)


ARREST = "Police say that they have arrested two teens after some christmas decorations were vandalized."
ARREST_CHARGES = ("The police said two boys, 16 and 17, were arrested and charged on thursday with criminal damaging "
                  "of an inflatable santa on one property in the colerain township neighborhood.")


def test_the_int8_products_do_not_saturate_on_any_x86_cpu() -> None:
    # The int8 products must not saturate (ONNX Runtime's fast path did, with full 8-bit weights, on
    # x86 CPUs without VNNI): a brief, and the recorded LLM requests, would depend on the machine.
    # The cosines below are the exact products' (on a VNNI CPU, an emulated Haswell and an emulated
    # Skylake server alike); saturating products moved the second by 0.02.
    vectors = SemanticSimilarity(use_disk_cache=False).vectors([*PARAPHRASE, ARREST, ARREST_CHARGES])
    assert float(vectors[0] @ vectors[1]) == pytest.approx(0.4557, abs=2e-3)
    assert float(vectors[2] @ vectors[3]) == pytest.approx(0.6327, abs=2e-3)


def _exact_products_model() -> semantic._Model:
    """The shipped model in a session with the exact products: what a CPU whose fast path misses
    the probe of MANIFEST.json is given (a probe no path gives: saturating products put it at 0.66,
    this is further off still, so that no CPU's fast path can meet it)."""
    card = semantic._model_card()
    assert card.probe is not None
    missed = dataclasses.replace(card, probe=semantic.Probe(texts=card.probe.texts, cosine=0.9))
    return semantic._Model(semantic._model_folder(), missed)


def test_a_fast_path_that_misses_the_probe_is_given_up_for_the_exact_one() -> None:
    card = semantic._model_card()
    assert card.probe is not None and set(card.probe.texts) == {ARREST, ARREST_CHARGES}
    given_up = _exact_products_model()
    assert given_up.session.get_session_options().get_session_config_entry(semantic.EXACT_INT8_PRODUCTS) == "1"
    first, second = given_up.embed(list(card.probe.texts))
    assert float(first @ second) == pytest.approx(card.probe.cosine, abs=semantic.PROBE_TOLERANCE)


def test_the_fast_int8_path_gives_the_exact_products_vectors() -> None:
    # Weights in a 7-bit range cannot saturate the fast path's 16-bit sums, so the exact products
    # (the slower unsigned-by-unsigned path) give the very vectors the fast path gives, on whatever
    # CPU this runs: the package needs no CPU-specific mode.
    unchecked = dataclasses.replace(semantic._model_card(), probe=None)  # no probe: the fast path, whatever it gives
    fast = semantic._Model(semantic._model_folder(), unchecked)
    with pytest.raises(RuntimeError, match="does not have configuration"):  # the option is not set
        fast.session.get_session_options().get_session_config_entry(semantic.EXACT_INT8_PRODUCTS)
    texts = [ARREST, ARREST_CHARGES, *PARAPHRASE, UNRELATED]
    assert np.array_equal(_exact_products_model().embed(texts), fast.embed(texts))


def test_each_distinct_text_is_embedded_once_and_then_read_from_the_disk_cache(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    model = semantic._load_model()
    embedded: list[str] = []
    real = model.embed

    def counting(texts: list[str]) -> np.ndarray:
        embedded.extend(texts)
        return real(texts)

    monkeypatch.setattr(model, "embed", counting)
    first = SemanticSimilarity(cache_dir=tmp_path).vectors([PARAPHRASE[0], PARAPHRASE[0], UNRELATED])
    assert sorted(embedded) == sorted([PARAPHRASE[0], UNRELATED])  # the repeat was not embedded again
    embedded.clear()
    second = SemanticSimilarity(cache_dir=tmp_path).vectors([UNRELATED, PARAPHRASE[0]])  # a new run
    assert embedded == []
    assert second == pytest.approx(first[[2, 0]])


def test_a_damaged_model_file_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "minilm"
    folder.mkdir()
    shipped = resources.files(semantic.__package__).joinpath("minilm")
    for name in ("MANIFEST.json", "model.onnx", "tokenizer.json"):
        (folder / name).write_bytes(shipped.joinpath(name).read_bytes())
    with (folder / "tokenizer.json").open("ab") as stream:
        stream.write(b" ")
    with pytest.raises(SimilarityUnavailableError, match=r"tokenizer\.json is damaged.*--similarity lexical"):
        semantic._Model(folder)


def test_when_the_model_cannot_load_the_brief_falls_back_to_lexical_and_says_so(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from summarizer import summarize

    def unavailable() -> None:
        raise SimilarityUnavailableError("semantic similarity needs onnxruntime: pip install onnxruntime tokenizers")

    monkeypatch.setattr(semantic, "_load_model", unavailable)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path))  # nothing cached: the model is needed
    brief = summarize([Path(__file__).resolve().parent.parent / "seeds"], engine="extractive", similarity="semantic")
    assert brief.usage["similarity"] == "lexical"
    assert any("needs onnxruntime" in w and "lexical similarity" in w for w in brief.warnings)
    assert brief.agreements and brief.disagreements


def test_the_vector_cache_is_shared_safely_by_the_threads_of_a_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import threading

    from summarizer.text.similarity.vector_cache import VectorCache, text_key

    cache = VectorCache("test-model", 4, tmp_path)
    keys = [text_key(f"sentence {n}") for n in range(400)]

    def work(offset: int) -> None:
        for n in range(offset, len(keys), 4):
            cache.put([(keys[n], np.full(4, n, dtype=np.float32))])
            cache.get(keys[: n + 1])

    threads = [threading.Thread(target=work, args=(offset,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = VectorCache("test-model", 4, tmp_path).get(keys)
    assert len(stored) == len(keys)
    assert all(float(stored[key][0]) == n for n, key in enumerate(keys))


def test_the_vector_cache_lists_every_vector_it_keeps_by_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # What a recording exports with its cassette (tests/vcr_setup.export_vectors).
    from summarizer.text.similarity.vector_cache import VectorCache, text_key

    cache = VectorCache("test-model", 4, tmp_path)
    keys = [text_key(f"sentence {n}") for n in range(5)]
    cache.put([(key, np.full(4, n, dtype=np.float32)) for n, key in enumerate(keys)])
    cache.close()
    listed = VectorCache("test-model", 4, tmp_path).items()
    assert [key for key, _ in listed] == sorted(keys)
    assert {key: float(vector[0]) for key, vector in listed} == {key: float(n) for n, key in enumerate(keys)}
    assert VectorCache("other-model", 4, tmp_path).items() == []


def test_a_run_embeds_each_sentence_once_though_alignment_and_engine_both_compare_them(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from collections import Counter
    from pathlib import Path

    from summarizer import summarize
    from summarizer.align import compared_texts

    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path))  # an empty vector cache
    model = semantic._load_model()
    embedded: Counter[str] = Counter()
    real = model.embed

    def counting(texts: list[str]) -> np.ndarray:
        embedded.update(texts)
        return real(texts)

    monkeypatch.setattr(model, "embed", counting)
    passes: list[list[str]] = []
    monkeypatch.setattr(model, "embed", lambda texts: passes.append(list(texts)) or counting(texts))
    brief = summarize([Path(__file__).resolve().parent.parent / "seeds"], engine="extractive", similarity="semantic")
    sentences = {sentence for source in brief.sources for sentence in source.sentences}
    assert sentences <= set(embedded)
    assert max(embedded.values()) == 1
    # Every sentence and quoted span the alignment compares went into the first, background pass.
    assert set(compared_texts(brief.sources)) <= set(passes[0])
    assert any(text not in sentences for text in passes[0])  # the quotes were among them


def test_prepare_embeds_in_the_background_and_every_caller_of_vectors_waits_for_it(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import threading
    from collections import Counter

    model = semantic._load_model()
    real = model.embed
    embedded: Counter[str] = Counter()
    release = threading.Event()

    def slow(texts: list[str]) -> np.ndarray:
        assert release.wait(10), "prepare waited for the embedding it should have left in the background"
        embedded.update(texts)
        return real(texts)

    monkeypatch.setattr(model, "embed", slow)
    similarity = SemanticSimilarity(cache_dir=tmp_path)
    texts = [*PARAPHRASE, UNRELATED]
    similarity.prepare(texts)  # returns while the passes have not even started
    results: dict[int, np.ndarray] = {}

    def ask(slot: int) -> None:
        results[slot] = similarity.vectors(texts)

    callers = [threading.Thread(target=ask, args=(slot,)) for slot in range(2)]  # alignment and engine
    for caller in callers:
        caller.start()
    release.set()
    for caller in callers:
        caller.join()
    assert embedded == Counter(texts)  # once each, though two callers waited for them
    assert np.array_equal(results[0], results[1])
    assert np.array_equal(results[0], SemanticSimilarity(use_disk_cache=False).vectors(texts))


def test_a_long_embedding_says_how_far_it_got_and_keeps_each_slice_it_finished(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    model = semantic._load_model()
    real = model.embed
    monkeypatch.setattr(semantic, "EMBEDDED_PER_SLICE", 2)
    texts = [*PARAPHRASE, UNRELATED, "The ferry to Bergen was cancelled for a second day by the storm.",
             "A chess final in Oslo ended in a draw on Friday night after six hours."]

    def failing_last(batch: list[str]) -> np.ndarray:
        if texts[-1] in batch:
            raise RuntimeError("interrupted")
        return real(batch)

    monkeypatch.setattr(model, "embed", failing_last)
    heard: list[tuple[int, int]] = []
    similarity = SemanticSimilarity(cache_dir=tmp_path)
    similarity.prepare(texts, on_embedded=lambda done, total: heard.append((done, total)))
    with pytest.raises(RuntimeError, match="interrupted"):
        similarity.vectors(texts)
    assert heard == [(2, 5), (4, 5)]  # the slices done before the failure, in order
    # ... and what they embedded is on disk: a new run embeds only the slice that failed
    monkeypatch.setattr(model, "embed", real)
    again: list[tuple[int, int]] = []
    fresh = SemanticSimilarity(cache_dir=tmp_path)
    fresh.prepare(texts, on_embedded=lambda done, total: again.append((done, total)))
    vectors = fresh.vectors(texts)  # waits for the background embedding
    assert again == [(1, 1)]
    assert np.array_equal(vectors, SemanticSimilarity(use_disk_cache=False).vectors(texts))


def test_a_long_embedding_is_reported_each_tenth_of_the_way_and_a_short_one_not_at_all() -> None:
    from summarizer.text.similarity import embedding_progress

    lines: list[str] = []
    report = embedding_progress(lines.append, "sentences")
    for done in [*range(256, 5000, 256), 5000]:  # the slices of an embedding of 5,000 sentences
        report(done, 5000)
    assert len(lines) == 11  # 256 (the first slice), then each tenth crossed, and the end
    assert lines[0] == "embedded 256 of 5,000 sentences new to the vector cache"
    assert lines[-1] == "embedded 5,000 of 5,000 sentences new to the vector cache"
    short: list[str] = []
    embedding_progress(short.append, "sentences")(152, 152)  # the seeds: one slice, a second's work
    assert short == []


def test_an_error_of_the_background_embedding_reaches_the_caller_of_vectors(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    model = semantic._load_model()

    def broken(texts: list[str]) -> np.ndarray:
        raise RuntimeError("ONNX Runtime failed")

    monkeypatch.setattr(model, "embed", broken)
    similarity = SemanticSimilarity(cache_dir=tmp_path)
    similarity.prepare([UNRELATED])
    with pytest.raises(RuntimeError, match="ONNX Runtime failed"):
        similarity.vectors([UNRELATED])


def test_a_damaged_cache_file_is_skipped_and_the_facts_worked_out_again(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from summarizer.text.disk_cache import DiskCache, text_key

    damaged = tmp_path / "vectors.sqlite"
    damaged.write_bytes(b"not a database at all" * 100)
    cache = DiskCache(damaged, table="embeddings")
    cache.put([(text_key("a"), b"\x01\x02")])  # skipped, not an error
    assert cache.get([text_key("a")]) == {}
    healthy = DiskCache(tmp_path / "other.sqlite", table="embeddings")
    healthy.put([(text_key("a"), b"\x01\x02")])
    assert DiskCache(tmp_path / "other.sqlite", table="embeddings").get([text_key("a"), text_key("b")]) == {
        text_key("a"): b"\x01\x02"}


@pytest.mark.parametrize("name", ["lexical", "semantic"])
def test_pair_blocks_and_cross_pairs_give_the_pairs_that_pairs_gives(name: str) -> None:
    texts = [*PARAPHRASE, UNRELATED, "Moscow and Washington agreed to set up a working group on Wednesday.",
             "The working group will try to mend ties between Moscow and Washington.", "A cat sat on the mat."]
    similarity = get_similarity(name)
    vectors = similarity.vectors(texts)
    threshold = 0.05 if name == "lexical" else 0.2
    expected = similarity.pairs(vectors, threshold)
    assert expected  # the texts are related enough for the test to mean something
    walked = sorted((int(i), int(j)) for rows, cols, _ in similarity.pair_blocks(vectors, threshold, block_rows=2)
                    for i, j in zip(rows, cols))
    assert walked == [(i, j) for i, j, _ in expected]
    left, right = list(range(0, len(texts), 2)), list(range(1, len(texts), 2))
    crossed = {(left[int(a)], right[int(b)]): float(c)
               for rows, cols, cosines in similarity.cross_pairs(vectors[left], vectors[right], threshold, block_rows=2)
               for a, b, c in zip(rows, cols, cosines)}
    across = {((i, j) if i in left else (j, i)): c for i, j, c in expected if (i in left) != (j in left)}
    assert crossed.keys() == across.keys() and crossed == pytest.approx(across)
