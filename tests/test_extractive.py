"""The extractive engine: central sentences under a budget, long sources covered end to end."""

from __future__ import annotations

from summarizer.engines.extractive import ExtractiveEngine
from summarizer.models import Alignment, Citation, FactGroup, Source
from summarizer.text.chunking import chunk_source
from summarizer.text.tokens import count_tokens

TOPIC = [
    "Russia and the United States agreed to set up a working group on Wednesday in Moscow.",
    "The working group will try to mend ties between Moscow and Washington after the talks.",
    "Tillerson said ties between Russia and the United States were at a low point.",
    "Lavrov said Moscow and Washington would keep talking about Syria and the working group.",
]
FILLER = [f"Paragraph {n} of the long report discusses the harvest of apples in orchard number {n}." for n in range(300)]


def test_summary_fits_the_budget_and_keeps_article_order() -> None:
    source = Source(id=1, path="a.txt", sentences=TOPIC + ["The weather was cold and grey all week long."])
    engine = ExtractiveEngine(max_tokens=45)
    summary = engine.summarize_source(source, chunk_source(source, engine.chunk_tokens))
    picked = [s.citations[0].sentence for s in summary.summary]
    assert picked == sorted(picked)
    assert sum(count_tokens(s.text) for s in summary.summary) <= 45
    assert all(s.text == source.sentences[i] for s, i in zip(summary.summary, picked))
    assert 4 not in picked  # the off-topic sentence is the least central


def test_a_sentence_that_says_he_is_taken_only_when_none_that_stands_alone_is_left() -> None:
    # The most central sentence quotes "he": out of its article nobody can tell who.
    he_said = "\"Moscow and Washington will keep talking about Syria and the working group,\" he said."
    source = Source(id=1, path="a.txt", sentences=[*TOPIC, he_said])
    engine = ExtractiveEngine(max_tokens=70)
    picked = [s.text for s in engine.summarize_source(source, chunk_source(source, engine.chunk_tokens)).summary]
    assert picked and he_said not in picked
    roomy = ExtractiveEngine(max_tokens=400)  # room for every sentence: it is taken last, not dropped
    assert he_said in [s.text for s in roomy.summarize_source(source, chunk_source(source, roomy.chunk_tokens)).summary]



def test_a_fragment_a_feed_cut_off_is_left_out_while_whole_sentences_are_left() -> None:
    # Room for every sentence, yet the cut-off one says nothing a reader can use.
    cut = "Tillerson and Lavrov spent the rest of the day in Moscow talking about the working group in"
    source = Source(id=1, path="a.txt", sentences=[*TOPIC, cut])
    engine = ExtractiveEngine(max_tokens=400)
    picked = [s.text for s in engine.summarize_source(source, chunk_source(source, engine.chunk_tokens)).summary]
    assert picked == TOPIC
    # A report of fragments only still gets them: an empty summary would say nothing at all.
    fragments = Source(id=2, path="b.txt", sentences=[cut, "Russia and the United States agreed on Wednesday to set up a"])
    assert [s.text for s in engine.summarize_source(fragments, chunk_source(fragments, engine.chunk_tokens)).summary]


def test_someone_elses_words_inside_a_quotation_are_not_the_sources_statement() -> None:
    # A quotation opened in one sentence runs on, without marks, into the next: those are the
    # quoted party's words, which the source's summary would give as its own.
    opens = 'The bogus report read: "Russia and the United States will merge their armies on Friday.'
    inside = "The working group will then govern both countries from Moscow and Washington."
    source = Source(id=1, path="a.txt", sentences=[*TOPIC, opens, inside, "Nobody believed the report at all."])
    engine = ExtractiveEngine(max_tokens=400)
    picked = [s.text for s in engine.summarize_source(source, chunk_source(source, engine.chunk_tokens)).summary]
    assert picked and inside not in picked and TOPIC[0] in picked


def test_a_run_of_text_with_no_end_found_is_never_a_statement() -> None:
    # A page of words with no full stop: one "sentence" of 5,000 words, longer than any budget.
    # Shown, it would make the brief as long as the page; a report of nothing else shows nothing.
    run = " ".join(["word"] * 5000)
    engine = ExtractiveEngine(max_tokens=400)
    mixed = Source(id=1, path="a.txt", sentences=[*TOPIC, run])
    assert [s.text for s in engine.summarize_source(mixed, chunk_source(mixed, engine.chunk_tokens)).summary] == TOPIC
    alone = Source(id=2, path="b.txt", sentences=[run])
    assert engine.summarize_source(alone, chunk_source(alone, engine.chunk_tokens)).summary == []

def test_a_report_of_two_unrelated_sentences_still_gets_a_summary() -> None:
    # A feed cut at a word limit leaves two sentences that share no topic: neither is "related to
    # another sentence of its chunk", yet they are all the report says; an off-topic sentence
    # still never fills the budget of a report that has on-topic ones (the first test).
    sentences = ["If the graves turn out to contain the students, it will suggest they were executed by their captors.",
                 "Officials in the capital announced a new budget for rural schools on Friday afternoon."]
    source = Source(id=1, path="short.txt", sentences=sentences)
    engine = ExtractiveEngine(max_tokens=350)
    picked = [s.text for s in engine.summarize_source(source, chunk_source(source, engine.chunk_tokens)).summary]
    assert picked == sentences


def test_a_source_far_larger_than_the_budget_is_covered_beyond_its_first_chunk() -> None:
    source = Source(id=1, path="long.txt", sentences=TOPIC + FILLER + TOPIC)
    engine = ExtractiveEngine(max_tokens=400)
    chunks = chunk_source(source, engine.chunk_tokens)
    assert len(chunks) > 5
    summary = engine.summarize_source(source, chunks)
    first_chunk_end = chunks[0].first_sentence + len(chunks[0].sentences)
    assert any(s.citations[0].sentence >= first_chunk_end for s in summary.summary)


def test_synthesis_ranks_agreements_and_uses_the_best_title() -> None:
    sources = [
        Source(id=1, path="a.txt", title="Apples are cheap this year", sentences=TOPIC[:2]),
        Source(id=2, path="b.txt", title="US and Russia agree to form a working group", sentences=TOPIC[:2]),
    ]
    group = FactGroup(members=[Citation(source=1, sentence=0), Citation(source=2, sentence=0)],
                      representative=Citation(source=1, sentence=0), text=TOPIC[0], score=2.0)
    weak = FactGroup(members=[Citation(source=1, sentence=1), Citation(source=2, sentence=1)],
                     representative=Citation(source=1, sentence=1), text=TOPIC[1], score=1.0)
    draft = ExtractiveEngine().synthesize(sources, [], Alignment(agreements=[weak, group], facts=[group, weak]))
    assert draft.title == "US and Russia agree to form a working group"
    assert [s.text for s in draft.agreements] == [TOPIC[0], TOPIC[1]]
    lede = {s.text: s.citations for s in draft.summary}
    assert lede[TOPIC[0]] == group.members  # the lede cites every source that bears it out


def test_a_title_two_reports_share_is_no_agreement_but_a_quoted_remark_is() -> None:
    title = '" pee-wee\'s big holiday. "'
    remark = '"We thought it was a bomb because we felt an expansive wave."'
    sources = [Source(id=n, path=f"{n}.txt", sentences=[title, remark, TOPIC[0]]) for n in (1, 2)]

    def shared(sentence: int, score: float) -> FactGroup:
        return FactGroup(members=[Citation(source=1, sentence=sentence), Citation(source=2, sentence=sentence)],
                         representative=Citation(source=1, sentence=sentence),
                         text=sources[0].sentences[sentence], score=score)

    groups = [shared(0, 3.0), shared(1, 2.0), shared(2, 1.0)]
    draft = ExtractiveEngine().synthesize(sources, [], Alignment(agreements=groups, facts=groups))
    assert [s.text for s in draft.agreements] == [remark, TOPIC[0]]


def test_exclusives_give_every_source_its_best_first() -> None:
    sources = [Source(id=n, path=f"{n}.txt", sentences=[f"Source {n} alone reports fact number {k} in detail here."
                                                        for k in range(5)]) for n in (1, 2, 3)]
    def group(source: int, sentence: int, score: float) -> FactGroup:
        cite = Citation(source=source, sentence=sentence)
        return FactGroup(members=[cite], representative=cite, text=sources[source - 1].sentences[sentence],
                         score=score)
    # Source 1 has the three best-scored exclusives, but each source's best comes first.
    exclusives = [group(1, 0, 9.0), group(1, 1, 8.0), group(1, 2, 7.0), group(2, 0, 2.0), group(3, 0, 1.0)]
    draft = ExtractiveEngine().synthesize(sources, [], Alignment(exclusives=exclusives))
    firsts = [statement.citations[0] for statement in draft.exclusives]
    assert [c.source for c in firsts] == [1, 2, 3, 1, 1]
