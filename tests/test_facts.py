"""Tests for checkable details extracted from sentences (numbers, quantities, quotes, speakers, stance)."""

from __future__ import annotations

import math

import pytest

from summarizer.text.claims import (
    attributed_speaker,
    claim_speaker,
    context_speaker,
    extract_quotes,
    named_speaker,
    quote_speaker,
    single_quoted,
)
from summarizer.text.facts import extract_numbers, extract_quantities
from summarizer.text.stances import claim_frame, stance


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It cost 1,000 dollars.", {"1000"}),
        ("87 civilians died on April 4, 2017.", {"87", "4", "2017"}),
        ("Growth was 4.5 percent.", {"4.5"}),
        ("It was the eighth time in two years.", {"8", "2"}),
        ("Two million people fled; twenty stayed.", {"2000000", "20"}),
        ("Published on 12/04/2017", {"12", "4", "2017"}),
        ("It killed scores of people.", set()),
    ],
)
def test_extract_numbers(text: str, expected: set[str]) -> None:
    assert extract_numbers(text) == expected


def _only(text: str, measure: str):  # type: ignore[no-untyped-def]
    found = [q for q in extract_quantities(text) if q.measure == measure]
    assert len(found) == 1, found
    return found[0]


def test_quantity_with_qualifier_and_casualty_noun() -> None:
    quantity = _only("poison gas that killed more than 80 civilians in Khan Sheikhoun", "killed")
    assert quantity.qualifier == "more than" and quantity.figure == ">80"
    assert quantity.low > 80 and math.isinf(quantity.high)
    assert quantity.text == "more than 80 civilians"


def test_quantity_nearly_and_deaths() -> None:
    quantity = _only("The attack resulted in nearly 100 deaths.", "killed")
    assert quantity.figure == "~<100" and quantity.high < 100 <= quantity.low + 11


def test_vague_quantity_is_a_range() -> None:
    quantity = _only("a nerve gas attack that killed scores", "killed")
    assert quantity.value is None and quantity.figure == "scores" and quantity.low >= 20


def test_people_count_the_dead_only_in_a_death_context() -> None:
    assert _only("12 people died in the blast.", "killed").figure == "12"
    assert _only("Some 300 people attended the rally.", "people").figure == "~300"


def test_wounded_kept_apart_from_killed() -> None:
    measures = {q.measure: q.figure for q in extract_quantities("The blast killed 12 and wounded 30 others.")}
    assert measures == {"killed": "12", "wounded": "30"}


def test_missiles_and_attacks_are_different_measures() -> None:
    assert _only("the US launched nearly 60 missiles into Syria", "missiles").figure == "~<60"
    assert _only("more than 50 chemical-weapons attacks throughout the war", "attacks").figure == ">50"


def test_dates_are_not_counts() -> None:
    assert {q.measure for q in extract_quantities("On April 4, 2017 the talks began.")} == {"date"}


def test_compatible_ranges() -> None:
    more_than_80 = _only("killed more than 80 civilians", "killed")
    eighty_seven = _only("the slaughter of 87 civilians", "killed")
    nearly_100 = _only("nearly 100 deaths", "killed")
    assert more_than_80.compatible(eighty_seven) and more_than_80.compatible(nearly_100)
    assert not _only("12 killed", "killed").compatible(_only("15 killed", "killed"))


@pytest.mark.parametrize("text, spans", [
    ("US relations 'may be at an all-time low', Trump said.", ["may be at an all-time low"]),
    ("He called it \u2018a disgrace\u2019 on Monday.", ["a disgrace"]),
    # a tokenised feed spaces its marks
    ("eichmann claimed he was ' a mere instrument ' in holocaust, appeal reveals 'i was not a responsible "
     "leader, ' writes", ["a mere instrument", "i was not a responsible leader"]),
    # apostrophes, spaced or not, are no quotation marks
    ("And i ' m here to tell you that it ' s fine, don ' t worry.", []),
    ("rock 'n' roll and the students' union and the teachers' union", []),
    ("It's Russia's view that the '90s were better.", []),
])
def test_single_quoted_spans_are_read_and_apostrophes_are_not(text: str, spans: list[str]) -> None:
    assert single_quoted(text) == spans


def test_extract_quotes_straight_curly_and_cut() -> None:
    assert extract_quotes("\u201cThe world\u2019s two foremost nuclear powers,\u201d he said.") == [
        "The world\u2019s two foremost nuclear powers"
    ]
    assert extract_quotes('He called it "absurd" and "shortsighted."') == ["absurd", "shortsighted"]
    assert extract_quotes("\u201cThere is a low level of trust.") == ["There is a low level of trust"]
    assert extract_quotes("No quotes here.") == []


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("\u201cThere is a low level of trust,\u201d Tillerson said.", "Tillerson"),
        ('"We discussed Assad today," said Lavrov.', "Lavrov"),
        ("Lavrov said the strike was illegal.", "Lavrov"),
        ("Kremlin spokesman Peskov said the idea was absurd.", "Peskov"),
        ("U.S. Defense Secretary Jim Mattis said on Tuesday there was no doubt.", "Mattis"),
        ("Vladimir Safronov, a Russian representative to the UN, said there was no evidence.", "Safronov"),
        ("Trump's ambassador to the UN, Nikki Haley, said regime change was a priority.", "Haley"),
        ("It was wrong to blame Assad without knowing the facts, he said.", None),
        ("\u201cThe world\u2019s two foremost powers.\u201d Lavrov said that toppling Assad was no option.", "Lavrov"),
        ("The US President said talks went well.", None),
        ("Nobody said anything.", None),
    ],
)
def test_attributed_speaker(text: str, speaker: str | None) -> None:
    assert attributed_speaker(text) == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a lower-cased feed names its speakers in lower case, after the quote
        ('" their actions have not helped defuse a combustible situation, " hagel told reporters.', "Hagel"),
        ('" most of these dogs have never seen the outside, " said ross licitra, chief of the spca.', "Licitra"),
        ('" they\'re really conducting the investigation, " vernier said, adding they had no tip.', "Vernier"),
        ('" it\'s like his super bowl, " says kate, who would not give her last name.', "Kate"),
        ('" we will find him, " sheriff tom brown said on monday.', "Brown"),
        # ... and roles, groups, pronouns and possessives are no names
        ('" we will win, " the official said.', None),
        ('" we will win, " officials said on monday.', None),
        ('" we will win, " police said.', None),
        ('" we will win, " he said.', None),
        ('" yes, " brody\'s brother said.', None),
        ('" no, " said the woman, who lives next door.', None),
    ],
)
def test_a_lower_cased_feed_s_quote_names_its_speaker_in_lower_case(text: str, speaker: str | None) -> None:
    assert quote_speaker(text) == speaker
    assert named_speaker(text) == speaker


def test_he_said_after_a_lower_case_attribution_is_that_speaker() -> None:
    sentences = ['" their actions have not helped defuse a combustible situation, " hagel told reporters.',
                 '" we are ready for anything, " he said.']
    assert context_speaker(sentences, 1) == "Hagel"


def test_quote_speaker_ignores_a_name_after_a_closed_quote() -> None:
    # The full stop inside the quote ends it: Lavrov is the next sentence's speaker, not this quote's.
    closed = "\u201cThe world\u2019s two foremost powers.\u201d Lavrov said that toppling Assad was no option."
    assert quote_speaker(closed) is None
    assert quote_speaker("\u201cThe world\u2019s two foremost powers,\u201d Tillerson said.") == "Tillerson"


def test_claim_speaker_is_the_one_next_to_the_cue() -> None:
    text = ("Lavrov however said that the two sides still diverge over the attack, "
            "which Washington has blamed squarely on Assad.")
    assert claim_speaker(text) == "Washington"


@pytest.mark.parametrize(
    ("text", "expected", "frame"),
    [
        ("Lavrov said Assad's government was not responsible for the attack.", "deny", "responsibility"),
        ("Safronov said there was no evidence to prove the Assad regime did it.", "deny", "responsibility"),
        ("It was wrong to blame Assad without knowing the facts, he said.", "deny", "responsibility"),
        ("Russia said the U.S. strike was illegal.", "deny", "legality"),
        ("Lavrov described the strikes as an \u201cunlawful attack against Syria\u201d.", "deny", "legality"),
        ("The Kremlin dismissed the idea as absurd.", "deny", "general"),
        ("Tillerson said he was confident that Assad's forces were behind the attack.", "assert", "responsibility"),
        ("Mattis said there was no doubt the Syrian regime is responsible.", "assert", "responsibility"),
        ("Washington says it acted to punish the Syrian government.", "assert", "legality"),
        ("The talks lasted two hours.", None, None),
    ],
)
def test_stance_and_frame(text: str, expected: str | None, frame: str | None) -> None:
    assert stance(text) == expected
    assert claim_frame(text) == frame


@pytest.mark.parametrize("text, numbers", [
    ("one could say that the level of trust has not improved", set()),
    ("one of the diplomats left early", set()),
    ("one person was killed and two were injured", {"1", "2"}),
    ("the attack killed one civilian", {"1"}),
])
def test_one_as_a_pronoun_is_not_a_figure(text: str, numbers: set[str]) -> None:
    assert extract_numbers(text) == numbers


@pytest.mark.parametrize("sentences, index, speaker", [
    # a bare quote goes on quoting the speaker named just before
    (["\u201cThere is a low level of trust,\u201d Tillerson said.", "\u201cThe powers cannot have this.\u201d"], 1, "Tillerson"),
    # "he said", through a run of unnamed attributions
    (["\u201cWe discussed Assad today,\u201d said Lavrov.", "\u201cI remember no example,\u201d he added.",
      "And he said that Russia was open to restoring a hotline."], 2, "Lavrov"),
    # the last one named before, as a reader takes "he"
    (["Russia said the strike was illegal and Lavrov repeated Moscow's stance.",
      "It was wrong to blame Assad without knowing the facts, he said."], 1, "Lavrov"),
    # a sentence that is no attribution ends the run: someone new may be speaking, the person it
    # opens on (given after a title or an office in the report) or, when it opens on no person, no one
    (["\u201cWe hope so,\u201d said Defense Secretary Jim Mattis.", "Mattis echoed that on April 11, saying it was on track.",
      "\u201cThe campaign stays on track,\u201d he said."], 2, "Mattis"),
    (["Russian President Vladimir Putin met him.", "Putin, in a television interview, was more blunt.",
      "\u201cThe level of trust has worsened,\u201d he said."], 2, "Putin"),
    (["\u201cWe hope so,\u201d Tillerson said.", "The campaign was on track on April 11.",
      "\u201cThe campaign stays on track,\u201d he said."], 2, None),
    # a country, or a name the report never gives after a title, is not taken for "he"
    (["\u201cWe hope so,\u201d Tillerson said.", "Russia, for its part, stayed away from the talks.",
      "\u201cIt is a provocation,\u201d he said."], 2, None),
    (["The United States sent Secretary Rex Tillerson.", "United States officials, for their part, stayed away.",
      "\u201cIt is a provocation,\u201d he said."], 2, None),
    (["\u201cWe hope so,\u201d said Jim Mattis.", "Putin, in a television interview, was more blunt.",
      "\u201cThe level of trust has worsened,\u201d he said."], 2, None),
    # a role may be someone new, and a sentence that names its speaker needs nothing
    (["\u201cWe hope so,\u201d Tillerson said.", "\u201cWe agree,\u201d another official said."], 1, None),
    (["\u201cWe hope so,\u201d Tillerson said.", "\u201cWe agree,\u201d Lavrov said."], 1, None),
    # nothing before names anyone
    (["\u201cWe agree,\u201d he said."], 0, None),
])
def test_the_speaker_of_he_said_or_a_bare_quote_is_read_from_the_sentences_before(
        sentences: list[str], index: int, speaker: str | None) -> None:
    from summarizer.text.claims import context_speaker

    assert context_speaker(sentences, index) == speaker


def test_x_said_is_borne_out_only_by_a_sentence_that_gives_the_words_to_x() -> None:
    from summarizer.text.support import check_support

    sentence = "He also said Moscow would veto a Western-backed draft UN resolution on the attack."
    statement = "Lavrov said Moscow would veto a Western-backed draft UN resolution on the attack."
    assert not check_support(statement, sentence).supported  # who "he" is, the sentence alone does not say
    assert check_support(statement, sentence, speaker="Lavrov").supported
    refused = check_support(statement.replace("Lavrov", "Tillerson"), sentence, speaker="Lavrov")
    assert not refused.supported and "Lavrov" in refused.reason
    # naming X elsewhere is not giving X the words
    named_aside = "\u201cThe powers cannot have this relationship,\u201d he said at a news conference alongside Lavrov."
    assert not check_support("\u201cThe powers cannot have this relationship,\u201d Lavrov said.", named_aside,
                             speaker="Tillerson").supported


@pytest.mark.parametrize("text, figure", [
    ("More than half of these deaths occur in people younger than 65, the report said.", "65"),
    ("Children under 5 were most at risk of dying, officials said.", "<5"),
    ("The victim, aged 41, died in hospital on Sunday.", "41"),
])
def test_an_age_is_no_headcount(text: str, figure: str) -> None:
    # "people younger than 65" in a sentence about deaths is not a death toll of 65
    assert [(q.figure, q.measure) for q in extract_quantities(text)] == [(figure, None)]


def test_a_count_after_over_or_under_is_still_a_count() -> None:
    assert [(q.figure, q.measure) for q in extract_quantities("Over 200 people died in the attack.")] == [
        (">200", "killed")]
