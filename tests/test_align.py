"""Tests for the cross-source alignment: agreements, exclusives, disagreements, determinism, cost."""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pytest

from summarizer.align import align_sources
from summarizer.align.wording import trimmed_wordings
from summarizer.models import Alignment, Citation, FactGroup, Source, Statement
from summarizer.text.similarity import get_similarity
from summarizer.text.support import citing_support

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# A deliberately simple loader, independent of summarizer.sources (written in parallel): body lines
# are long lines ending like a sentence; sentences end at .!? (plus closing quote) before a capital.
_LOOKS_LIKE_BODY_END = re.compile(r"[.!?\u2026][\"\u201d\u2019)]*$")
_CANDIDATE_END = re.compile(r"(?<=[.!?])[\"\u201d\u2019]?(?=\s+[\"\u201c\u2018A-Z])")
_NOT_AN_END = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Jr|Sr)\.|\b(?:[A-Z]\.)+)[\"\u201d\u2019]?$")


def split_simple(text: str) -> list[str]:
    """Split a paragraph into sentences, not after titles or initials (Mr., U.S.)."""
    sentences, start = [], 0
    for match in _CANDIDATE_END.finditer(text):
        head = text[start : match.end()]
        if _NOT_AN_END.search(head):
            continue
        sentences.append(head.strip())
        start = match.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def seed_sources() -> list[Source]:
    """The five seed articles as Sources, with their web cruft filtered out by line shape."""
    sources = []
    for number, path in enumerate(sorted(SEEDS.glob("*.txt")), start=1):
        seen: set[str] = set()
        sentences: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line.split()) < 8 or not _LOOKS_LIKE_BODY_END.search(line) or line in seen:
                continue
            seen.add(line)
            sentences.extend(split_simple(line))
        sources.append(Source(id=number, path=str(path), sentences=sentences))
    return sources


@pytest.fixture(scope="module")
def seeds() -> list[Source]:
    return seed_sources()


@pytest.fixture(scope="module")
def seed_alignment(seeds: list[Source]) -> Alignment:
    return align_sources(seeds)


def _text(sources: list[Source], citation: Citation) -> str:
    return sources[citation.source - 1].sentences[citation.sentence]


def _group_with(alignment: Alignment, sources: list[Source], needle: str, *,
                exclusives: bool = False) -> FactGroup:
    groups = alignment.exclusives if exclusives else alignment.agreements
    found = [g for g in groups if any(needle in _text(sources, c) for c in g.members)]
    assert len(found) == 1, f"{needle!r} is in {len(found)} groups"
    return found[0]


def test_seed_files_present(seeds: list[Source]) -> None:
    assert len(seeds) == 5 and all(len(s.sentences) >= 10 for s in seeds)


def test_nuclear_powers_quote_agreed_by_all_five(seeds: list[Source], seed_alignment: Alignment) -> None:
    group = _group_with(seed_alignment, seeds, "two foremost nuclear powers")
    assert group.source_ids == [1, 2, 3, 4, 5]
    assert all("foremost nuclear powers" in _text(seeds, c) for c in group.members)
    assert seed_alignment.agreements[0] == group  # the most widely reported fact ranks first


def test_working_group_agreed_by_three_sources(seeds: list[Source], seed_alignment: Alignment) -> None:
    group = _group_with(seed_alignment, seeds, "working group\" to coordinate")
    assert len(group.source_ids) >= 3
    assert all("working group" in _text(seeds, c) for c in group.members)


def test_an_agreement_is_worded_by_the_opening_statement_that_more_reports_bear_out(
        seeds: list[Source], seed_alignment: Alignment) -> None:
    # RFE/RL's "... to coordinate on "smaller issues."" is not The Independent's "... to be able to
    # discuss larger issues"; the statement before the purpose clause is what all three report.
    group = _group_with(seed_alignment, seeds, "working group\" to coordinate")
    assert group.text == 'Tillerson said the two countries had agreed to set up a "working group".'
    sentences = {source.id: source.sentences for source in seeds}
    assert citing_support(Statement(text=group.text, citations=group.members), sentences).source_ids == [2, 3, 4]


@pytest.mark.parametrize("text, trimmed", [
    ('Tillerson said the two countries had agreed to set up a "working group" to coordinate on "smaller issues."',
     ['Tillerson said the two countries had agreed to set up a "working group".']),
    ("Adult film star stormy daniels sued president donald trump for defamation, saying he lied when he wrote on "
     "twitter that her claim was a con job.",
     ["Adult film star stormy daniels sued president donald trump for defamation."]),
    # "to" after a verb completes what the verb says
    ("The governor of the state of New York said he plans to veto the bill next week.", []),
    # a dropped clause that negates or sets a condition changes what the rest says
    ("The council voted on Monday to approve the new stadium plan, which will not get public money.", []),
    ("The company will pay the full bonus to its workers at the plant after the strike if sales recover.", []),
    # never inside a quotation ("... experts to look into it" stays whole), never down to a headline
    ('"We will set up a panel of experts to look into it," the minister said after the vote.',
     ['"We will set up a panel of experts to look into it," the minister said.']),
    ("Police arrested two men after a chase.", []),
])
def test_an_opening_statement_is_cut_only_where_nothing_it_says_changes(text: str, trimmed: list[str]) -> None:
    assert trimmed_wordings(text) == trimmed


def test_putin_trust_quote_variants_are_one_group(seeds: list[Source], seed_alignment: Alignment) -> None:
    group = _group_with(seed_alignment, seeds, "most likely worsened")
    texts = [_text(seeds, c) for c in group.members]
    assert any("most likely deteriorated" in t for t in texts)
    assert any("but rather has deteriorated" in t for t in texts)
    assert set(group.source_ids) == {2, 3, 4}


def test_agreement_members_are_really_the_same_fact(seeds: list[Source], seed_alignment: Alignment) -> None:
    # Every agreement must share a distinctive phrase across its members (no loose chains).
    for group in seed_alignment.agreements:
        texts = [_text(seeds, c).lower() for c in group.members]
        assert any(all(key in t for t in texts) for key in
                   ("foremost nuclear powers", "considerable prospects", "level of trust", "working group",
                    "open to dialogue", "air safety agreement")), texts


def test_one_speaker_s_words_in_other_words_are_one_fact(seeds: list[Source], seed_alignment: Alignment) -> None:
    # Reuters' "Lavrov said Putin had agreed to restore a U.S.-Russia air safety agreement ..." and
    # the Independent's "Mr Lavrov said the Kremlin was willing to reinstate an air safety
    # agreement ..." are 0.75 apart (the same-fact cut-off is 0.8): one speaker, and one bears the
    # other out.
    group = _group_with(seed_alignment, seeds, "reinstate an air safety agreement")
    assert set(group.source_ids) == {1, 4}


@pytest.mark.parametrize("first, second, linked", [
    ("In a move that slightly softened the atmosphere, Lavrov said Putin had agreed to restore a U.S.-Russia "
     "air safety agreement covering Syria which Moscow suspended in retaliation for the U.S. missile strikes.",
     "Mr Lavrov said the Kremlin was willing to reinstate an air safety agreement aimed at preventing accidents "
     "between US and Russian jets.", True),
    # no speaker named: the support test alone takes opposite news for one fact
    ("Scratch Christian Bale off the list of actors supposed to play Steve Jobs.",
     "Christian Bale is back in line to play Steve Jobs in a new biopic about the Apple co-founder.", False),
    # NASA is named on both sides, but one of them calls the other's report fake
    ("An article saying NASA confirmed six days of total darkness in December is fake.",
     "NASA has confirmed that the Earth will experience six days of total darkness in December.", False),
])
def test_a_pair_short_of_the_same_fact_cut_off_is_linked_only_for_one_speaker(first: str, second: str,
                                                                               linked: bool) -> None:
    from summarizer.align.linking import _same_speaker_links
    from summarizer.align.nodes import build_nodes

    nodes = build_nodes([Source(id=1, path="1.txt", sentences=[first]), Source(id=2, path="2.txt", sentences=[second])])
    similarity = get_similarity("semantic")
    band = (similarity.thresholds.same_speaker_fact + similarity.thresholds.same_fact) / 2  # as if close
    assert _same_speaker_links(nodes, {(0, 1): band}, similarity) == ([(0, 1)] if linked else [])


def test_representative_is_a_member_and_its_text(seeds: list[Source], seed_alignment: Alignment) -> None:
    for group in seed_alignment.agreements + seed_alignment.exclusives:
        assert group.representative in group.members
        sentence = _text(seeds, group.representative)
        # its sentence, or for an agreement the sentence's opening statement (`wording._wording`)
        assert group.text == sentence or (group in seed_alignment.agreements
                                          and sentence.startswith(group.text.rstrip(".")))


def test_death_toll_disagreement(seeds: list[Source], seed_alignment: Alignment) -> None:
    tolls = [d for d in seed_alignment.disagreements if d.topic.startswith("Death toll")]
    assert len(tolls) == 1
    toll = tolls[0]
    assert toll.kind == "sources_conflict"
    assert len(toll.positions) >= 3
    figures = {"80": None, "87": None, "100": None}
    for position in toll.positions:
        cited = [_text(seeds, c) for c in position.citations]
        assert position.text in cited  # the position's text is one of its own sentences
        assert len(position.source_ids) == 1
        for figure in figures:
            if re.search(rf"\b{figure}\b", position.text):
                figures[figure] = position.source_ids[0]
    assert None not in figures.values() and len(set(figures.values())) == 3


def test_missile_count_conflicts_with_nothing(seed_alignment: Alignment) -> None:
    for disagreement in seed_alignment.disagreements:
        assert not any("nearly 60 missiles" in p.text for p in disagreement.positions)
        assert not any("50 chemical-weapons attacks" in p.text for p in disagreement.positions
                       if disagreement.kind == "sources_conflict")


def test_responsibility_dispute_between_parties(seeds: list[Source], seed_alignment: Alignment) -> None:
    disputes = [d for d in seed_alignment.disagreements if d.kind == "parties_dispute"]
    responsibility = [d for d in disputes if d.topic.startswith("Responsibility")]
    assert len(responsibility) == 1
    positions = responsibility[0].positions
    # one claim per position, in its own words, citing only itself
    assert all(len(p.citations) == 1 and _text(seeds, p.citations[0]) == p.text for p in positions)
    texts = [p.text for p in positions]
    assert "behind the gas attack" in texts[0]  # the accusations first, then the denials
    assert any("no evidence to prove the Assad regime" in t for t in texts)
    assert "wrong to blame Assad" in texts[-1] or any("wrong to blame Assad" in t for t in texts)
    assert not any("hacking" in t or "tampering" in t for t in texts)  # other disputes stay out
    assert len({p.citations[0].source for p in positions}) >= 3


def test_legality_dispute(seeds: list[Source], seed_alignment: Alignment) -> None:
    legality = [d for d in seed_alignment.disagreements if d.topic.startswith("Legality")]
    assert len(legality) == 1 and legality[0].kind == "parties_dispute"
    texts = [p.text for p in legality[0].positions]
    assert "punish" in texts[0]
    assert any("illegal" in t for t in texts[1:]) and any("unlawful" in t for t in texts[1:])


def test_exclusive_of_one_source_by_words(seeds: list[Source]) -> None:
    lexical = align_sources(seeds, get_similarity("lexical"))
    group = _group_with(lexical, seeds, "eighth time that Russia has used its veto", exclusives=True)
    assert group.source_ids == [3]  # source 002 is the third seed


def test_no_exclusive_when_another_source_says_it_in_other_words(seeds: list[Source],
                                                                  seed_alignment: Alignment) -> None:
    # By meaning, "It was the eighth time that Russia has used its veto" is close to RFE/RL's and
    # The Independent's "Russia vetoed a UN Security Council resolution": not something only one
    # source reports, though no word but "veto" is shared.
    exclusives = [_text(seeds, c) for g in seed_alignment.exclusives for c in g.members]
    assert not any("eighth time that Russia has used its veto" in t for t in exclusives)
    assert len(seed_alignment.exclusives) <= 8
    similarity = get_similarity()
    vectors = similarity.vectors([s for source in seeds for s in source.sentences])
    offsets = dict(zip((s.id for s in seeds), np.cumsum([0] + [len(s.sentences) for s in seeds])))
    for group in seed_alignment.exclusives:
        row = offsets[group.representative.source] + group.representative.sentence
        cosines = similarity.cosines_to(vectors, int(row))
        others = [k for s in seeds if s.id != group.representative.source
                  for k in range(offsets[s.id], offsets[s.id] + len(s.sentences))]
        assert max(cosines[others]) < similarity.thresholds.exclusive_ceiling


def test_each_sentence_in_at_most_one_group(seed_alignment: Alignment) -> None:
    seen: set[Citation] = set()
    for group in seed_alignment.agreements + seed_alignment.exclusives:
        assert not seen & set(group.members)
        seen |= set(group.members)


def test_disagreement_positions_come_from_different_sources(seed_alignment: Alignment) -> None:
    for disagreement in seed_alignment.disagreements:
        sources = {s for p in disagreement.positions for s in p.source_ids}
        assert len(disagreement.positions) >= 2 and len(sources) >= 2


def test_deterministic(seeds: list[Source], seed_alignment: Alignment) -> None:
    again = align_sources(seed_sources())
    assert again.model_dump() == seed_alignment.model_dump()


def _source(number: int, *sentences: str) -> Source:
    return Source(id=number, path=f"article-{number}.txt", sentences=list(sentences))


def test_different_death_tolls_for_one_explosion_conflict() -> None:
    alignment = align_sources([
        _source(1, "An explosion at a market in Karachi killed 12 people on Monday.", "Police sealed off the area."),
        _source(2, "The explosion at the Karachi market killed 15 people, officials said.", "Schools closed."),
    ])
    assert not alignment.agreements  # different figures are never "the same fact"
    assert len(alignment.disagreements) == 1
    conflict = alignment.disagreements[0]
    assert conflict.kind == "sources_conflict" and conflict.topic == "Death toll of the explosion"
    assert [p.source_ids for p in conflict.positions] == [[1], [2]]
    # Sentences set against each other are not exclusives of their source.
    assert all(g.members[0].sentence == 1 for g in alignment.exclusives)


def test_same_death_toll_in_other_words_is_no_conflict() -> None:
    alignment = align_sources([
        _source(1, "An explosion at a market in Karachi killed 12 people on Monday."),
        _source(2, "In Karachi, 12 people died when an explosion tore through a market on Monday."),
    ])
    assert not alignment.disagreements


def test_unrelated_numbers_do_not_conflict() -> None:
    alignment = align_sources([
        _source(1, "The US launched nearly 60 missiles at the air base."),
        _source(2, "Assad's forces carried out more than 50 chemical attacks during the war."),
        _source(3, "The summit lasted three hours and ended with 12 agreements."),
    ])
    assert not alignment.disagreements


def test_one_quote_given_to_two_speakers_is_a_conflict() -> None:
    alignment = align_sources([
        _source(1, "\u201cWe will not accept any ultimatum from the West on this question,\u201d Lavrov said."),
        _source(2, "\u201cWe will not accept any ultimatum from the West on this question,\u201d Peskov said."),
    ])
    conflicts = [d for d in alignment.disagreements if d.topic.startswith("Who said")]
    assert len(conflicts) == 1 and len(conflicts[0].positions) == 2


def test_one_source_has_no_agreements() -> None:
    alignment = align_sources([
        _source(1, "Fishing talks began in Geneva on Monday morning.", "They ended on Tuesday.",
                "Fishing talks began in Geneva on Monday morning."),
    ])
    assert not alignment.agreements and not alignment.disagreements
    # A source repeating itself is one exclusive citing both places.
    repeated = [g for g in alignment.exclusives if len(g.members) == 2]
    assert [[c.sentence for c in g.members] for g in repeated] == [[0, 2]]


def test_exact_duplicates_across_sources_agree() -> None:
    alignment = align_sources([_source(1, "Russia vetoed the draft resolution."),
                               _source(2, "Russia vetoed the draft resolution.")])
    assert [g.source_ids for g in alignment.agreements] == [[1, 2]]


def test_empty_input() -> None:
    assert align_sources([]) == Alignment()
    assert align_sources([_source(1)]) == Alignment()


def _synthetic(seeds: list[Source], articles: int) -> list[Source]:
    """Articles that each reuse 40 seed sentences, picked by a fixed stride (no randomness)."""
    pool = [s for source in seeds for s in source.sentences]
    return [_source(a + 1, *[pool[(a * 7 + k * 13) % len(pool)] for k in range(40)]) for a in range(articles)]


def test_two_hundred_articles_in_a_few_seconds(seeds: list[Source]) -> None:
    corpus = _synthetic(seeds, 200)
    started = time.perf_counter()
    alignment = align_sources(corpus)
    elapsed = time.perf_counter() - started
    assert elapsed < 10.0, f"200 articles took {elapsed:.1f}s"
    assert alignment.agreements


def test_an_exclusive_needs_no_close_match_elsewhere_and_facts_of_its_own() -> None:
    alignment = align_sources([
        _source(1, "Russia and the United States agreed to set up a working group on Wednesday after talks in Moscow.",
                "Negotiators also discussed the price of wheat exports to Egypt for next year.",
                "He said so, he added."),
        _source(2, "The United States and Russia backed efforts to improve ties after talks in Moscow on Wednesday."),
    ])
    exclusive_texts = [group.text for group in alignment.exclusives]
    # The wheat talks are in source 1 only; the two ledes describe one meeting in other words, so
    # neither is "reported by one source only" (nor matched closely enough to be an agreement).
    assert exclusive_texts == ["Negotiators also discussed the price of wheat exports to Egypt for next year."]


def test_an_exclusive_is_a_whole_sentence() -> None:
    # A caption cut off by the feed ("... have been blocking") says something no other source does,
    # but it is no statement to list: an exclusive must read as a whole sentence.
    cut = "Mexican students have been blocking the main highway to Acapulco near the state capital"
    whole = "Negotiators also discussed the price of wheat exports to Egypt for next year."
    lede = "Russia and the United States agreed to set up a working group on Wednesday after talks in Moscow."
    alignment = align_sources([_source(1, lede, whole, cut), _source(2, lede)])
    assert [group.text for group in alignment.exclusives] == [whole]
    assert [group.text for group in align_sources([_source(1, lede, whole, cut + "."), _source(2, lede)]).exclusives
            ] == [whole, cut + "."]


def test_an_exclusive_is_no_sentence_that_opens_or_closes_an_aside_of_several() -> None:
    # A bracket left open begins an aside that runs over the next sentences (the Multi-News feed:
    # "( there is no way of knowing his exact weight ..."), one closed but never opened ends it: a
    # piece of a sentence, not a statement. Brackets that close where they open are the story's.
    opened = "( there is no way of knowing his exact weight because the scales at the jail only go up to 320 pounds."
    closed = "Of industrial engineering, university of padua, italy ), who in turn received the samples in 2006."
    whole = "Negotiators also discussed the price of wheat exports to Egypt (the largest buyer) for next year."
    lede = "Russia and the United States agreed to set up a working group on Wednesday after talks in Moscow."
    alignment = align_sources([_source(1, lede, opened, closed, whole), _source(2, lede)])
    assert [group.text for group in alignment.exclusives] == [whole]


def test_an_exclusive_is_no_sentence_in_the_first_person_unless_quoted() -> None:
    # "I" outside quotes is the writer's aside or a post quoted without marks: out of the article,
    # no reader can tell whose voice it is. Inside quotes with its speaker named, it is a report.
    aside = "If i could afford font software, i would release the new typeface for free."
    quoted = 'The designer Rick Wolff said: "I will release the typeface for free next month."'
    lede = "Russia and the United States agreed to set up a working group on Wednesday after talks in Moscow."
    alignment = align_sources([_source(1, lede, aside, quoted), _source(2, lede)])
    assert [group.text for group in alignment.exclusives] == [quoted]


def test_an_exclusive_reads_on_its_own_as_a_lede_item_does() -> None:
    # A remark with no speaker, a fragment, a possessive whose owner is in another sentence: each
    # says something no other source does, none can be read out of its article.
    remark = 'The ruling was described as "a victory for every family that waited years for this day."'
    fragment = "More than 500 kinds of them, in 1,200 colours."
    possessive = "His lawyer said the appeal would be filed in the Supreme Court next week."
    whole = "Negotiators also discussed the price of wheat exports to Egypt for next year."
    lede = "Russia and the United States agreed to set up a working group on Wednesday after talks in Moscow."
    alignment = align_sources([_source(1, lede, remark, fragment, possessive, whole), _source(2, lede)])
    assert [group.text for group in alignment.exclusives] == [whole]


def test_sources_that_call_a_report_false_do_not_agree_with_the_report_they_quote() -> None:
    # A debunker quotes the hoax word for word; the hoax and the debunker share that sentence, but
    # one reports it and the other calls it false: no agreement between them. The debunkers still
    # agree with each other.
    quoted = "The world will remain without sunlight during these days because of a solar storm."
    shared = "The story first appeared on the Huzlers website on October 25 and spread on Twitter."
    alignment = align_sources([
        _source(1, "NASA has confirmed that the Earth will experience six days of total darkness in December.",
                quoted),
        _source(2, "A fake news story claiming that NASA confirmed six days of darkness in December is a hoax.",
                "The bogus report read: " + quoted, shared),
        _source(3, "The story that NASA confirmed six days of darkness in December is a hoax, the agency said.",
                shared),
    ])
    assert any(d.topic == "Whether the report is true" for d in alignment.disagreements)
    assert all(not ({1} < set(group.source_ids)) for group in alignment.agreements)
    assert [sorted(group.source_ids) for group in alignment.agreements if group.text == shared] == [[2, 3]]

def test_an_agreement_is_worded_by_a_whole_sentence_when_one_holds_for_as_many_sources() -> None:
    # The feed cut one report off at its word limit: the cut copy is shorter, but a reader gets the
    # whole sentence, which both reports bear out as well.
    cut = "Officials said the news about the museum came like a bolt from the blue for all"
    whole = "Officials said the news about the museum came like a bolt from the blue for all of the staff."
    alignment = align_sources([_source(1, cut), _source(2, whole)])
    [agreement] = alignment.agreements
    assert agreement.text == whole and len(agreement.source_ids) == 2


def test_the_alignment_compares_only_texts_that_compared_texts_lists(seeds: list[Source]) -> None:
    # The run embeds compared_texts() up front, in the background: a text the alignment asks for
    # beyond them would be one more pass of the model after the others, on the critical path.
    from summarizer.align import compared_texts
    from summarizer.text.similarity.lexical import LexicalSimilarity

    asked: list[str] = []

    class Recording(LexicalSimilarity):
        def vectors(self, texts):  # type: ignore[no-untyped-def]
            asked.extend(texts)
            return super().vectors(texts)

    align_sources(seeds, Recording())
    listed = set(compared_texts(seeds))
    assert asked and set(asked) <= listed
    assert any("\u201c" not in text and text not in {s for source in seeds for s in source.sentences}
               for text in asked)  # quoted spans were asked for, and were listed


def test_a_fact_is_worded_by_a_whole_sentence_before_a_fragment_that_more_members_bear_out() -> None:
    # A feed cut the third report's sentence at its word limit: every longer member has its words,
    # so all three bear it out, and only two bear out a whole sentence (the fragment lacks the
    # figure); but no reader can take the fragment.
    from summarizer.align.nodes import build_nodes
    from summarizer.align.wording import fact_group

    whole = "The museum said the news came like a bolt from the blue after 20 years without ties to the collector."
    fragment = "The news came like a bolt from the blue, since at no time has"
    sources = [
        Source(id=1, path="1.txt", sentences=[whole]),
        Source(id=2, path="2.txt", sentences=["The museum's director said the news came like a bolt from the blue "
                                              "after 20 years without ties to him."]),
        Source(id=3, path="3.txt", sentences=[fragment]),
    ]
    nodes = build_nodes(sources)
    assert fact_group(nodes, [0, 1, 2], np.zeros(3)).text == whole
    # with no whole wording that two reports bear out, the fragment still states the fact
    assert fact_group(nodes[1:], [0, 1], np.zeros(2)).text == fragment
