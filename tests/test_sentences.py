"""Tests of the news-prose sentence splitter."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.text.sentences import split_paragraph, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "U.S. Secretary of State Rex Tillerson met Mr. Putin in Moscow. The talks lasted two hours.",
            ["U.S. Secretary of State Rex Tillerson met Mr. Putin in Moscow.", "The talks lasted two hours."],
        ),
        (
            "Donald J. Trump spoke to Gen. Mattis and Sen. McCain. Dr. Smith of St. Louis agreed.",
            ["Donald J. Trump spoke to Gen. Mattis and Sen. McCain.", "Dr. Smith of St. Louis agreed."],
        ),
        (
            "Mrs. May met U.N. envoys on Jan. 12 and Feb. 3. Both meetings were private.",
            ["Mrs. May met U.N. envoys on Jan. 12 and Feb. 3.", "Both meetings were private."],
        ),
        (
            "Growth was 3.5 percent, or 0.25 points above forecast. Prices rose 1.2%.",
            ["Growth was 3.5 percent, or 0.25 points above forecast.", "Prices rose 1.2%."],
        ),
        (
            "Sanctions on the U.S. remain. The E.U. disagreed.",
            ["Sanctions on the U.S. remain.", "The E.U. disagreed."],
        ),
        (
            "He lives in the U.S. The talks ended.",
            ["He lives in the U.S.", "The talks ended."],
        ),
        ("He arrived at No. 10 at 9 a.m. on Monday.", ["He arrived at No. 10 at 9 a.m. on Monday."]),
        ("The answer was no. Putin left.", ["The answer was no.", "Putin left."]),
        (
            "They watched the sun. Scientists said it was rare.",
            ["They watched the sun.", "Scientists said it was rare."],
        ),
        ("Shares in Acme Corp. The firm fell.", ["Shares in Acme Corp.", "The firm fell."]),
        ("Smith et al. Found nothing.", ["Smith et al. Found nothing."]),
        (
            "It was Feb. 3 when Lt. Col. Ames of the Dept. of State left.",
            ["It was Feb. 3 when Lt. Col. Ames of the Dept. of State left."],
        ),
        # a lower-cased feed's middle initial "a." goes on too; "Plan A." ends a sentence
        (
            '"you see this pattern, " said david a. Broniatowski, the lead author. Plan A. It failed.',
            ['"you see this pattern, " said david a. Broniatowski, the lead author.', "Plan A.", "It failed."],
        ),
        # a unit after a figure goes on unless a sentence opener follows
        (
            "He starred in my 600-lb. Life on TLC. He weighed 842 lbs. The show aired.",
            ["He starred in my 600-lb. Life on TLC.", "He weighed 842 lbs.", "The show aired."],
        ),
    ],
)
def test_abbreviations_initials_and_decimals(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "“Despite the quantity of existing problems ... there are considerable prospects for joint work,” Lavrov said.",
        "“Despite the quantity of existing problems… there are considerable prospects for joint work,” Lavrov said.",
        '"despite the quantity of existing problems...there are considerable prospects for joint work."',
    ],
)
def test_ellipsis_inside_a_quote_does_not_split(text: str) -> None:
    assert split_sentences(text) == [text]


def test_quote_closing_a_sentence_before_a_capital_splits() -> None:
    text = (
        "“The world’s two foremost nuclear powers cannot have this kind of relationship.” Lavrov said "
        "that while Russia was not placing its hopes in Assad, toppling the government was not an option."
    )
    assert split_sentences(text) == [
        "“The world’s two foremost nuclear powers cannot have this kind of relationship.”",
        "Lavrov said that while Russia was not placing its hopes in Assad, toppling the government was not an option.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        '"We discussed Assad today," said Lavrov.',
        "“There is a low level of trust between our two countries,” Tillerson said.",
        '"Where is the proof?" he asked.',
        "“It was wrong!” she said, leaving the room.",
    ],
)
def test_attributed_quote_stays_one_sentence(text: str) -> None:
    assert split_sentences(text) == [text]


def test_question_and_exclamation_marks_end_sentences() -> None:
    assert split_sentences("Where is the proof? There isn't any! That is a fact.") == [
        "Where is the proof?",
        "There isn't any!",
        "That is a fact.",
    ]


def test_paragraph_break_always_ends_a_sentence() -> None:
    text = "A headline without a full stop\n\nThe first sentence of the body\ncontinues on this line."
    assert split_sentences(text) == [
        "A headline without a full stop",
        "The first sentence of the body continues on this line.",
    ]


def test_whitespace_is_normalised_and_no_empty_sentences() -> None:
    text = "  First   sentence\there.  \n\n\n   \n  Second\u00a0one.   ...  "
    sentences = split_sentences(text)
    assert sentences == ["First sentence here.", "Second one. ..."]
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t ") == []
    assert split_paragraph("   ") == []


def test_seed_000_quote_followed_by_narrative(seed_text: dict[str, str]) -> None:
    sentences = split_sentences(seed_text["000"].replace("\n", "\n\n"))
    assert "“The world’s two foremost nuclear powers cannot have this kind of relationship.”" in sentences
    assert (
        "Differences over a U.S. missile strike on a Syrian air base last week also bubbled to the surface."
        in sentences
    )
    assert "“We discussed Assad today,” said Lavrov." in sentences


def test_splits_eight_thousand_sentences_well_under_a_second(seed_text: dict[str, str]) -> None:
    corpus = "\n\n".join(seed_text.values())
    per_copy = len(split_sentences(corpus))
    copies = 8000 // per_copy + 1
    big = "\n\n".join([corpus] * copies)
    started = time.perf_counter()
    sentences = split_sentences(big)
    elapsed = time.perf_counter() - started
    assert len(sentences) >= 8000
    assert elapsed < 1.0, f"{len(sentences)} sentences took {elapsed:.2f}s"


@pytest.fixture(scope="module")
def seed_text() -> dict[str, str]:
    """The seed articles' raw text keyed by their number ("000" ... "004")."""
    from pathlib import Path

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    return {path.name[:3]: path.read_text(encoding="utf-8") for path in sorted(seeds.glob("*.txt"))}


def test_a_quotation_of_several_sentences_stays_one_sentence() -> None:
    text = ('"We frankly discussed the state of relations. I expressed that it is at a low point," '
            'the envoy told reporters. "Where is the proof? There isn\u2019t any. That is an obvious fact." '
            'He left.')
    assert split_sentences(text) == [
        '"We frankly discussed the state of relations. I expressed that it is at a low point," '
        "the envoy told reporters.",
        '"Where is the proof? There isn\u2019t any. That is an obvious fact."',
        "He left.",
    ]


def test_a_quotation_that_never_closes_is_split_as_usual() -> None:
    text = '\u201cOne. Two. Three. Four. Five. Six. Seven.'
    assert len(split_sentences(text)) == 7


def test_a_tokenised_feeds_spaced_closing_quote_stays_with_its_sentence() -> None:
    # Multi-News style: quotes stand apart from the words they close, `over? " That`.
    text = ('Watching it brought to mind the question, "when will this be over? " That was not a slam. '
            'She called it " a fine show, " and left. He wrote: " the plan is dead. It will not come back. " '
            'Then he left.')
    assert split_sentences(text) == [
        'Watching it brought to mind the question, "when will this be over? "',
        "That was not a slam.",
        'She called it " a fine show, " and left.',
        'He wrote: " the plan is dead. It will not come back. "',
        "Then he left.",
    ]


def test_a_spaced_quote_that_opens_a_quotation_starts_the_next_sentence() -> None:
    text = 'The minister spoke briefly. " we will not rest until it is solved, " he said.'
    assert split_sentences(text) == ["The minister spoke briefly.", '" we will not rest until it is solved, " he said.']


@pytest.mark.parametrize("text, expected", [
    # a lower-cased feed starts a quoted sentence in lower case
    ('It was meant to raise the level of hostility. "you see this pattern, " said david a. Broniatowski.',
     ["It was meant to raise the level of hostility.", '"you see this pattern, " said david a. Broniatowski.']),
    ("It was over. \u201cthe end,\u201d he wrote.", ["It was over.", "\u201cthe end,\u201d he wrote."]),
    # a closing quote before the attribution, and an abbreviation before a quoted term, go on
    ('"We will win." he said to reporters.', ['"We will win." he said to reporters.']),
    ('The U.S. "red line" was crossed, he said.', ['The U.S. "red line" was crossed, he said.']),
    ('He met Mr. "big" Smith on Monday.', ['He met Mr. "big" Smith on Monday.']),
    # ... and so does the lower-case word after a full stop that closes a quotation
    ('they called them the church\'s " fathers in faith. " among the panel\'s conclusions: none.',
     ['they called them the church\'s " fathers in faith. "', "among the panel's conclusions: none."]),
    # unless an attribution follows, or the quotation ends in "!" or "?" (titles, questions)
    ('" he was going to beat him up. " crowl said martin had done the same.',
     ['" he was going to beat him up. " crowl said martin had done the same.']),
    ('the short " black jeopardy! " sketch drew more viewers.', ['the short " black jeopardy! " sketch drew more viewers.']),
    ('" did he have a debt? " clinton asked.', ['" did he have a debt? " clinton asked.']),
])
def test_a_quotation_opening_or_closed_before_lower_case_after_a_full_stop_ends_a_sentence(text: str,
                                                                                expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a lower-cased feed runs the answer on after a question in lower case
    ("What do i need to know? breastfeeding is great for all newborns.",
     ["What do i need to know?", "breastfeeding is great for all newborns."]),
    ("Is it a medieval fake? scientists still disagree about the cloth.",
     ["Is it a medieval fake?", "scientists still disagree about the cloth."]),
    # a quoted question before its attribution goes on, closed by a curly, a straight or a spaced mark
    ('"Why?" he asked the minister.', ['"Why?" he asked the minister.']),
    ("\u201cWhy?\u201d he asked the minister.", ["\u201cWhy?\u201d he asked the minister."]),
    ('" did he have a debt? " clinton asked.', ['" did he have a debt? " clinton asked.']),
    # ... and so does a question inside a quotation that is still open
    ('He asked "why? who knows" and left.', ['He asked "why? who knows" and left.']),
])
def test_a_bare_question_mark_before_lower_case_ends_a_sentence(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected



@pytest.mark.parametrize("text, expected", [
    # a lower-cased feed runs its next sentence on in lower case after a full stop, too
    ("he was arrested in maine early friday morning. police in somersworth cancelled the alert.",
     ["he was arrested in maine early friday morning.", "police in somersworth cancelled the alert."]),
    ("they claimed it was the real u.s. embassy. for a decade, a flag flew outside.",
     ["they claimed it was the real u.s. embassy.", "for a decade, a flag flew outside."]),
    # after an abbreviation the sentence goes on: a title, a dotted acronym, "et al.", a street, a state
    ("he met the u.s. ambassador and dr. smith at 5 p.m. on friday.",
     ["he met the u.s. ambassador and dr. smith at 5 p.m. on friday."]),
    ("the study by jones et al. and the review agreed.", ["the study by jones et al. and the review agreed."]),
    ("he walks his dogs along grandview blvd. in madison, wis. on sundays.",
     ["he walks his dogs along grandview blvd. in madison, wis. on sundays."]),
    # a lower-case title before a name the feed capitalised as if a sentence began
    ("clinton speculated about new jersey gov. Chris christie's political future.",
     ["clinton speculated about new jersey gov. Chris christie's political future."]),
    # ... and a saint's "st.", which a street's ends only before a sentence's opening word
    ("trump called putin following a terrorist attack in st. Petersburg in april.",
     ["trump called putin following a terrorist attack in st. Petersburg in april."]),
    ("the car was parked on main st. The driver had left.", ["the car was parked on main st.", "The driver had left."]),
    # ... and a bracket or a quotation that opens after the stop keeps its own rules
    ("Or Bradley Cooper, who has the energy for it. [via Hollywood Reporter]",
     ["Or Bradley Cooper, who has the energy for it. [via Hollywood Reporter]"]),
    ('he is in his 1950s. "because, america. Now you can!" wolff quipped.',
     ["he is in his 1950s.", '"because, america. Now you can!" wolff quipped.']),
])
def test_a_full_stop_after_a_plain_word_before_lower_case_ends_a_sentence(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected

def test_sentences_glued_by_a_full_stop_without_a_space_are_split() -> None:
    # A scrape that lost the space between two sentences; web addresses and abbreviations stay whole.
    text = ('" we could not be happier, " he said.the cbs telecast was long. It was a bummer.harris tried '
            "jokes. He saw dr.smith. He said.The show ended. He bought france.com from web.com and wrote at bit.ly/x. "
            "The U.S. team left at 3 p.m. on Friday. See [the site](http://news.example) or mail desk@news.example now.")
    assert split_sentences(text) == [
        '" we could not be happier, " he said.', "the cbs telecast was long.", "It was a bummer.",
        "harris tried jokes.", "He saw dr.smith.", "He said.", "The show ended.", "He bought france.com from web.com and wrote at bit.ly/x.",
        "The U.S. team left at 3 p.m. on Friday.", "See [the site](http://news.example) or mail desk@news.example now.",
    ]


_PIECES = ["ab", " cd", ".", " ", "?", "!", '"', " \" ", "\u201c", "\u201d", "'", "(", ")", "Mr.", " The", " he",
           "...", "U.S.", "said.the", "france.com", " 3.5", "lb.", "\n\n"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_splitting_loses_no_text_and_gives_no_empty_sentence(text: str) -> None:
    # Only whitespace may differ: a glued full stop gains a sentence break, not a character.
    sentences = split_sentences(text)
    assert "".join("".join(sentences).split()) == "".join(text.split())
    assert all(sentence and sentence == sentence.strip() for sentence in sentences)
