"""Tests for the veracity detector: sources that report something as fact against sources that call
it false, a hoax or doubtful; one-sided groups and mere negations get no disagreement."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import load_sources, summarize_sources
from summarizer.align import align_sources
from summarizer.align.detectors.veracity import TOPIC
from summarizer.engines.extractive import ExtractiveEngine
from summarizer.models import Citation, Disagreement, Source
from summarizer.text.refutation import calls_false, negates, veracity_cue
from summarizer.text.similarity import get_similarity

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

REPORT = ("NASA has confirmed that the Earth will experience six days of total darkness in December "
          "because of a solar storm.")
HOAX = ("The story claiming that NASA confirmed six days of total darkness in December is a hoax "
        "that started on a satirical website.")
UNRELATED = "The city council approved a new budget for road repairs on Tuesday evening after a long debate."


def _source(number: int, *sentences: str) -> Source:
    return Source(id=number, path=f"{number:03d}.txt", title=f"Report {number}", sentences=list(sentences))


SIMILARITY_NAMES = pytest.mark.parametrize("name", ["lexical", "semantic"])


def _veracity(sources: list[Source], name: str | None = None) -> list[Disagreement]:
    return [d for d in align_sources(sources, get_similarity(name)).disagreements if d.topic == TOPIC]


@pytest.mark.parametrize("text, cue", [
    ("The story is a hoax, the agency said.", "hoax"),
    ("It was debunked by the agency within hours.", "was debunked"),
    ("The claim is false.", "false"),
    ("A fake news story claiming the blackout went viral.", "fake"),
    ("It first appeared on a satirical website.", "satirical"),
    ("The story about the ban was satire, its author said.", "was satire"),
    ("It came from a satire website based in Manila.", "satire website"),
    ("NASA scientists cast doubt on whether the blast was a meteorite at all.", "doubt on whether"),
    ("A rumor that the singer ripped up the contract was called rubbish.", "rumor that"),
    ("The alert headlined \"Rebel leader killed\" is withdrawn.", "withdrawn"),
    ("Officials say there is no truth to the claim that the town was closed.", "no truth to"),
    ("County officials emphatically rejected as false a posting on the website.", "rejected as false"),
    ("A spokesman dismissed the reports as mere speculation.", "dismissed the reports as mere speculation"),
    ("The network said the report was inaccurate.", "inaccurate"),
    ("The agency called the erroneous report a mistake.", "erroneous"),
])
def test_a_verdict_on_a_report_is_a_cue(text: str, cue: str) -> None:
    assert veracity_cue(text) == cue


@pytest.mark.parametrize("text", [
    "Lavrov said the United States should not offer Russia the false choice of being with the West.",
    "He shares custody of the fake horse and robot skeleton.",
    "The obituary called him the founder of a satirical thrash band.",
    "The success should leave no doubt about his determination.",
    "The standoff has cast further doubts on prospects for a detente.",
    "Bale was rumored to be the finalist to play the Apple co-founder.",
    "The video is not a hoax, the producers said.",
    "The rampant spread of fake news sites may have hurt her campaign.",
    # a question asks, and satire as a show's genre is no verdict
    "Is it a medieval fake or a relic of Jesus Christ?",
    "The sketch did not get as much attention as the presidential debate satire on the same night.",
    # a fraud story: the forged papers are its subject, not a verdict on a report
    "The criminals were able to pay off corrupt officials and obtain doctored documents.",
    "The pilot blamed an inaccurate altimeter reading for the hard landing.",
    "He dismissed the coach as a rumour-monger.",
])
def test_words_that_judge_something_else_are_no_cue(text: str) -> None:
    assert veracity_cue(text) is None


def test_negation_with_either_apostrophe() -> None:
    assert negates("He isn\u2019t Paul Rudd.") and negates("He isn't Paul Rudd.") and negates("It never happened.")
    assert not negates("It happened on Tuesday.")


@SIMILARITY_NAMES
def test_a_report_called_a_hoax_by_another_source_is_a_disagreement(name: str) -> None:
    sources = [_source(1, REPORT, UNRELATED), _source(2, HOAX)]
    [disagreement] = _veracity(sources, name)
    assert disagreement.kind == "sources_conflict"
    # the report first, in its own words and citing itself; then the refutation
    assert [p.text for p in disagreement.positions] == [REPORT, HOAX]
    assert [p.source_ids for p in disagreement.positions] == [[1], [2]]


@SIMILARITY_NAMES
def test_a_question_is_no_position(name: str) -> None:
    # The writer's question asserts nothing: the report's position is a sentence that states it.
    question = "Want to know whether NASA confirmed six days of total darkness on Earth in December?"
    sources = [_source(1, question, REPORT), _source(2, HOAX)]
    [disagreement] = _veracity(sources, name)
    assert [p.text for p in disagreement.positions] == [REPORT, HOAX]
    assert _veracity([_source(1, question, UNRELATED), _source(2, HOAX)], name) == []


@SIMILARITY_NAMES
def test_the_report_called_a_hoax_is_disputed_and_kept_out_of_the_lede(name: str) -> None:
    sources = [_source(1, REPORT, UNRELATED), _source(2, HOAX)]
    alignment = align_sources(sources, get_similarity(name))
    # the reporting side's sentence, not the refutation, nor the report's unrelated sentence
    assert alignment.disputed == [Citation(source=1, sentence=0)]
    engine = ExtractiveEngine(similarity=get_similarity(name))
    lede = engine.synthesize(sources, [], alignment).summary
    texts = [statement.text for statement in lede]
    # the brief does not tell the hoax as what happened; the verdict on it may lead
    assert REPORT not in texts and HOAX in texts


@SIMILARITY_NAMES
def test_the_brief_is_not_headed_by_the_report_called_false(name: str) -> None:
    report = Source(id=1, path="001.txt", title="NASA confirms six days of darkness in December", sentences=[REPORT])
    debunker = Source(id=2, path="002.txt", title="Six days of darkness story is a hoax", sentences=[HOAX])
    similarity = get_similarity(name)
    alignment = align_sources([report, debunker], similarity)
    engine = ExtractiveEngine(similarity=similarity)
    assert engine.synthesize([report, debunker], [], alignment).title == debunker.title
    untitled = debunker.model_copy(update={"title": None})
    assert engine.synthesize([report, untitled], [], alignment).title == "Brief of 2 reports"


@SIMILARITY_NAMES
def test_what_a_debunker_quotes_as_the_report_is_disputed_where_the_report_says_it(name: str) -> None:
    # The debunker quotes the hoax over several sentences, its marks opened once and not closed:
    # the sentence inside is the hoax's, word for word, though it reads as the debunker's own.
    detail = "The world will remain without sunlight during these days while dust and debris block the sun."
    aside = "Many readers believed the fake report and shared it widely online."
    report = _source(1, REPORT, detail)
    debunker = _source(2, HOAX, 'The bogus report read: "The Earth will be dark for six days in December.', detail,
                       '"Officials say that no major problems will arise."', aside)
    alignment = align_sources([report, debunker], get_similarity(name))
    # and the debunker's copy of it, word for word, says the hoax as much
    assert alignment.disputed == [Citation(source=1, sentence=0), Citation(source=1, sentence=1),
                                  Citation(source=2, sentence=2)]
    assert alignment.disputed_sources == [1]  # the debunker is not one of those telling the hoax
    # nor is the debunker's quoted sentence something it alone reports, in its own voice
    assert [group.text for group in alignment.exclusives] == [aside]
    lede = ExtractiveEngine(similarity=get_similarity(name)).synthesize([report, debunker], [], alignment).summary
    assert detail not in [statement.text for statement in lede]


@SIMILARITY_NAMES
def test_a_debunker_s_unmarked_copy_of_the_hoax_is_disputed_too(name: str) -> None:
    # The debunker pastes the hoax's sentence without quotation marks: cited to the debunker, the
    # copy would tell the hoax as fact in the lede.
    detail = "Organizers of every major award show have agreed to bar the singer from all future ceremonies."
    report = _source(1, REPORT, detail)
    debunker = _source(2, HOAX, "Its story went on.", detail, "Readers shared the story widely before it was exposed.")
    alignment = align_sources([report, debunker], get_similarity(name))
    assert {Citation(source=1, sentence=1), Citation(source=2, sentence=2)} <= set(alignment.disputed)
    assert alignment.disputed_sources == [1]
    lede = summarize_sources([report, debunker], similarity=name).summary
    assert detail not in [statement.text for statement in lede]


@SIMILARITY_NAMES
def test_the_summary_gives_what_rests_on_the_hoax_s_sources_alone_as_their_account(name: str) -> None:
    # The report's other sentences are not the claim, but the same pen wrote them: the summary says
    # whose account they are. What a source that calls nothing false bears out too is stated plainly,
    # and so is the refutation.
    context = "The town sits seventy miles from the city and its hospital, the report went on to say."
    report = _source(1, REPORT, context, UNRELATED)
    debunker = _source(2, HOAX)
    bystander = _source(3, UNRELATED)
    brief = summarize_sources([report, debunker, bystander], similarity=name)
    attributed = {statement.text: statement.attributed for statement in brief.summary}
    assert attributed.get(context) is True
    assert attributed.get(HOAX) is False and attributed.get(UNRELATED) is False
    assert REPORT not in attributed
    without_refutation = summarize_sources([report, bystander], similarity=name)
    assert not any(statement.attributed for statement in without_refutation.summary)


@SIMILARITY_NAMES
def test_without_a_refutation_nothing_is_disputed(name: str) -> None:
    other_report = REPORT.replace("because of a solar storm", "as a solar storm blocks the sun")
    alignment = align_sources([_source(1, REPORT, UNRELATED), _source(2, other_report)], get_similarity(name))
    assert alignment.disputed == []


@SIMILARITY_NAMES
def test_sources_that_all_debunk_get_no_disagreement(name: str) -> None:
    other_hoax = ("The six days of darkness in December that NASA supposedly confirmed are a hoax, "
                  "the agency said.")
    assert _veracity([_source(1, HOAX), _source(2, other_hoax)], name) == []


@SIMILARITY_NAMES
def test_sources_that_all_report_get_no_disagreement(name: str) -> None:
    other_report = "NASA said the Earth will have six days of total darkness in December after a solar storm."
    assert _veracity([_source(1, REPORT), _source(2, other_report)], name) == []


@SIMILARITY_NAMES
def test_a_source_that_repeats_and_then_debunks_is_not_set_against_itself(name: str) -> None:
    # Source 2 quotes the report, then calls it a hoax: its stance is the refutation, and with no
    # source vouching for the report there is nothing to disagree with.
    assert _veracity([_source(1, HOAX), _source(2, REPORT, HOAX.replace("satirical", "satirical news"))], name) == []


@SIMILARITY_NAMES
def test_a_negation_without_a_verdict_is_no_refutation(name: str) -> None:
    denial = "NASA has not confirmed that the Earth will experience six days of darkness in December."
    assert _veracity([_source(1, REPORT), _source(2, denial)], name) == []


@SIMILARITY_NAMES
def test_a_refuting_source_is_shown_by_its_verdict_before_its_negations(name: str) -> None:
    # The source calls the report satire and says the ban did not happen; the verdict, the plainer
    # refutation, is its position.
    report = "Organizers of the major awards shows agreed to bar Kanye West from all future award shows."
    verdict = "The story that award shows barred Kanye West for good came from a satirical website."
    negation = "Kanye West has not been banned from all future award shows by the organizers."
    [disagreement] = _veracity([_source(1, report), _source(2, verdict, negation)], name)
    assert [p.text for p in disagreement.positions] == [report, verdict]


BAN_REPORT = ("Elon University in North Carolina banned the word freshman from its website and student "
              "orientation, claiming it is sexist.")
RUMOR = "A recent rumor claims that Elon University has banned the term freshman because it is sexist."
VERDICT = "But the rumor is not true, according to the university."


@SIMILARITY_NAMES
def test_a_verdict_is_compared_through_the_sentence_before_it(name: str) -> None:
    # "But the rumor is not true" names what it refutes only in the sentence before: compared on its
    # own it is related to no report, through that sentence it is; the verdict is the position.
    assert _veracity([_source(1, BAN_REPORT), _source(2, VERDICT)], name) == []
    [disagreement] = _veracity([_source(1, BAN_REPORT), _source(2, RUMOR, VERDICT)], name)
    assert [p.text for p in disagreement.positions] == [BAN_REPORT, VERDICT]
    assert [p.source_ids for p in disagreement.positions] == [[1], [2]]


@SIMILARITY_NAMES
def test_doubt_is_not_compared_through_the_sentence_before_it(name: str) -> None:
    # A story that vouches for a report may quote a party's doubt about it, right after it: that
    # doubt is set against reports only when it says what it doubts itself.
    report = "A small meteorite crashed into a wooded area near the airport of Managua overnight, officials said."
    told = "Officials said the meteorite left a crater twelve meters wide near the airport of Managua."
    doubt = "But NASA's Bill Cooke is skeptical."
    assert not calls_false(doubt) and veracity_cue(doubt) == "skeptical"
    assert _veracity([_source(1, report), _source(2, told, doubt)], name) == []


@pytest.mark.parametrize("text, verdict", [
    ("But the rumor is not true, according to the university.", True),
    ("The Adobo Chronicles is another \"satire\" publication that publishes fake news.", True),
    ("The claim is false.", True),
    ("The report remains unconfirmed.", False),
    ("Scientists are skeptical of the claim.", False),
    ("The video is not a hoax, the producers said.", False),
])
def test_calls_false_tells_a_verdict_from_doubt(text: str, verdict: bool) -> None:
    assert calls_false(text) is verdict


def test_a_party_s_denial_of_guilt_is_left_to_the_parties_dispute() -> None:
    accusation = "Tillerson said the United States was confident that Assad's forces were behind the gas attack."
    denial = ("Safronov, a Russian representative to the UN, said there was no evidence to prove the Assad "
              "regime carried out the gas attack.")
    alignment = align_sources([_source(1, accusation), _source(2, denial)])
    assert not any(d.topic == TOPIC for d in alignment.disagreements)


@SIMILARITY_NAMES
def test_the_seeds_have_no_veracity_disagreement(name: str) -> None:
    # The seeds mention "fake news sites" and doubts about a detente: neither calls a report false.
    sources = load_sources([SEEDS], on_warning=lambda _message: None)
    assert _veracity(sources, name) == []
