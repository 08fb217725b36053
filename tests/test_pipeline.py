"""End to end on the seeds: the brief's content, its citations, and its truthfulness."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from summarizer import Brief, render_brief, summarize
from summarizer.text.claims import context_speaker
from summarizer.text.support import check_support

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

@pytest.fixture(scope="module")
def brief() -> Brief:
    return summarize([SEEDS], engine="extractive")


def all_statements(brief: Brief):  # type: ignore[no-untyped-def]
    yield from brief.summary
    yield from brief.agreements
    yield from brief.exclusives
    for disagreement in brief.disagreements:
        yield from disagreement.positions
    for entry in brief.per_source:
        yield from entry.summary


def test_every_citation_resolves_and_supports_its_statement(brief: Brief) -> None:
    sentences = {source.id: source.sentences for source in brief.sources}
    count = 0
    for statement in all_statements(brief):
        assert statement.citations, statement.text
        for citation in statement.citations:
            sentence = sentences[citation.source][citation.sentence]
            # read as verification reads it: a bare quote or "he said" is its article's speaker's
            speaker = context_speaker(sentences[citation.source], citation.sentence)
            assert check_support(statement.text, sentence, speaker=speaker).supported, (statement.text, sentence)
            count += 1
    assert count > 20


def test_sources_and_metadata(brief: Brief) -> None:
    assert [s.id for s in brief.sources] == [1, 2, 3, 4, 5]
    assert brief.sources[0].outlet == "Reuters"
    assert brief.title  # a headline, not empty


def test_agreements_cite_every_source_that_reports_the_fact(brief: Brief) -> None:
    nuclear = [s for s in brief.agreements if "foremost nuclear powers" in s.text]
    assert len(nuclear) == 1
    assert sorted(nuclear[0].source_ids) == [1, 2, 3, 4, 5]
    assert all(len(s.source_ids) >= 2 for s in brief.agreements)
    assert any("working group" in s.text for s in brief.agreements)


def test_a_bare_quote_agreement_names_its_speaker_with_the_reports_that_name_him(brief: Brief) -> None:
    # Reuters, RFE/RL and the re-post give the words to Tillerson (in the sentence or the ones just
    # before it); AFP's "he warned" does not resolve, and The Independent's "America's top diplomat
    # said" names no one: those two are cited for the words only.
    nuclear = next(s for s in brief.agreements if "foremost nuclear powers" in s.text)
    assert (nuclear.speaker, nuclear.speaker_sources) == ("Tillerson", [1, 2, 5])
    assert "\u2014 Tillerson (named by [1][2][5]) [1][2][3][4][5]" in render_brief(brief, "md")
    # Where every cited report names the speaker, the brief says only who it is.
    putin = next(s for s in brief.agreements if "level of trust on a working level" in s.text)
    assert (putin.speaker, sorted(putin.speaker_sources)) == ("Putin", sorted(putin.source_ids))
    assert "\u2014 Putin [" in render_brief(brief, "md")


def test_death_toll_figures_are_kept_side_by_side(brief: Brief) -> None:
    tolls = [d for d in brief.disagreements if d.kind == "sources_conflict"
             and any(re.search(r"\b(80|87|100)\b", p.text) for p in d.positions)]
    assert len(tolls) == 1
    positions = tolls[0].positions
    figures = {figure for p in positions for figure in re.findall(r"\b(?:80|87|100)\b", p.text)}
    assert figures == {"80", "87", "100"}
    # each position speaks for its own source
    assert len({p.source_ids[0] for p in positions}) == len(positions)
    assert all(len(p.source_ids) == 1 for p in positions)


def test_disputes_between_parties_are_labelled_apart(brief: Brief) -> None:
    disputes = [d for d in brief.disagreements if d.kind == "parties_dispute"]
    assert disputes
    assert all(len(d.positions) >= 2 for d in disputes)


def test_exclusives_cite_one_source_each(brief: Brief) -> None:
    assert brief.exclusives
    assert all(len(s.source_ids) == 1 for s in brief.exclusives)


def test_per_source_summaries_stay_in_budget_and_order(brief: Brief) -> None:
    assert [entry.source for entry in brief.per_source] == [1, 2, 3, 4, 5]
    for entry in brief.per_source:
        indices = [s.citations[0].sentence for s in entry.summary]
        assert entry.summary and indices == sorted(indices)
        assert all(s.source_ids == [entry.source] for s in entry.summary)


def test_no_web_cruft_reaches_the_brief(brief: Brief) -> None:
    text = render_brief(brief, "md")
    for cruft in ("What the stars mean", "please wait", "award-winning investigative journalist",
                  "Join our commenting forum", "undesirable organization", "EmbassyPages", "16x9 Image"):
        assert cruft not in text


def test_the_same_input_gives_the_same_brief(brief: Brief) -> None:
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    again = summarize([seeds], engine="extractive")
    volatile = {"generated_at", "usage"}
    assert again.model_dump(exclude=volatile) == brief.model_dump(exclude=volatile)


def test_a_second_run_over_the_same_articles_loads_neither_model_nor_tokenizer(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from summarizer.text import tokens
    from summarizer.text.similarity import semantic

    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(tokens, "_COUNTS", {})  # a fresh process, with empty caches
    first = summarize([SEEDS], engine="extractive", similarity="semantic")

    def not_needed(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("loaded though the first run kept what it worked out")

    monkeypatch.setattr(tokens, "_COUNTS", {})  # a new process: nothing in memory
    monkeypatch.setattr(tokens, "get_encoding", not_needed)
    monkeypatch.setattr(semantic, "_load_model", not_needed)
    again = summarize([SEEDS], engine="extractive", similarity="semantic")
    assert again.model_dump(exclude={"generated_at", "usage"}) == first.model_dump(exclude={"generated_at", "usage"})
