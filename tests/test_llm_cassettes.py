"""The LLM engine replayed from cassettes recorded against a real OpenAI-compatible server.

cassettes/NAME.yaml holds the HTTP interactions (recorded by scripts/record_cassettes.py) and
cassettes/NAME.json the settings and the brief of the recording run. Replay is done with recording
off (a request that is not in the cassette is an error) and the network blocked, at a different
concurrency than the recording: requests are matched on their body, so order does not matter.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from fake_openai import FakeOpenAI
from vcr_setup import CASSETTES, import_vectors, make_vcr

from summarizer import Brief, LLMOptions, summarize
from summarizer.text.claims import context_speaker
from summarizer.text.support import check_support

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
RECORDINGS = sorted(path.stem for path in CASSETTES.glob("*.yaml"))
VOLATILE = {"generated_at", "usage"}
# Key-shaped strings that must never be committed: OpenAI keys, bearer tokens, Azure-style keys.
SECRET = re.compile(r"sk-[A-Za-z0-9_-]{10,}|Bearer\s+\S+|api[-_]key\s*[:=]\s*\S{8,}", re.IGNORECASE)


def test_there_is_a_recording() -> None:
    assert "llama_cpp_seeds" in RECORDINGS


def replay(name: str, tmp_path: Path, concurrency: int,
           monkeypatch: pytest.MonkeyPatch) -> tuple[Brief, dict[str, Any], int]:
    """Run the seeds through the llm engine against cassette `name`, with the recording's sentence
    vectors (vcr_setup.import_vectors); the brief, its meta, plays."""
    import_vectors(name, tmp_path / "cache")
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    meta = json.loads((CASSETTES / f"{name}.json").read_text(encoding="utf-8"))
    settings = meta["settings"]
    options = LLMOptions(
        base_url=settings["base_url"], model=settings["model"], context_window=settings["context_window"],
        concurrency=concurrency, use_cache=False, cache_dir=tmp_path,
        api_key=None if settings["base_url"] else "sk-replay-placeholder",
    )
    with make_vcr("none").use_cassette(f"{name}.yaml") as cassette:
        brief = summarize([SEEDS], engine="llm", llm=options)
        plays = cassette.play_count
    return brief, meta, plays


@pytest.mark.parametrize("name", RECORDINGS)
@pytest.mark.parametrize("concurrency", [1, 8])
def test_replay_gives_the_recorded_brief(name: str, concurrency: int, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    brief, meta, plays = replay(name, tmp_path, concurrency, monkeypatch)
    recorded = Brief.model_validate(meta["brief"])
    # Where the seeds lie differs between machines; everything else must be as recorded.
    exclude: dict[str, Any] = dict.fromkeys(VOLATILE, True) | {"sources": {"__all__": {"path"}}}
    assert brief.model_dump(exclude=exclude) == recorded.model_dump(exclude=exclude)
    assert [Path(s.path).name for s in brief.sources] == [Path(s.path).name for s in recorded.sources]
    assert brief.usage["calls"] == recorded.usage["calls"] == plays - _refusals(name)
    assert brief.engine == "llm" and brief.model == meta["settings"]["model"]


@pytest.mark.parametrize("name", RECORDINGS)
def test_replayed_brief_is_cited_truthfully_and_keeps_the_conflicting_figures(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    brief, _, _ = replay(name, tmp_path, 8, monkeypatch)
    sentences = {source.id: source.sentences for source in brief.sources}
    statements = [*brief.summary, *brief.agreements, *brief.exclusives,
                  *(p for d in brief.disagreements for p in d.positions),
                  *(s for entry in brief.per_source for s in entry.summary)]
    assert statements
    for statement in statements:
        assert statement.citations
        for citation in statement.citations:  # no dangling citation, and each one supports
            # ... read as verification reads it: a bare quote or "he said" is its article's speaker's
            speaker = context_speaker(sentences[citation.source], citation.sentence)
            assert check_support(statement.text, sentences[citation.source][citation.sentence], speaker=speaker).supported
    # Whatever the model did, every death-toll figure is still shown with its source.
    figures = " ".join(p.text for d in brief.disagreements for p in d.positions)
    for figure in ("80", "87", "100"):
        assert figure in figures
    # A section the model could not write is never silently empty: the warnings say what happened.
    for section in ("summary", "agreements", "exclusives"):
        assert getattr(brief, section)
    assert all(entry.summary for entry in brief.per_source)


def _refusals(name: str) -> int:
    """Recorded requests refused for their response_format (answered by no call)."""
    data = yaml.safe_load((CASSETTES / f"{name}.yaml").read_text(encoding="utf-8"))
    return sum(1 for item in data["interactions"] if item["response"]["status"]["code"] != 200)


def test_cassettes_hold_no_secrets() -> None:
    # The .vectors.npz files hold text hashes and floats only.
    for path in (path for path in CASSETTES.iterdir() if path.suffix in {".yaml", ".json"}):
        text = path.read_text(encoding="utf-8")
        assert not SECRET.search(text), f"{path.name} holds something shaped like a key"
        assert "authorization" not in text.lower(), f"{path.name} holds an Authorization header"


def test_recording_filters_the_key_out(tmp_path: Path) -> None:
    """What scripts/record_cassettes.py records with a real key keeps no trace of it."""
    key = "sk-test-DO-NOT-RECORD-0123456789abcdef"
    recorder = make_vcr("all")
    recorder.cassette_library_dir = str(tmp_path)
    with FakeOpenAI() as fake, recorder.use_cassette("with_key.yaml"):
        summarize([SEEDS / "000_b9e1f2c980d2316d.txt"], engine="llm",
                  llm=LLMOptions(base_url=fake.url, api_key=key, model="m", use_cache=False))
        sent = fake.completions[0].headers
    assert any(value == f"Bearer {key}" for value in sent.values())  # it was really sent...
    text = (tmp_path / "with_key.yaml").read_text(encoding="utf-8")
    assert "chat/completions" in text
    assert key not in text and not SECRET.search(text)  # ...and never written down
