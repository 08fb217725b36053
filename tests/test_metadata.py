"""Tests of metadata detection: outlet, title, byline, published date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from summarizer.load.cleaning import classify_lines
from summarizer.load.metadata import DetectedMetadata, canonical_outlet, detect_metadata, parse_date

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def detect(text: str) -> DetectedMetadata:
    """Detect metadata from raw text."""
    return detect_metadata(classify_lines(text.split("\n")))


@pytest.fixture(scope="module")
def seed_metadata() -> dict[str, DetectedMetadata]:
    """Detected metadata of each seed keyed by its number."""
    return {path.name[:3]: detect(path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))}


def test_seed_outlets(seed_metadata: dict[str, DetectedMetadata]) -> None:
    outlets = {number: meta.outlet for number, meta in seed_metadata.items()}
    # 004 names no publisher anywhere: loading falls back to the file name.
    assert outlets == {"000": "Reuters", "001": "RFE/RL", "002": "AFP", "003": "The Independent", "004": None}


def test_seed_titles(seed_metadata: dict[str, DetectedMetadata]) -> None:
    assert seed_metadata["000"].title is None  # the text starts with the story itself
    assert seed_metadata["001"].title == (
        "U.S., Russia Urge Better Ties After Tillerson-Putin Meeting, Though Syria Rift Remains"
    )
    assert seed_metadata["002"].title == "US and Russia still far apart as Syria haunts talks"
    assert seed_metadata["003"].title == (
        "Donald Trump and Rex Tillerson warn US-Russia relations are 'at a low point' after tense talks in Moscow"
    )
    assert seed_metadata["004"].title == "US and Russia struggle to overcome rifts in Moscow"


def test_seed_bylines(seed_metadata: dict[str, DetectedMetadata]) -> None:
    bylines = {number: meta.byline for number, meta in seed_metadata.items()}
    assert bylines == {
        "000": None,
        "001": "Carl Schreck",
        "002": None,
        "003": "Mythili Sampathkumar",
        "004": None,
    }


def test_seed_published_dates(seed_metadata: dict[str, DetectedMetadata]) -> None:
    published = {number: meta.published for number, meta in seed_metadata.items()}
    assert published == {
        "000": None,
        "001": None,
        "002": dt.date(2017, 4, 13),
        "003": dt.date(2017, 4, 12),
        "004": dt.date(2017, 4, 12),  # 12/04/2017, day-first confirmed by "Wednesday" in the text
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wednesday 12 April 2017 18:37 BST", dt.date(2017, 4, 12)),
        ("April 13, 2017 | 09:21", dt.date(2017, 4, 13)),
        ("Published on 12/04/2017", dt.date(2017, 4, 12)),
        ("Updated: Sept. 3rd, 2019", dt.date(2019, 9, 3)),
        ("2021-03-09T18:20:00+00:00", dt.date(2021, 3, 9)),
        ("Posted 2020/1/5", dt.date(2020, 1, 5)),
        ("3 Mar 2022", dt.date(2022, 3, 3)),
        ("No date in this line", None),
        ("31 February 2020", None),
    ],
)
def test_parse_date_formats(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_ambiguous_numeric_date_uses_a_named_weekday() -> None:
    # 04/12/2017: 4 December 2017 was a Monday, 12 April 2017 a Wednesday.
    assert parse_date("04/12/2017", context="Officials met on Wednesday.") == dt.date(2017, 4, 12)
    assert parse_date("04/12/2017", context="Officials met on Monday.") == dt.date(2017, 12, 4)
    assert parse_date("04/12/2017") == dt.date(2017, 12, 4)  # day-first by default
    assert parse_date("12/25/2017") == dt.date(2017, 12, 25)  # only one reading exists


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Independent", "The Independent"),
        ("the Guardian", "The Guardian"),
        ("Reuters", "Reuters"),
        ("Agence France-Presse", "AFP"),
        ("Coastal Herald", "Coastal Herald"),
    ],
)
def test_canonical_outlet(name: str, expected: str) -> None:
    assert canonical_outlet(name) == expected


BODY = "Officials said the bridge would open next spring after years of delays and cost overruns."


def test_outlet_from_dateline_beats_contributors() -> None:
    text = f"WASHINGTON (AP) — {BODY}\n\nWith additional reporting by Reuters and AFP"
    assert detect(text).outlet == "AP"


def test_outlet_from_sign_off_line() -> None:
    assert detect(f"{BODY}\n\n— Reuters").outlet == "Reuters"
    assert detect(f"{BODY}\n\ndpa\n\nAdvertisement").outlet == "dpa"
    assert detect(f"{BODY}\n\nThe End").outlet is None  # not an agency


def test_outlet_from_site_notices() -> None:
    assert detect(f"{BODY}\n\n© 2023 Valley Times").outlet == "Valley Times"
    assert detect(f"{BODY}\n\nCopyright 2024 BBC. All rights reserved.").outlet == "BBC"
    assert detect(f"{BODY}\n\nJoin the conversation, follow other Guardian readers").outlet == "The Guardian"


def test_contributing_agencies_are_the_last_textual_evidence() -> None:
    assert detect(f"{BODY}\n\nWith reporting by Reuters, AP and AFP").outlet == "Reuters"
    assert detect(BODY).outlet is None
    assert detect(f"{BODY}\n\n(Reporting by Tom Balmforth; Editing by Mark Heinrich)").outlet is None


def test_headline_mentioning_a_date_is_a_title_not_a_date_line() -> None:
    meta = detect(f"Putin to visit China on 12 May 2024 for talks\nBy Jane Doe | 3 March 2024\n{BODY}")
    assert meta.title == "Putin to visit China on 12 May 2024 for talks"
    assert meta.published == dt.date(2024, 3, 3)
    assert meta.byline == "Jane Doe"


def test_menu_line_is_not_a_title() -> None:
    meta = detect(f"World | Europe | Politics | Business\nParliament backs new defence budget\n{BODY}")
    assert meta.title == "Parliament backs new defence budget"



def test_an_update_stamp_without_a_date_is_not_a_title() -> None:
    # "Updated at 11:45 p.m. ET" has a time but no date: it is no headline, and the brief must not
    # take it for its title. A headline that says "updated" among other words still is one.
    assert detect(f"Updated at 11:45 p.m. ET\n\n{BODY}").title is None
    assert detect(f"Parliament backs new defence budget\nUpdated at 11:45 p.m. ET\n\n{BODY}").title == (
        "Parliament backs new defence budget")
    assert detect(f"Police updated their advice on the storm\n{BODY}").title == "Police updated their advice on the storm"

def test_byline_from_by_line_and_not_from_a_place() -> None:
    meta = detect(f"Bridge opens at last\nBy Jane van der Berg and Tom Hale\nLONDON\n{BODY}")
    assert meta.byline == "Jane van der Berg and Tom Hale"
    meta = detect(f"Bridge opens at last\nNew York\nAnna Kowalski\n{BODY}")
    assert meta.byline == "Anna Kowalski"


def test_metadata_lines_are_reported_for_exclusion() -> None:
    lines = classify_lines(["Bridge opens at last?", "Jane Roe", "9 March 2021", BODY])
    meta = detect_metadata(lines)
    assert meta.published == dt.date(2021, 3, 9)
    assert {1, 2} <= meta.metadata_lines
