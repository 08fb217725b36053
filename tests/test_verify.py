"""verify: citations must resolve to real sentences that support the statement."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from summarizer.models import BriefDraft, Citation, Disagreement, Source, SourceSummary, Statement
from summarizer.text.support import check_support, one_bears_the_other_out
from summarizer.verify import strip_foreign_links, verify_citations

SOURCES = [
    Source(id=1, path="a.txt", sentences=[
        "The attack killed 87 civilians in Khan Sheikhun.",
        "Lavrov met Tillerson in Moscow on Wednesday.",
    ]),
    Source(id=2, path="b.txt", sentences=[
        "Officials said the attack killed more than 80 civilians in Khan Sheikhoun.",
        "Tillerson and Lavrov met in Moscow for talks on Wednesday.",
        "The weather in Moscow was cold.",
    ]),
]


def cite(source: int, sentence: int) -> Citation:
    return Citation(source=source, sentence=sentence)


def test_verbatim_sentence_supports_itself() -> None:
    assert check_support(SOURCES[0].sentences[0], SOURCES[0].sentences[0]).supported


def test_a_number_the_sentence_does_not_state_is_unsupported() -> None:
    verdict = check_support("The attack killed 87 civilians.", SOURCES[1].sentences[0])
    assert not verdict.supported
    assert "87" in verdict.reason


def test_different_wording_of_the_same_fact_is_supported() -> None:
    assert check_support(SOURCES[0].sentences[1], SOURCES[1].sentences[1]).supported


@pytest.mark.parametrize("sentence, supported", [
    ("But neither side cited much in the way of cooperation, beyond establishing a working group to address "
     "what Tillerson called \"smaller issues.\"", True),
    # the working group, but to discuss "larger issues": the quoted words are not there
    ("Mr Tillerson also noted that the two sides agreed to set up a \u201cworking group\u201d in order to be able "
     "to discuss larger issues.", False),
])
def test_a_short_quoted_phrase_needs_all_its_words(sentence: str, supported: bool) -> None:
    statement = 'Tillerson said the two countries had agreed to set up a "working group" to coordinate on "smaller issues."'
    assert check_support(statement, sentence).supported is supported


def test_words_in_single_quotes_are_quoted_words_too() -> None:
    # A headline glued to its article's first sentence, and another report of the plea: the pardon
    # request is there, the words put in Eichmann's mouth are not.
    statement = ("eichmann claimed he was ' a mere instrument ' in holocaust, appeal reveals 'i was not a "
                 "responsible leader and do not feel myself guilty, ' writes nazi war criminal adolf eichmann, "
                 "whose appeal for a pardon from israel's then president yitzhak ben-zvi was refused.")
    other = ("High-ranking nazi adolf eichmann requested a pardon from israel's president yitzhak ben-zvi two "
             "days before was hanged to death.")
    verdict = check_support(statement, other)
    assert not verdict.supported and verdict.reason == "the sentence does not have the quoted words"
    assert check_support(statement.replace("'", ""), other).supported  # what the marks alone change


def test_unrelated_sentence_is_unsupported() -> None:
    verdict = check_support(SOURCES[0].sentences[1], SOURCES[1].sentences[2])
    assert not verdict.supported


def test_sharing_the_speaker_and_a_number_word_is_not_support() -> None:
    # Same speaker, "said", "two countries": the words every report of the talks has. What the
    # statement says (a low level of trust) is nowhere in the sentence.
    verdict = check_support("Tillerson said there was a low level of trust between the two countries.",
                            "Tillerson said the two countries had agreed to set up a working group.")
    assert not verdict.supported and verdict.reason == "the sentence is about something else"
    # Quoted, the same statement fails first on the words it puts in his mouth.
    verdict = check_support("\u201cThere is a low level of trust between our two countries,\u201d Tillerson said.",
                            "Tillerson said the two countries had agreed to set up a working group.")
    assert not verdict.supported and verdict.reason == "the sentence does not have the quoted words"


def test_a_quoted_remark_is_borne_out_only_by_a_sentence_with_most_of_its_words() -> None:
    remark = ('He also said Moscow would veto a Western-backed draft UN resolution on the suspected chemical '
              'weapons attack, saying it would be "counterproductive to have a UN resolution that would '
              'legitimize the accusations against Damascus."')
    act = ("In the wake of the meeting Russia then vetoed a US-backed resolution at the UN demanding the Syrian "
           "government cooperate with an investigation of a suspected chemical attack.")
    verdict = check_support(remark, act, speaker="Putin")
    assert not verdict.supported and verdict.reason == "the sentence does not have the quoted words"
    # Two translations of one remark share most of its words, in quotes or not.
    putin = ('"One can say that that the level of trust on the working level, particularly on the military '
             'level, has not improved but most likely deteriorated," Putin said.')
    translated = ("Putin said the level of trust on a working level, especially on the military side, has not "
                  "improved but most likely worsened.")
    assert check_support(putin, translated).supported


@pytest.mark.parametrize("sentence, supported", [
    # "the two countries" names the parties again; it is not a count the sentence must repeat
    ("But neither side cited much in the way of concrete new avenues of cooperation, beyond establishing a "
     "working group to address what Tillerson called \"smaller issues.\"", True),
    # ... unless the sentence counts them otherwise
    ("Tillerson said the three countries had agreed to set up a working group on smaller issues.", False),
])
def test_the_two_countries_names_the_parties_and_does_not_count_them(sentence: str, supported: bool) -> None:
    statement = "Tillerson said the two countries had agreed to set up a \"working group\" to coordinate on \"smaller issues.\""
    assert check_support(statement, sentence).supported is supported


def test_a_count_that_is_a_figure_is_still_checked() -> None:
    assert not check_support("The attack killed two civilians in Khan Sheikhun.", SOURCES[0].sentences[0]).supported
    assert not check_support("Two countries agreed to set up a working group.",
                             "The countries agreed to set up a working group.").supported


def test_a_stance_verb_is_content_not_attribution() -> None:
    # "denied" says something of its own: a sentence where he only said it does not support it.
    assert not check_support("Lavrov denied the Russian role in the attack.",
                             "Lavrov said the attack showed the Russian role.").supported
    assert check_support("Lavrov said the Russian role in the attack was clear.",
                         "The Russian role in the attack was clear, Lavrov told reporters.").supported


def test_a_negation_about_something_else_does_not_oppose() -> None:
    # "don't suspect foul play" negates nothing the statement says.
    assert check_support("Brockie was found dead inside the home.",
                         "Brockie was found dead inside the home, and detectives don't suspect foul play.").supported
    verdict = check_support("Robots patrol the Microsoft campus.", "Robots are not patrolling the Microsoft campus.")
    assert not verdict.supported and "one denies what the other asserts" in verdict.reason


def test_not_only_adds_instead_of_negating() -> None:
    # "not only to dialogue but to joint action" asserts the dialogue (two renderings of Lavrov's words).
    statement = '"Russia is open to this, open to dialogue with the US in all different areas," Lavrov insisted.'
    sentence = ('"Russia is open to this, open to dialogue with the US in all different areas, not only to '
                'dialogue but to joint action aimed at results," Lavrov said.')
    assert check_support(statement, sentence).supported
    verdict = check_support(statement, sentence.replace("not only to dialogue but", "not to dialogue but only"))
    assert not verdict.supported and "one denies what the other asserts" in verdict.reason


def test_a_name_no_cited_sentence_has_is_unsupported() -> None:
    verdict = check_support("Putin and Obama met Tillerson in Moscow.", SOURCES[0].sentences[1])
    assert not verdict.supported
    assert "obama" in verdict.reason and "putin" in verdict.reason


def test_a_statement_naming_someone_its_sentences_do_not_is_dropped() -> None:
    # Each sentence alone names enough, but no cited sentence names Obama.
    statement = Statement(text="Lavrov, Obama and Tillerson met in Moscow on Wednesday.",
                          citations=[cite(1, 1), cite(2, 1)])
    verified, warnings = verify_citations(BriefDraft(title="t", summary=[statement]), SOURCES)
    assert verified.summary == []
    assert any("names obama" in w for w in warnings)


def test_dangling_and_unsupported_citations_are_dropped_with_warnings() -> None:
    draft = BriefDraft(
        title="t",
        summary=[Statement(text=SOURCES[0].sentences[1],
                           citations=[cite(1, 1), cite(2, 1), cite(2, 9), cite(7, 0), cite(2, 2)])],
    )
    verified, warnings = verify_citations(draft, SOURCES)
    assert verified.summary[0].citations == [cite(1, 1), cite(2, 1)]
    assert sum("no such sentence" in w for w in warnings) == 2
    assert any("source 2, sentence 2" in w for w in warnings)


def test_statement_with_no_supporting_citation_is_dropped() -> None:
    draft = BriefDraft(title="t", exclusives=[Statement(text="Moscow sent 400 tanks to Idlib.",
                                                        citations=[cite(1, 0)])])
    verified, warnings = verify_citations(draft, SOURCES)
    assert verified.exclusives == []
    assert any("no cited sentence supports it" in w for w in warnings)


def test_agreement_left_with_one_source_is_dropped() -> None:
    draft = BriefDraft(title="t", agreements=[
        Statement(text=SOURCES[0].sentences[0], citations=[cite(1, 0), cite(2, 0)]),
        Statement(text=SOURCES[0].sentences[1], citations=[cite(1, 1), cite(2, 1)]),
    ])
    verified, warnings = verify_citations(draft, SOURCES)
    # "87" is not in source 2's sentence, so the first is not an agreement of two sources.
    assert [s.text for s in verified.agreements] == [SOURCES[0].sentences[1]]
    assert any("fewer than two sources" in w for w in warnings)


def test_disagreement_keeps_each_position_and_drops_when_one_remains() -> None:
    conflict = Disagreement(topic="Death toll", positions=[
        Statement(text=SOURCES[0].sentences[0], citations=[cite(1, 0)]),
        Statement(text=SOURCES[1].sentences[0], citations=[cite(2, 0)]),
    ])
    broken = Disagreement(topic="Broken", positions=[
        Statement(text=SOURCES[0].sentences[0], citations=[cite(1, 0)]),
        Statement(text="Nobody died.", citations=[cite(2, 5)]),
    ])
    verified, warnings = verify_citations(BriefDraft(title="t", disagreements=[conflict, broken]), SOURCES)
    assert [d.topic for d in verified.disagreements] == ["Death toll"]
    assert len(verified.disagreements[0].positions) == 2
    assert any("Broken" in w for w in warnings)


def test_per_source_summary_citing_another_source_is_dropped() -> None:
    draft = BriefDraft(title="t", per_source=[SourceSummary(source=1, summary=[
        Statement(text=SOURCES[0].sentences[1], citations=[cite(1, 1)]),
        Statement(text=SOURCES[1].sentences[1], citations=[cite(2, 1)]),
    ])])
    verified, warnings = verify_citations(draft, SOURCES)
    assert [s.citations for s in verified.per_source[0].summary] == [[cite(1, 1)]]
    assert warnings


def test_links_and_images_the_sources_do_not_have_are_removed() -> None:
    text = "Lavrov met Tillerson ![x](https://evil.example/p.png) [see](http://evil.example) www.evil.example"
    cleaned = strip_foreign_links(text, [SOURCES[0].sentences[1]])
    assert cleaned == "Lavrov met Tillerson"
    kept = strip_foreign_links("Read https://ok.example/a now", ["source says https://ok.example/a"])
    assert kept == "Read https://ok.example/a now"
    own = strip_foreign_links("Details [here](https://ok.example/a).", ["source says https://ok.example/a"])
    assert own == "Details here https://ok.example/a."


@pytest.mark.parametrize("text", [
    "Quotas were cut ![x](https://evil.example/p.png) [see here](http://evil.example/?d=SECRET).",
    "Quotas were cut ![x](https://evil.example/p.png) [see here](http://evil.example) ![x](https://evil.example/p.png) "
    "[see here](http://evil.example).",
    "Quotas were cut. See [here](https://evil.example/x",
    "Quotas were cut [here](<https://evil.example/x> \"title\") <img src=https://evil.example/i.png> "
    "<a href='https://evil.example'>now</a>.",
    "Quotas were cut, see <https://evil.example/x>.",
    "Quotas were cut (see https://evil.example/x), visit www.evil.example.",
])
def test_stripping_a_link_leaves_no_debris(text: str) -> None:
    cleaned = strip_foreign_links(text, ["Quotas were cut by 15 percent."])
    assert "evil" not in cleaned and "SECRET" not in cleaned
    for debris in ("](", "[", "]", "![", "<", ">", "see", "visit", " x ", "()"):
        assert debris not in cleaned, (debris, cleaned)
    assert cleaned.startswith("Quotas were cut")
    assert "  " not in cleaned and " ." not in cleaned


def test_an_exclusive_citing_two_sources_is_dropped() -> None:
    draft = BriefDraft(title="t", exclusives=[
        Statement(text=SOURCES[0].sentences[1], citations=[cite(1, 1), cite(2, 1)]),
        Statement(text=SOURCES[0].sentences[0], citations=[cite(1, 0)]),
    ])
    verified, warnings = verify_citations(draft, SOURCES)
    assert [s.text for s in verified.exclusives] == [SOURCES[0].sentences[0]]
    assert any("not reported by one source only" in w for w in warnings)


def test_a_topic_with_a_figure_or_name_its_sentences_lack_gives_way_to_a_neutral_one() -> None:
    positions = [Statement(text=SOURCES[0].sentences[0], citations=[cite(1, 0)]),
                 Statement(text=SOURCES[1].sentences[0], citations=[cite(2, 0)])]
    draft = BriefDraft(title="t", disagreements=[
        Disagreement(topic="Death toll in Khan Sheikhun", positions=positions),
        Disagreement(topic="Obama says 500 died", positions=positions),
    ])
    verified, warnings = verify_citations(draft, SOURCES)
    assert [d.topic for d in verified.disagreements] == ["Death toll in Khan Sheikhun", "Where the reports differ"]
    assert any("replaced the topic" in w and "500" in w for w in warnings)


def test_the_speaker_of_a_quote_given_to_he_is_named_with_the_reports_that_name_him() -> None:
    quote = '"We want joint action against terrorism in Syria," he added.'
    sources = [
        Source(id=1, path="a.txt", sentences=['"Russia is open to dialogue with the US," Lavrov said.', quote]),
        Source(id=2, path="b.txt", sentences=["Lavrov met Tillerson.", '"Russia is open to dialogue," Lavrov said.',
                                              quote]),
        # "the minister" names no one
        Source(id=3, path="c.txt", sentences=['"We want joint action against terrorism in Syria," the minister said.']),
        # another speaker
        Source(id=4, path="d.txt", sentences=['"Russia is open to dialogue," Peskov said.', quote]),
    ]

    def agreement(*cited: tuple[int, int]) -> Statement:
        return Statement(text=quote, citations=[Citation(source=s, sentence=i) for s, i in cited])

    draft = BriefDraft(title="t", agreements=[agreement((1, 1), (2, 2)), agreement((1, 1), (3, 0)),
                                              agreement((1, 1), (4, 1)), agreement((3, 0), (4, 1))])
    verified, _warnings = verify_citations(draft, sources)
    # In order: both reports name Lavrov; report 1 names him and report 3 gives the words to "the
    # minister" (cited for the words, not for who said them); report 4's "he" is Peskov, so the two
    # name different people and no one is named; "the minister" and Peskov: Peskov, named by report 4.
    assert [(a.speaker, a.speaker_sources) for a in verified.agreements] == [
        ("Lavrov", [1, 2]), ("Lavrov", [1]), (None, []), ("Peskov", [4])]
    named = BriefDraft(title="t", agreements=[Statement(text='"Russia is open to dialogue," Lavrov said.',
                                                        citations=[Citation(source=1, sentence=0),
                                                                   Citation(source=2, sentence=1)])])
    kept = verify_citations(named, sources)[0].agreements[0]
    assert (kept.speaker, kept.speaker_sources) == (None, [])  # its text names him


def test_the_markdown_brief_names_the_speaker_after_the_quote_and_a_check_reads_it_back() -> None:
    from summarizer.check.draft import read_draft
    from summarizer.models import Brief
    from summarizer.render import render_brief

    source = Source(id=1, path="a.txt", sentences=["Lavrov spoke in Moscow.", '"We want joint action," he added.'])
    statement = Statement(text='"We want joint action," he added.', citations=[Citation(source=1, sentence=1)],
                          speaker="Lavrov")
    brief = Brief(title="t", engine="extractive", generated_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
                  sources=[source], summary=[statement], agreements=[], disagreements=[], exclusives=[],
                  per_source=[])
    markdown = render_brief(brief, "md")
    assert '"We want joint action," he added. \u2014 Lavrov [1]' in markdown.replace("\\", "")
    read = [s for s in read_draft(markdown) if "joint action" in s.text]
    assert [(s.text, s.citations) for s in read] == [('"We want joint action," he added. \u2014 Lavrov', (1,))]


def test_a_speaker_only_some_reports_name_is_shown_with_them_and_a_check_reads_it_back(tmp_path: Path) -> None:
    from summarizer.check import check
    from summarizer.check.draft import read_draft
    from summarizer.models import Brief
    from summarizer.render import render_brief

    quote = '"We want joint action against terrorism in Syria," he added.'
    sources = [Source(id=1, path="a.txt", sentences=['"Russia is open to dialogue with the US," Lavrov said.', quote]),
               Source(id=2, path="b.txt",
                      sentences=['"We want joint action against terrorism in Syria," the minister said.'])]
    draft = BriefDraft(title="t", agreements=[Statement(text=quote, citations=[Citation(source=1, sentence=1),
                                                                                Citation(source=2, sentence=0)])])
    verified, _warnings = verify_citations(draft, sources)
    brief = Brief(title="t", engine="extractive", generated_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
                  sources=sources, summary=[], agreements=verified.agreements, disagreements=[], exclusives=[],
                  per_source=[])
    markdown = render_brief(brief, "md").replace("\\", "")
    # Report 2 is cited for the words, not for who said them.
    assert f"{quote} \u2014 Lavrov (named by [1]) [1][2]" in markdown
    assert "Lavrov (named by [1])" in render_brief(brief, "html")
    read = [s for s in read_draft(markdown) if "joint action" in s.text]
    assert [(s.text, s.citations, s.named_by, s.words) for s in read] == [
        (f"{quote} \u2014 Lavrov", (1, 2), (1,), quote)]
    # The brief checks clean; moving the name's citation to the report that does not name him does not.
    for name, text, clean in [("brief.md", markdown, True),
                              ("moved.md", markdown.replace("(named by [1])", "(named by [2])"), False)]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        files = []
        for source in sources:
            files.append(tmp_path / source.path)
            files[-1].write_text(" ".join(source.sentences), encoding="utf-8")
        report = check(path, files)
        problems = [p.detail for s in report.statements for p in s.problems]
        assert (problems == []) is clean, problems


@pytest.mark.parametrize("first, second, one_news", [
    ("Police say that they have arrested two teens after some christmas decorations were vandalized.",
     "colerain police arrested two teens wednesday night, who they say confessed to slashing christmas "
     "decorations on adair court.", True),
    # each bears the other out, but one calls the other's report fake
    ("An article saying NASA confirmed six days of total darkness in December is fake.",
     "NASA has confirmed that the Earth will experience six days of total darkness in December.", False),
    # one negates what the other says
    ("Bale will not play Steve Jobs, the studio said.", "Bale will play Steve Jobs, the studio said.", False),
    # close in subject, but neither says what the other does
    ("Police say that they have arrested two teens after some christmas decorations were vandalized.",
     "The inflatable santas were put up months before christmas so a toddler with brain cancer could enjoy "
     "the holiday spirit.", False),
])
def test_one_piece_of_news_is_borne_out_either_way_with_the_same_polarity(first: str, second: str,
                                                                          one_news: bool) -> None:
    assert one_bears_the_other_out(first, second) is one_news
    assert one_bears_the_other_out(second, first) is one_news
