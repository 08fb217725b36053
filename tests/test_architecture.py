"""The seams: each stage's table is where a new part plugs in, and the rest of the flow follows it.

These tests add a part the way ARCHITECTURE.md says (an engine, a reader, a format, a detector)
and check that nothing else had to change for it to be used.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, get_args

import pytest

import summarizer
from summarizer import ConfigError, Source, summarize_sources
from summarizer.align import align_sources
from summarizer.align.detectors import DETECTORS, DetectorInput, find_disagreements
from summarizer.cli import main
from summarizer.engines import ENGINE_CHOICES, ENGINES, Engine
from summarizer.load import ARTICLE_SUFFIXES, load_sources, readers
from summarizer.models import (
    Alignment,
    BriefDraft,
    Chunk,
    Citation,
    Disagreement,
    EngineName,
    SourceSummary,
    Statement,
)
from summarizer.render import FORMAT_NAMES, FORMATS, format_for_path, render_brief
from summarizer.settings import DEFAULTS

REPO = Path(__file__).resolve().parent.parent


def cli_choices(name: str) -> tuple[str, ...]:
    param = next(param for param in main.params if param.name == name)
    return tuple(param.type.choices)  # type: ignore[attr-defined]


# --- engines -------------------------------------------------------------------------------------


def test_the_engine_table_matches_the_contract_and_the_cli() -> None:
    assert set(ENGINES) == set(get_args(EngineName))
    assert ENGINE_CHOICES == ("auto", *ENGINES)
    assert cli_choices("engine") == ENGINE_CHOICES


class FirstSentenceEngine(Engine):
    """An engine that implements only the required sync methods, to show the defaults carry it."""

    name = "extractive"

    def __init__(self) -> None:
        super().__init__()
        self.closed = False

    @property
    def chunk_tokens(self) -> int:
        return 500

    def summarize_source(self, source: Source, chunks: list[Chunk]) -> SourceSummary:
        return SourceSummary(source=source.id, summary=[
            Statement(text=source.sentences[0], citations=[Citation(source=source.id, sentence=0)])])

    def synthesize(self, sources: list[Source], summaries: list[SourceSummary], alignment: Alignment) -> BriefDraft:
        invented = Statement(text="Officials said 999 people were evacuated.",
                             citations=[Citation(source=1, sentence=0)])
        return BriefDraft(title="Test", summary=[summaries[0].summary[0], invented], per_source=summaries)

    async def aclose(self) -> None:
        self.closed = True


def test_an_engine_with_only_the_sync_methods_runs_through_the_pipeline_and_is_verified() -> None:
    sources = [
        Source(id=1, path="a.txt", sentences=["The bridge over the river reopened on Monday after repairs."]),
        Source(id=2, path="b.txt", sentences=["Traffic crossed the repaired river bridge again on Monday."]),
    ]
    engine = FirstSentenceEngine()
    progress: list[str] = []
    brief = summarize_sources(sources, engine=engine, on_progress=progress.append)
    assert [s.text for s in brief.summary] == [sources[0].sentences[0]]  # the invented figure is dropped
    assert any("999" in warning for warning in brief.warnings)
    assert [entry.source for entry in brief.per_source] == [1, 2]
    assert any(line.startswith("summarised source 2/2") for line in progress)  # the default async loop
    assert engine.closed and brief.usage.get("seconds") is not None


# --- readers -------------------------------------------------------------------------------------


def test_folder_suffixes_come_from_the_reader_table() -> None:
    assert frozenset(s for reader in readers.READERS for s in reader.suffixes) == ARTICLE_SUFFIXES
    assert len(ARTICLE_SUFFIXES) == sum(len(reader.suffixes) for reader in readers.READERS)  # one owner each


def test_a_reader_added_to_the_table_is_used_for_its_suffix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def read_csv(shown: str, text: str, report: readers.WarningHandler) -> readers.Article:
        rows = [line.split(",", 1) for line in text.splitlines() if "," in line]
        return readers.Article(path=shown, sentences=[body.strip() for _, body in rows], outlet="CSV Wire")

    table = (*readers.READERS, readers.Reader("csv", (".csv",), read_csv))
    monkeypatch.setattr(readers, "READERS", table)
    article = tmp_path / "wire.csv"
    article.write_text("1,The dam was closed on Friday.\n2,Engineers inspected the spillway.\n", encoding="utf-8")
    [source] = load_sources([article])
    assert source.outlet == "CSV Wire"
    assert source.sentences == ["The dam was closed on Friday.", "Engineers inspected the spillway."]


def test_a_page_that_sniffs_as_html_is_read_as_html_whatever_its_name(tmp_path: Path) -> None:
    assert readers.reader_for(tmp_path / "page.txt", "<!DOCTYPE html><html><body></body></html>").name == "html"
    assert readers.reader_for(tmp_path / "notes.text", "Plain words.").name == "text"
    assert readers.reader_for(tmp_path / "story.MD", "# Title").name == "markdown"


# --- formats -------------------------------------------------------------------------------------


def test_the_cli_takes_its_formats_from_the_table() -> None:
    assert cli_choices("output_format") == FORMAT_NAMES == tuple(output.name for output in FORMATS)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.name)
def test_every_format_renders_and_is_chosen_by_each_of_its_suffixes(output: Any, seeds_brief: summarizer.Brief) -> None:
    text = render_brief(seeds_brief, output.name)
    assert seeds_brief.sources[0].label in text
    for suffix in output.suffixes:
        assert format_for_path(f"brief{suffix.upper()}") == output.name


def test_an_unknown_format_is_a_config_error(seeds_brief: summarizer.Brief) -> None:
    assert format_for_path("brief.txt") == format_for_path(None) == "md"
    with pytest.raises(ConfigError, match="unknown output format 'pdf'"):
        render_brief(seeds_brief, "pdf")


@pytest.fixture(scope="module")
def seeds_brief() -> summarizer.Brief:
    return summarizer.summarize([REPO / "seeds"], engine="extractive")


# --- detectors -----------------------------------------------------------------------------------


def test_a_detector_added_to_the_table_is_run_and_its_findings_ordered(seeds_dir: Path) -> None:
    sources = load_sources([seeds_dir])
    seen: list[DetectorInput] = []

    def first_sentences_dispute(found: DetectorInput) -> list[Disagreement]:
        seen.append(found)
        positions = [Statement(text=s.sentences[0], citations=[Citation(source=s.id, sentence=0)]) for s in sources[:2]]
        return [Disagreement(topic="A test dispute", kind="parties_dispute", positions=positions)]

    baseline = align_sources(sources)
    result = align_sources(sources, detectors=(*DETECTORS, first_sentences_dispute))
    assert len(seen) == 1 and len(seen[0].nodes) > 100 and seen[0].similarity.name == DEFAULTS.similarity
    added = [d for d in result.disagreements if d.topic == "A test dispute"]
    assert len(added) == 1
    assert [d for d in result.disagreements if d.topic != "A test dispute"] == baseline.disagreements
    # Disputes between parties come after every conflict between sources.
    kinds = [d.kind for d in result.disagreements]
    assert kinds == sorted(kinds, key=lambda kind: kind == "parties_dispute")


def test_no_detector_runs_without_nodes() -> None:
    def fails(found: DetectorInput) -> list[Disagreement]:
        raise AssertionError("called")

    empty = DetectorInput(sources=[], nodes=[], vectors=None, similarity=None, same_remark=frozenset())  # type: ignore[arg-type]
    assert find_disagreements(empty, (fails,)) == []


# --- packaging and the public face ---------------------------------------------------------------


def test_every_package_folder_is_listed_in_pyproject() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {".".join(init.parent.relative_to(REPO).parts) for init in (REPO / "summarizer").rglob("__init__.py")}
    assert on_disk | {"summarizer.prompts"} == listed


def test_the_public_face_exports_what_a_user_calls_and_nothing_internal() -> None:
    exported = set(summarizer.__all__)
    assert {"summarize", "summarize_async", "load_sources", "render_brief", "Brief", "Statement", "Citation",
            "LLMOptions", "SummarizerError", "brief_json_schema", "__version__"} <= exported
    internal = {"align_sources", "verify_citations", "Alignment", "FactGroup", "Chunk", "BriefDraft",
                "create_engine", "Engine", "Settings"}
    assert not exported & internal
    for name in exported:  # some are imported when first asked for (the package's __getattr__)
        assert getattr(summarizer, name) is not None
    importlib.import_module("summarizer.check.checker")  # a subpackage's module leaves the export alone
    assert callable(summarizer.check) and summarizer.check.__module__ == "summarizer.check"
