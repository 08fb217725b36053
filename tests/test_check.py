"""`summarize check` (issue 9): a draft held against its sources, with planted errors of each kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from summarizer import CheckReport, check, check_json_schema, render_brief, render_check, summarize
from summarizer.check.draft import read_draft
from summarizer.cli import check_main, entry

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Each line a planted edit of a seed sentence, and what the check must say of it.
FIGURE = "Last week's attack in Idlib province resulted in nearly 120 deaths, with horrific video footage emerging. [4]"
NEGATION = "Russia did not veto a UN Security Council resolution regarding Syria on Wednesday. [4]"
QUOTE = "\"The world's two foremost nuclear powers cannot have this kind of friendship,\" Tillerson said. [5]"
SPEAKER = ("\"Despite the quantity of existing problems ... there are considerable prospects for joint work,\" "
           "Tillerson said. [3]")
WRONG_CITATION = "Tillerson said the two countries had agreed to set up a \"working group\" to coordinate on \"smaller issues.\" [1]"
INVENTED = "The two ministers also agreed to hold a summit in Geneva next month to sign a nuclear treaty."
FAITHFUL = "Mr Tillerson said the US was \"quite confident\" that the Assad regime was responsible. [4]"


@pytest.fixture(scope="module")
def planted() -> CheckReport:
    draft = "# Talks in Moscow\n\n" + "\n\n".join([FIGURE, NEGATION, QUOTE, SPEAKER, WRONG_CITATION, INVENTED, FAITHFUL])
    return check(draft, [SEEDS])


def _statement(report: CheckReport, start: str):  # type: ignore[no-untyped-def]
    [found] = [s for s in report.statements if s.text.startswith(start)]
    return found


def test_a_changed_figure_is_contradicted_and_the_source_figure_shown(planted: CheckReport) -> None:
    statement = _statement(planted, "Last week's attack")
    assert statement.verdict == "contradicted"
    [figure] = [p for p in statement.problems if p.kind == "figure"]
    assert "120" in figure.detail and "100" in figure.detail
    assert figure.conflicting is not None and figure.conflicting.source == 4 and "100 deaths" in figure.conflicting.text


def test_a_negation_is_contradicted(planted: CheckReport) -> None:
    statement = _statement(planted, "Russia did not veto")
    assert statement.verdict == "contradicted"
    assert statement.problems[0].kind == "negation"
    assert "vetoed" in statement.problems[0].conflicting.text  # type: ignore[union-attr]


def test_a_quote_with_a_changed_word_is_contradicted(planted: CheckReport) -> None:
    statement = _statement(planted, "\"The world's two foremost")
    assert statement.verdict == "contradicted"
    [quote] = [p for p in statement.problems if p.kind == "quote"]
    assert "friendship" in quote.detail and "relationship" in quote.detail


def test_words_given_to_the_wrong_speaker_are_contradicted(planted: CheckReport) -> None:
    statement = _statement(planted, "\"Despite the quantity")
    assert statement.verdict == "contradicted"
    [speaker] = [p for p in statement.problems if p.kind == "speaker"]
    assert "Lavrov" in speaker.detail and "Tillerson" in speaker.detail


def test_a_citation_to_the_wrong_source_is_reported_with_the_right_one(planted: CheckReport) -> None:
    statement = _statement(planted, "Tillerson said the two countries")
    assert statement.verdict == "supported" and statement.citations == [1]
    [citation] = statement.problems
    # AFP: "... beyond establishing a working group to address what Tillerson called 'smaller issues.'"
    # The Independent has the working group too, but "to be able to discuss larger issues": not the
    # quoted words.
    assert citation.kind == "citation" and citation.detail == "[1] does not say this; [2], [3] do"
    assert {e.source for e in statement.evidence} == {2, 3}


def test_an_invented_sentence_is_unsupported(planted: CheckReport) -> None:
    statement = _statement(planted, "The two ministers")
    assert statement.verdict == "unsupported" and statement.evidence == []


def test_a_faithful_sentence_is_supported_with_its_evidence(planted: CheckReport) -> None:
    statement = _statement(planted, "Mr Tillerson said")
    assert statement.verdict == "supported" and statement.problems == []
    assert statement.evidence[0].source == 4 and "quite confident" in statement.evidence[0].text
    assert planted.counts == {"supported": 2, "contradicted": 4, "unsupported": 1}
    assert not planted.clean


def test_a_brief_the_tool_wrote_checks_clean(tmp_path: Path) -> None:
    brief = tmp_path / "brief.md"
    brief.write_text(render_brief(summarize([SEEDS], engine="extractive"), "md"), encoding="utf-8")
    report = check(brief, [SEEDS])
    assert len(report.statements) > 20
    assert report.clean, [(s.text, s.verdict, s.problems) for s in report.statements if s.problems or s.verdict != "supported"]
    assert report.draft == str(brief)


def test_a_speaker_the_brief_names_after_a_quote_is_checked_as_the_speaker(tmp_path: Path) -> None:
    # The seeds' brief gives the bare quote to Tillerson (" — Tillerson (named by [1][2][5])"); an
    # editor who puts Lavrov there has the words in the wrong mouth, as "..., Lavrov said" would.
    written = render_brief(summarize([SEEDS], engine="extractive"), "md")
    assert "\u2014 Tillerson (named by [1][2][5])" in written
    edited = tmp_path / "edited.md"
    edited.write_text(written.replace("\u2014 Tillerson (named by", "\u2014 Lavrov (named by"), encoding="utf-8")
    [moved] = [s for s in check(edited, [SEEDS]).statements
               if "foremost nuclear powers" in s.text and s.text.endswith("\u2014 Lavrov")]
    assert moved.verdict == "contradicted"
    assert any(p.kind == "speaker" and "to Tillerson, not Lavrov" in p.detail for p in moved.problems)
    [read] = [s for s in read_draft(written) if s.speaker == "Tillerson"]
    assert (read.speaker, read.named_by, read.citations) == ("Tillerson", (1, 2, 5), (1, 2, 3, 4, 5))
    assert read.words.endswith("cannot have this kind of relationship.\u201d")


def test_the_draft_s_headings_sources_list_and_notes_are_not_statements() -> None:
    draft = "\n".join([
        "---", "title: A draft", "---", "# A title", "_A brief of 2 reports, generated today._", "",
        "## Where the sources disagree", "",
        "The reports give different accounts of these points; each version is shown with its source.", "",
        "- **Reuters:** The deal was signed in Moscow\\. It takes effect in May. [2]", "",
        "Plain prose with no citation. And a `www.example.com` address.", "",
        "## Sources", "", "- **[1]** Reuters (a.txt)",
    ])
    statements = read_draft(draft)
    assert [(s.text, s.citations) for s in statements] == [
        ("The deal was signed in Moscow.", (2,)), ("It takes effect in May.", (2,)),
        ("Plain prose with no citation.", ()), ("And a www.example.com address.", ()),
    ]


def test_a_draft_with_nothing_to_check_or_not_text_is_refused_by_name(tmp_path: Path) -> None:
    runner = CliRunner()
    empty = tmp_path / "empty.md"
    empty.write_text("# Only a heading\n\n## Sources\n\n- **[1]** Reuters (a.txt)\n", encoding="utf-8")
    refused = runner.invoke(check_main, [str(empty), str(SEEDS)])
    assert refused.exit_code == 2 and "has no sentences to check" in refused.output
    binary = tmp_path / "draft.md"
    binary.write_bytes(b"\x00\x01\x02 not a draft")
    refused = runner.invoke(check_main, [str(binary), str(SEEDS)])
    assert refused.exit_code == 2 and "is not text" in refused.output
    latin = tmp_path / "latin.txt"  # a legacy encoding is read as articles are
    latin.write_bytes(FAITHFUL.replace("Mr", "M\u00e9").encode("cp1252"))
    assert "M\u00e9" in check(latin, [SEEDS]).statements[0].text


def test_cli_exit_status_and_formats(tmp_path: Path) -> None:
    runner = CliRunner()
    good = tmp_path / "good.md"
    good.write_text(FAITHFUL + "\n", encoding="utf-8")
    bad = tmp_path / "bad.md"
    bad.write_text(INVENTED + "\n", encoding="utf-8")
    clean = runner.invoke(check_main, [str(good), str(SEEDS)])
    assert clean.exit_code == 0, clean.output
    assert "1 supported, 0 contradicted, 0 unsupported" in clean.output
    assert "against 5 sources: 1 sentence, " in clean.output  # the singular for one
    flagged = runner.invoke(check_main, [str(bad), str(SEEDS), "--format", "json"])
    assert flagged.exit_code == 1
    report = CheckReport.model_validate_json(flagged.output)
    assert report.counts["unsupported"] == 1 and report.statements[0].text == INVENTED
    assert runner.invoke(check_main, [str(tmp_path / "missing.md"), str(SEEDS)]).exit_code == 2
    assert runner.invoke(check_main, [str(good)]).exit_code == 2  # no sources
    out = tmp_path / "report.txt"
    written = runner.invoke(check_main, [str(bad), str(SEEDS), "--out", str(out)])
    assert written.exit_code == 1 and out.read_text(encoding="utf-8").startswith("Checked ")
    page = tmp_path / "review.html"  # the suffix picks the review page
    assert runner.invoke(check_main, [str(bad), str(SEEDS), "--out", str(page)]).exit_code == 1
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'class="verdict-unsupported"' in html
    assert "1 sentence against 5 sources:" in html


def test_the_summarize_program_dispatches_check_and_exports_the_schema(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.md"
    good.write_text(FAITHFUL + "\n", encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        entry(["check", str(good), str(SEEDS)])
    assert done.value.code == 0 and "1 supported" in capsys.readouterr().out
    schema = check_json_schema()
    assert set(schema["properties"]) >= {"draft", "sources", "statements", "counts"}
    statement = schema["$defs"]["CheckedStatement"]["properties"]
    assert set(statement) >= {"index", "text", "verdict", "evidence", "problems"}


def test_the_text_report_shows_each_flagged_sentence_why_and_the_source(planted: CheckReport) -> None:
    text = render_check(planted, "text")
    assert "CONTRADICTED: Last week's attack" in text and "the draft says 120 where source 4 says 100" in text
    assert "UNSUPPORTED: The two ministers" in text and "no source sentence says this" in text
    assert "Mr Tillerson said the US" not in text  # a supported, rightly cited sentence is not listed
    assert json.loads(render_check(planted, "json"))["counts"]["contradicted"] == 4


def test_a_denial_opposes_only_a_sentence_that_makes_the_same_claim(tmp_path: Path) -> None:
    (tmp_path / "vatican.txt").write_text(
        "The Vatican published a document on relations with Jews on Thursday.\n\n"
        "Catholics should not try to convert Jews and should work with them to fight anti-Semitism, "
        "the Vatican said on Thursday.\n", encoding="utf-8")
    report = check("A Christian can never be an anti-Semite, the document reads.\n\n"
                   "Catholics should try to convert Jews, the Vatican said on Thursday.", [tmp_path])
    unrelated, reversed_claim = report.statements
    # One shared word and a "not" elsewhere: nothing in the source says otherwise, it just does not say it.
    assert unrelated.verdict == "unsupported" and not unrelated.problems
    assert reversed_claim.verdict == "contradicted" and reversed_claim.problems[0].kind == "negation"


def test_words_a_source_gives_its_speaker_by_he_said_are_not_given_to_another() -> None:
    # "...," he said at a news conference alongside Lavrov (RFE/RL), after a sentence naming
    # Tillerson: the words are Tillerson's though the sentence names Lavrov and not him.
    draft = ("\u201cThe world\u2019s two foremost nuclear powers cannot have this kind of relationship,\u201d Lavrov said.\n\n"
             "\u201cThe world\u2019s two foremost nuclear powers cannot have this kind of relationship,\u201d Tillerson said.\n\n"
             "Lavrov said Moscow would veto a Western-backed draft UN resolution on the suspected chemical weapons attack.\n\n"
             "Tillerson said Moscow would veto a Western-backed draft UN resolution on the suspected chemical weapons attack.")
    report = check(draft, [SEEDS])
    wrong, right, veto, misattributed = report.statements
    assert wrong.verdict == "contradicted"
    assert [p.kind for p in wrong.problems] == ["speaker"] and "Tillerson" in wrong.problems[0].detail
    assert right.verdict == "supported"
    # Reuters quotes it bare, right after "“There is a low level of trust ...,” Tillerson said."
    assert {(e.source, e.sentence) for e in right.evidence} >= {(1, 5), (5, 4)}
    assert veto.verdict == "supported" and [e.text[:20] for e in veto.evidence] == ["He also said Moscow "]
    assert misattributed.verdict != "supported"  # Lavrov's words, and Russia's veto, are not Tillerson's


HOAX_REPORT = ("NASA has confirmed that the Earth will experience six days of total darkness in December "
               "because of a solar storm.")
HOAX_DEBUNK = ("The story claiming that NASA confirmed six days of total darkness in December is a hoax "
               "that started on a satirical website.")


def _hoax_sources(folder: Path) -> Path:
    folder.mkdir()
    (folder / "1.txt").write_text(HOAX_REPORT + "\n", encoding="utf-8")
    (folder / "2.txt").write_text(HOAX_DEBUNK + "\n", encoding="utf-8")
    return folder


def test_a_report_another_source_calls_false_is_contradicted_by_that_source(tmp_path: Path) -> None:
    sources = _hoax_sources(tmp_path / "sources")
    report = check("NASA has confirmed that the Earth will experience six days of total darkness in December.\n\n"
                   "The story that NASA confirmed six days of darkness in December is a hoax.", [sources])
    told, debunked = report.statements
    # The hoax site says it; the debunker, in a sentence that quotes the claim, calls it a hoax
    # (and is not taken for evidence of it).
    assert told.verdict == "contradicted" and [p.kind for p in told.problems] == ["refuted"]
    assert told.problems[0].conflicting is not None and told.problems[0].conflicting.source == 2
    assert [e.source for e in told.evidence] == [1]
    # Saying that it is a hoax is the debunker's side, borne out as such.
    assert debunked.verdict == "supported" and not debunked.problems


def test_a_brief_of_a_hoax_and_its_debunker_checks_clean(tmp_path: Path) -> None:
    # The brief gives the report under its source's label ("**1:** NASA has confirmed ...") and in
    # that source's own list: said to be what that source says, not asserted.
    sources = _hoax_sources(tmp_path / "sources")
    brief = tmp_path / "brief.md"
    brief.write_text(render_brief(summarize([sources], engine="extractive"), "md"), encoding="utf-8")
    assert "Whether the report is true" in brief.read_text(encoding="utf-8")
    report = check(brief, [sources])
    assert report.clean, [(s.text, s.verdict, s.problems) for s in report.statements if s.verdict != "supported"]


def test_a_brief_giving_a_hoax_site_s_account_as_its_own_checks_clean(tmp_path: Path) -> None:
    # What else only the hoax site says is in the summary as its account ("_According to 1:_
    # The town sits ..."): checked without those words, and not asserted by the brief.
    sources = _hoax_sources(tmp_path / "sources")
    context = "The town sits seventy miles from the city and its hospital, the report went on to say."
    (sources / "1.txt").write_text(f"{HOAX_REPORT}\n\n{context}\n", encoding="utf-8")
    brief = tmp_path / "brief.md"
    brief.write_text(render_brief(summarize([sources], engine="extractive"), "md"), encoding="utf-8")
    assert f"- _According to 1:_ {context} [1]" in brief.read_text(encoding="utf-8")
    report = check(brief, [sources])
    assert report.clean, [(s.text, s.verdict, s.problems) for s in report.statements if s.verdict != "supported"]
    given = next(s for s in read_draft(brief.read_text(encoding="utf-8")) if s.text == context)  # the summary's
    assert given.attributed and given.citations == (1,)


def test_a_claim_labelled_as_such_is_not_said_to_be_refuted(tmp_path: Path) -> None:
    # A fact-checker's "Claim: ..." names what is claimed; it does not assert it.
    sources = _hoax_sources(tmp_path / "sources")
    report = check(f"Claim: {HOAX_REPORT}\n\n{HOAX_REPORT}", [sources])
    labelled, asserted = report.statements
    assert labelled.verdict == "supported" and not labelled.problems
    assert asserted.verdict == "contradicted"


@pytest.mark.parametrize("told", [
    "According to the story, NASA confirmed that the Earth will experience six days of total darkness in December.",
    "The article claimed that NASA confirmed six days of total darkness in December.",
])
def test_a_statement_that_says_whose_report_it_tells_is_not_said_to_be_refuted(tmp_path: Path, told: str) -> None:
    sources = _hoax_sources(tmp_path / "sources")
    [statement] = check(told, [sources]).statements
    assert "refuted" not in [p.kind for p in statement.problems]


def test_a_cited_source_is_read_whole_however_far_down_its_sentence_ranks(tmp_path: Path) -> None:
    # Nine sentences of the first report share more words with the statement than the second
    # report's does, so the closest few are all the first report's; none of them has the figure.
    # The second report, which the statement cites, does say it, in other words.
    near = [f"The council approved new homes and a {thing} on the old mill site in Ashford." for thing in
            ("car park", "playground", "footpath", "bus stop", "cycle lane", "garden", "café", "library", "clinic")]
    (tmp_path / "one.txt").write_text(" ".join(near), encoding="utf-8")
    (tmp_path / "two.txt").write_text(
        "Planners in Ashford, after a long meeting that ran late into the night and drew a crowd of residents, "
        "gave the go-ahead for 40 new homes at the mill.", encoding="utf-8")
    draft = "The council approved 40 new homes on the old mill site in Ashford. [2]\n"
    report = check(draft, [tmp_path / "one.txt", tmp_path / "two.txt"], similarity="lexical")
    [statement] = report.statements
    assert statement.verdict == "supported"
    assert statement.problems == []
    assert [(e.source, e.sentence) for e in statement.evidence] == [(2, 0)]
    # Cited to the first report instead, the citation is reported: no sentence of that one says it.
    moved = check(draft.replace("[2]", "[1]"), [tmp_path / "one.txt", tmp_path / "two.txt"], similarity="lexical")
    assert [p.detail for p in moved.statements[0].problems] == ["[1] does not say this"]
