"""Tests of web boilerplate removal (cleaning, credits), Markdown stripping and front matter (markup)."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import load_sources
from summarizer.load.cleaning import LineKind, classify_lines, clean_text, unwrap_hard_wrapped, without_glued_retellings
from summarizer.load.credits import split_at_inline_credits, strip_credits, strip_dateline
from summarizer.load.markup import markdown_to_text, split_front_matter

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Lines of page furniture that must never survive cleaning, whatever the seed.
SEED_CRUFT = [
    "Accessibility links",
    "Breaking News",
    "please wait",
    "No media source currently available",
    "0:00 0:01:32 0:00",
    "WATCH:",
    "Join our commenting forum",
    "(0) user say",
    "Thank you for registering",
    "Please refresh the page",
    "What the stars mean",
    "★",
    "Carl Schreck is an award-winning",
    "undesirable organization",
    "you could face fines",
    "To find out more, click here",
    "Consular assistance",
    "Find your country’s embassy",
    "16x9 Image",
    "A child receives treatment at a field hospital",
    "Jim Mattis at the Pentagon on April 11.",
    "AP Photo/Ivan Sekretarev",
    "AFP/Alexander NEMENOV",
    "MISSILE SALVO",
    "RUSSIA VETOES UN RESOLUTION",
    "'Prospects For Joint Work'",
    "Home News",
    "With reporting by",
    "follow other Independent readers",
]


@pytest.fixture(scope="module")
def cleaned_seeds() -> dict[str, str]:
    """Each seed's cleaned body text keyed by its number."""
    return {
        path.name[:3]: clean_text(path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))
    }


@pytest.mark.parametrize("cruft", SEED_CRUFT)
def test_seed_cruft_is_removed(cleaned_seeds: dict[str, str], cruft: str) -> None:
    for number, body in cleaned_seeds.items():
        assert cruft not in body, f"{cruft!r} left in seed {number}"


@pytest.mark.parametrize(
    ("number", "sentence"),
    [
        ("000", "“We discussed Assad today,” said Lavrov."),
        ("000", "It was wrong to blame Assad without knowing the facts, he said."),
        ("001", 'Referring to Assad, Trump added, "This is an animal."'),
        (
            "001",
            '"We are ready to throw our weight and resources behind diplomacy" to help bring the civil war',
        ),
        ("001", "Later on April 12 at the UN Security Council in New York, Russia rejected the draft"),
        (
            "002",
            "Russia's President Vladimir Putin hosted US Secretary of State Rex Tillerson at the Kremlin",
        ),
        (
            "002",
            "In a sign the Kremlin is not ready to drop Assad, Syria's foreign minister will jet in to Moscow",
        ),
        ("003", "On Wednesday, Russia also vetoed a UN Security Council resolution regarding Syria"),
        ("003", "Last week’s attack in Idlib province resulted in nearly 100 deaths"),
        (
            "004",
            "Putin admitted that relations have worsened in the three months that Trump has been in office.",
        ),
        ("004", "US Secretary of State Rex Tillerson battled to overcome differences"),
    ],
)
def test_seed_body_is_kept(cleaned_seeds: dict[str, str], number: str, sentence: str) -> None:
    assert sentence in cleaned_seeds[number]


def test_seed_body_paragraph_counts(cleaned_seeds: dict[str, str]) -> None:
    # Counted by hand from the seed files: every prose paragraph, nothing else.
    counts = {number: len(body.split("\n\n")) for number, body in cleaned_seeds.items()}
    assert counts == {"000": 14, "001": 53, "002": 30, "003": 33, "004": 12}


def test_datelines_are_stripped_from_the_first_paragraph(cleaned_seeds: dict[str, str]) -> None:
    assert cleaned_seeds["000"].startswith("Russia and the United States agreed")
    assert cleaned_seeds["002"].startswith("Russia's President Vladimir Putin")
    assert strip_dateline("KYIV, Ukraine (AP) — Officials said on Monday.") == "Officials said on Monday."
    assert strip_dateline("U.S. officials said on Monday.") == "U.S. officials said on Monday."


@pytest.mark.parametrize("paragraph, expected", [
    # a place and its region, or a place or date alone, then a spaced dash: the sentence after it
    # takes the capital
    ("Beirut, lebanon \u2014 in the hills near the border, a town is starving.",
     "In the hills near the border, a town is starving."),
    ("Commerce, mich. \u2014 in a speech at a family orchard, romney tried a joke \u2014 and got in trouble.",
     "In a speech at a family orchard, romney tried a joke \u2014 and got in trouble."),
    ("Stockholm \u2014 the world's top climate scientists embraced a limit on friday.",
     "The world's top climate scientists embraced a limit on friday."),
    ("Sana ' a/aden - seeing the crisis first-hand, the director asked for funds.",
     "Seeing the crisis first-hand, the director asked for funds."),
    ("Colerain township, ohio ( wkrc ) - police say that they have arrested two teens.",
     "Police say that they have arrested two teens."),
    ("21 july 2011 \u2013 for many months aid agencies have warned of a crisis.",
     "for many months aid agencies have warned of a crisis."),
    # ... the dashes after it pair up around an aside of their own
    ("Computerworld - the fbi is examining a drive after the rampage that left 28 people -- including the gunman -- dead.",
     "The fbi is examining a drive after the rampage that left 28 people -- including the gunman -- dead."),
])
def test_datelines_without_an_agency_are_stripped(paragraph: str, expected: str) -> None:
    assert strip_dateline(paragraph) == expected


@pytest.mark.parametrize("paragraph", [
    "Forget the rain forest \u2014 your home is brimming with bugs.",  # a function word: prose
    "Arthropods \u2014 a huge group that includes insects \u2014 have been living with us.",  # an aside
    "File - smoke pours from a chimney at a cement plant.",  # a picture's caption
    "The project \u2013 code-named dragonfly \u2013 was kept secret.",
])
def test_an_opening_that_only_looks_like_a_dateline_stays(paragraph: str) -> None:
    assert strip_dateline(paragraph) == paragraph


def test_a_dateline_no_longer_splits_off_as_a_sentence(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Commerce, mich. \u2014 in a speech to thousands of supporters at a family "
                                    "orchard, mitt romney tried a joke. The line prompted laughter.\n")
    assert load_sources([tmp_path])[0].sentences == [
        "In a speech to thousands of supporters at a family orchard, mitt romney tried a joke.",
        "The line prompted laughter."]


BODY = "The council approved the budget on Monday after a long debate, officials said."


@pytest.mark.parametrize(
    "cruft",
    [
        "We use cookies to give you the best experience on our website.",
        "This site uses cookies. By continuing to browse the site you are agreeing to our use of cookies.",
        "Accept all cookies",
        "Manage cookie preferences",
        "Subscribe to our newsletter",
        "Sign up for our daily briefing newsletter and get the news delivered to your inbox.",
        "Get unlimited digital access for just $1 a week.",
        "Share this article",
        "Share on Facebook",
        "Facebook Twitter Email Print",
        "Advertisement",
        "Story continues below advertisement",
        "Read more: Council to vote on bridge plan",
        "Sign up",
        "Log in",
        "© 2024 Example Media Group. All rights reserved.",
        "Copyright 2019 The Daily Example",
        "This material may not be published, broadcast, rewritten or redistributed.",
        "Skip to main content",
        "Follow us on Twitter for the latest updates.",
        "Download our app to get breaking news alerts.",
        "Comments (12)",
        "Your browser does not support the video tag.",
        "Photo: Jane Doe/Example Agency",
        "A protester holds a flag outside parliament (Reuters/John Smith)",
        "Related Stories",
        "Most Read",
        "Comments are closed.",
        "Associated Press writer Jill Lawless in London contributed to this report.",
        "Accept all cookies and continue",
        "This video is currently unavailable",
        "Media playback is unsupported on your device",
        "FILE - In this Jan. 28, 2014, file photo, the quarterback speaks at a news conference in Chicago.",
        "In this Nov. 13, 2003, photo, the judge listens to a prosecutor during a trial in Rockport.",
    ],
)
def test_general_web_cruft_is_removed(cruft: str) -> None:
    body = clean_text(f"{BODY}\n\n{cruft}\n\n{BODY.replace('Monday', 'Tuesday')}")
    assert cruft not in body
    assert BODY in body


def test_author_bio_at_the_end_or_under_its_name_is_removed() -> None:
    bio = "Jane Doe is a senior correspondent covering European politics. She joined the paper in 2015."
    story = [BODY.replace("Monday", day) for day in ("Monday", "Tuesday", "Wednesday", "Thursday")]
    assert clean_text("\n\n".join([*story, bio])) == "\n\n".join(story)
    later = [BODY.replace("Monday", f"May {n}") for n in range(1, 9)]
    middle = "\n\n".join([*story[:2], "Jane Doe", bio, *story[2:], *later])
    assert "Jane Doe" not in clean_text(middle)


@pytest.mark.parametrize(
    "sentence",
    [
        "Evan Gershkovich is a reporter for The Wall Street Journal who was detained in March, his paper said.",
        "The group has been declared an “undesirable organization” by Russia’s prosecutor general, it said.",
        "The embassy said it was providing consular assistance to the detained man and his family.",
        "Facebook said the post had violated its community guidelines and removed it on Friday.",
        "Users must accept cookies before they can read the site, the regulator said in its ruling.",
        "Officials urged residents to download the app so they can receive flood warnings on their phones.",
        "Russia will join the discussion on Syria at next week’s summit in Geneva, the Kremlin said.",
        "The video is not available in Russia, the company said in a statement on Tuesday.",
        "Copyright lawyers said the ruling would change how news sites license photographs.",
        "The deal gave investigators unlimited access to the company’s servers, the court heard.",
    ],
)
def test_news_about_the_same_topics_is_kept_mid_story(sentence: str) -> None:
    story = [BODY.replace("Monday", f"day {n}") for n in range(12)]
    text = "\n\n".join([*story[:4], sentence, *story[4:]])
    assert sentence in clean_text(text)


@pytest.mark.parametrize(
    "sentence",
    [
        "The party spent 2 million dollars on advertisement slots before the vote, its treasurer said.",
        "Officials said the committee would subscribe to the new reporting rules from next year.",
        "She said readers had written in to complain about the decision.",
        "The share price fell 4% after the announcement.",
        "Tillerson said the United States was confident that Assad’s forces were behind the attack.",
        "Breaking news emails from the agency reached two million readers on the night of the election.",
        "This photo agency has sold pictures to newspapers in forty countries since 1990, its owner said.",
        "The school reopened on Monday, two weeks after the shooting on Saturday, Dec. 14, officials said.",
        "The paper's newsletter, with headlines delivered every morning, has two million readers, it said.",
    ],
)
def test_body_sentences_mentioning_cue_words_are_kept(sentence: str) -> None:
    assert clean_text(f"Headline Here\n\n{sentence}") == sentence


def test_repeated_caption_is_dropped_entirely() -> None:
    text = f"{BODY}\nA man walks past the closed factory.\nA man walks past the closed factory.\n{BODY}"
    assert "closed factory" not in clean_text(text)
    # Captions scraped twice, the second copy with a credit appended.
    credited = "Crowds gather in the square (AP)\nCrowds gather in the square (AP) (AP Photo/Jane Roe)"
    assert "Crowds" not in clean_text(f"{BODY}\n{credited}\n{BODY}")


def test_headings_and_short_lines_are_not_body() -> None:
    lines = ["ECONOMY SLOWS", "What happens next", BODY, "Yes", "12:30 | 14/05/2020"]
    kinds = [line.kind for line in classify_lines(lines)]
    assert kinds == [LineKind.HEADING, LineKind.HEADING, LineKind.BODY, LineKind.HEADING, LineKind.HEADING]


def test_heading_above_a_player_or_promo_block_is_cruft() -> None:
    lines = [
        "Video title of the clip",
        "please wait",
        "",
        "Special offer for travellers",
        "Need consular assistance? Find your country's embassy here.",
    ]
    kinds = [line.kind for line in classify_lines(lines)]
    assert kinds == [LineKind.CRUFT, LineKind.CRUFT, LineKind.BLANK, LineKind.CRUFT, LineKind.CRUFT]


def test_long_line_without_final_punctuation_is_still_body() -> None:
    truncated = " ".join(["word"] * 25)
    assert classify_lines([truncated])[0].kind is LineKind.BODY


def test_unwrap_joins_hard_wrapped_paragraphs_only() -> None:
    wrapped = (
        "The harbour authority said on Monday that traffic through the port rose\n"
        "by twelve percent in the first quarter, helped by new night shifts that\n"
        "began in January and by a sharp rise in grain exports to the south.\n"
        "\n"
        "Officials expect the trend to continue through the summer months, when\n"
        "the new container terminal opens to ships from across the whole region.\n"
    )
    unwrapped = unwrap_hard_wrapped(wrapped).split("\n")
    assert unwrapped[0].endswith("exports to the south.")
    assert unwrapped[1] == ""
    assert unwrapped[2].startswith("Officials expect") and unwrapped[2].endswith("whole region.")
    seed = (SEEDS / "002_448d8d88aa665151.txt").read_text(encoding="utf-8")
    assert unwrap_hard_wrapped(seed) == seed


def test_markdown_syntax_is_stripped() -> None:
    text, headings = markdown_to_text(
        "# The Title\n\nSome **bold** and *italic* and _under_ text with a [link](https://x.example) "
        "and `code`.\n![a chart](https://x.example/c.png)\n\nSetext heading\n--------------\n\n"
        "- first item\n- second item\n\n> quoted line\n\n```\ncode block\n```\nsnake_case_name stays.\n"
    )
    assert headings == ["The Title", "Setext heading"]
    assert text.split("\n") == [
        "The Title",
        "Some bold and italic and under text with a link and code.",
        "Setext heading",
        "first item",
        "second item",
        "quoted line",
        "snake_case_name stays.",
    ]


def test_front_matter_is_split_and_malformed_yaml_reported() -> None:
    data, rest, problem = split_front_matter("---\ntitle: A\npublished: 2020-01-02\n---\nBody.\n")
    assert data is not None and data["title"] == "A" and problem is None
    assert rest == "Body.\n"
    data, rest, problem = split_front_matter("---\ntitle: [oops\n---\nBody.\n")
    assert data is None and rest == "Body.\n"
    assert problem is not None and "malformed YAML" in problem
    data, rest, problem = split_front_matter("---\n- a list\n---\nBody.\n")
    assert data is None and problem is not None and "mapping" in problem
    assert split_front_matter("No front matter.\n---\n") == (None, "No front matter.\n---\n", None)


def test_a_notice_run_into_a_one_line_article_costs_only_its_own_sentences() -> None:
    # Feeds that give a whole article as one line end it (or open it) with the notice: the article
    # stays, without the notice's sentences. Before, the whole line was cruft and the article lost.
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "May 1")
    story = " ".join(BODY.replace("Monday", day) for day in days)  # an article's worth of words
    for notice in ("Copyright 2017 The Associated Press. All rights reserved.",
                   "This material may not be published, broadcast, rewritten or redistributed.",
                   "Your browser does not support HTML5 video.",
                   "Media playback is unsupported on your device media caption Crowds in the square on Monday?",
                   "FILE - In this May 13, 2014, file photo, council members vote in the chamber.",
                   # a scraped picture's marks, its caption glued to a sentence or standing alone
                   "Image copyright AFP Image caption Mexican troops guard the site investigators are at work.",
                   "Image caption projections are based on assumptions about future emissions.",
                   "This 2011 photo provided by the Free Ghoncheh campaign shows Ghoncheh Ghavami in Isfahan.",
                   "This undated image released by the police shows the suspect at a petrol station.",
                   "Sharon Adams looks through a yearbook at her home in Centennial, Colo., on Saturday, Dec. 14, 2013.",
                   # a site's e-mail sign-up heading the article
                   "Breaking News Emails Get breaking news alerts and special reports. "
                   "The news and stories that matter, delivered weekday mornings.",
                   # page widgets: a box of bullet points, a video player, a link to a video report
                   "Story highlights parts of iowa hit with a foot of snow death toll spans 5 states.",
                   "Play Facebook Twitter Embed Aid trucks finally enter besieged city 2:07.",
                   "Click to view News 9's report."):
        assert clean_text(f"{story} {notice}") == story
        assert clean_text(f"{notice} {story}") == story
    assert clean_text("Copyright 2017 The Associated Press. All rights reserved.") == ""
    # What is left of a notice's own paragraph is no article.
    other = BODY.replace("Monday", "Friday")
    assert clean_text(f"{BODY}\n\n\u00a9 2017 Reuters. All rights reserved. Click for restrictions.\n\n{other}") == (
        f"{BODY}\n\n{other}")



@pytest.mark.parametrize(("text", "expected"), [
    # a lower-cased feed that runs captions and stories into one line
    ("( associated press ) iguala, mexico ( ap ) \u2014 a clandestine grave was found on monday.",
     "a clandestine grave was found on monday."),
    ("The storm hit. ( cnn ) -- the winter storm system moved east on tuesday.",
     "The storm hit. the winter storm system moved east on tuesday."),
    ("Los angeles ( ap ) \u2014 the self-driving cars of google were tested.", "the self-driving cars of google were tested."),
    # an agency named in a sentence is news, not a credit
    ("The Associated Press (AP) reported on Monday that the council had met.",
     "The Associated Press (AP) reported on Monday that the council had met."),
    ("In this case the court ruled for the photo agency on Monday.", "In this case the court ruled for the photo agency on Monday."),
    # any short bracket or picture mark where a sentence starts: a photo credit run into the text
    ("He was held. ( rj sangosti, the denver post ) centennial \u2014 authorities began investigating him.",
     "He was held. authorities began investigating him."),
    ("[ photo/xinhua ] xi ' an - china launched a second excavation project on thursday.",
     "xi ' an - china launched a second excavation project on thursday."),
    ("( photo: tbi ) clarification: elizabeth thomas is five feet tall.", "clarification: elizabeth thomas is five feet tall."),
    ("( u.s. Department of state photo ) for about a decade it operated unhindered.",
     "for about a decade it operated unhindered."),
    ("Buy photo howell \u2013 more than 200 dogs were rescued from a home.", "more than 200 dogs were rescued from a home."),
    ("Story continued below he tweeted the font out monday, dubbing it hillvetica.",
     "he tweeted the font out monday, dubbing it hillvetica."),
    ("Strange world. Advertisement the survey found 579 species, mainly insects.",
     "Strange world. the survey found 579 species, mainly insects."),
    ("Advertisement continue reading the main story denver \u2014 the sheriff was shot.", "the sheriff was shot."),
    # ... the story's own dateline after the mark goes with it, an aside does not
    ("He left. ( ap photo ) arthropods \u2014 a huge group of animals \u2014 live in homes.",
     "He left. arthropods \u2014 a huge group of animals \u2014 live in homes."),
    ("Updated 2: 00 p.m. Eastern washington u.s. Defenses could intercept a missile.",
     "washington u.s. Defenses could intercept a missile."),
    ("Plans as they develop. Updated 8: 21 a.m.: in the death investigation, police said.",
     "Plans as they develop. in the death investigation, police said."),
    ("Plans as they develop. Updated: wednesday, 8: 29 a.m. In response to the report, police said.",
     "Plans as they develop. In response to the report, police said."),
    ("How humans drive, too. Chris urmson blocked unblock follow following may 11, 2015 unlisted about 33,000 "
     "people die on america's roads every year.",
     "How humans drive, too. about 33,000 people die on america's roads every year."),
    # ... but advertising in the news, or an update told in words, is a sentence
    ("Advertisement spending rose by a third in the last quarter.", "Advertisement spending rose by a third in the last quarter."),
    ("The page was updated at noon with the full list of the victims.",
     "The page was updated at noon with the full list of the victims."),
    ("The site blocked him. He asked to unblock, follow and message the editors.",
     "The site blocked him. He asked to unblock, follow and message the editors."),
    # ... and a story that goes on below in the writer's words is a sentence
    ("The story continued below the surface for years, the inquiry found.",
     "The story continued below the surface for years, the inquiry found."),
    # ... not an aside that is a sentence of its own, nor a bracket with nothing much after it
    ("He left. (He returned later that day to collect his bag.) Then he went home.",
     "He left. (He returned later that day to collect his bag.) Then he went home."),
    ("The vote passed. (Reporting by Jane Doe)", "The vote passed. (Reporting by Jane Doe)"),
    # ... nor a writer's word put in square brackets for a pronoun
    ("He ripped it up. [Plant] and the other members of the band were about to sign.",
     "He ripped it up. [Plant] and the other members of the band were about to sign."),
])
def test_agency_credits_and_datelines_at_sentence_starts_go(text: str, expected: str) -> None:
    assert strip_credits(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a lower-cased feed, the post's picture link and credit inline; the article goes on after it
    ("Which crowdfunding should i use? pic.twitter.com/sroigwdgr6 — rick wolff ( @rickwolff ) april 14, 2015 "
     "hillvetica maintains the bold, patriotic red-and-blue color scheme.",
     ["Which crowdfunding should i use?", "hillvetica maintains the bold, patriotic red-and-blue color scheme."]),
    ("Great game tonight! — Jane Doe (@janedoe) Sept. 3, 2019 The team won its fifth straight.",
     ["Great game tonight!", "The team won its fifth straight."]),
    # a picture's controls and credit in a scrape of NPR, between the headline and the story
    ("Catholics should not try to convert jews, vatican commission says enlarge this image toggle caption "
     "gregorio borgia/ap gregorio borgia/ap furthering a thaw in relations that began 50 years ago.",
     ["Catholics should not try to convert jews, vatican commission says",
      "furthering a thaw in relations that began 50 years ago."]),
    # a picture's credit, names parted by slashes, the last an agency: a headline before it, the story after
    ("Gwar frontman dave brockie found dead at 50 gary wolstenholme / redferns / getty dave brockie, frontman "
     "for the heavy metal band gwar, has been found dead.",
     ["Gwar frontman dave brockie found dead at", "dave brockie, frontman for the heavy metal band gwar, has been found dead."]),
    ("Trump posing for a photo in new york city, may 17, 2016. Reuters/ivan sekretarev/pool/lucas jackson/file "
     "photos russian president vladimir putin will speak by phone on tuesday.",
     ["Trump posing for a photo in new york city, may 17, 2016.",
      "russian president vladimir putin will speak by phone on tuesday."]),
    ("The crowd cheered. Kevin Winter/Getty Images. The show went on.", ["The crowd cheered.", "The show went on."]),
    # ... or after the Guardian's label, whatever the last name is
    ("He was hanged two days later. Photograph: brook lapping/kessler prod/bbc israel has made public a plea.",
     ["He was hanged two days later.", "israel has made public a plea."]),
    # ... or in brackets, where a caption runs into the story
    ("Brody allen is celebrating christmas early with his family ( photo: provided by the allen family ) colerain "
     "police arrested two teens wednesday night.",
     ["Brody allen is celebrating christmas early with his family", "colerain police arrested two teens wednesday night."]),
    ("Claire davis ( photo by arapahoe county sheriff's office ) the senior was shot friday.",
     ["Claire davis", "the senior was shot friday."]),
    # brackets that say nothing of a picture
    ("The minister (courtesy title) spoke on Monday about the (provided) funds.",
     ["The minister (courtesy title) spoke on Monday about the (provided) funds."]),
    ("The funds (provided by the state) were spent on roads.", ["The funds (provided by the state) were spent on roads."]),
    # slashes that end in no picture agency, or one slash before a news agency: prose
    ("He works 24/7 and/or weekends, the AP reported.", ["He works 24/7 and/or weekends, the AP reported."]),
    ("A joint Reuters/AFP investigation found the files.", ["A joint Reuters/AFP investigation found the files."]),
    ("The Getty/Corbis deal closed in May.", ["The Getty/Corbis deal closed in May."]),
    ("The brief had one rule. Illustration: and/or 50/50 splits are banned.",
     ["The brief had one rule. Illustration: and/or 50/50 splits are banned."]),
    ("Flights to sana ' a/aden resumed on Monday, the airline said.",
     ["Flights to sana ' a/aden resumed on Monday, the airline said."]),
    # no credit: a handle or an address alone, a dash and brackets without a handle and a date
    ("Write to the desk at news@example.com — we read everything (really) in 2019.",
     ["Write to the desk at news@example.com — we read everything (really) in 2019."]),
    ("The senator replied to @rickwolff within the hour.", ["The senator replied to @rickwolff within the hour."]),
])
def test_an_inline_credit_ends_its_paragraph(text: str, expected: list[str]) -> None:
    assert split_at_inline_credits(text) == expected
    assert clean_text(text) == "\n\n".join(expected)


def test_a_fact_checks_verdict_on_its_own_line_is_kept_with_its_claim() -> None:
    # Short and in capitals, "FALSE" reads as a heading; it is the article's verdict on the claim.
    checked = clean_text("Claim: The town of Purdon, Texas was quarantined after a family tested positive.\n\n"
                         "FALSE\n\nExample: [Collected via email, October 2014]\n\n"
                         "Origins: On 14 October 2014, a satirical site published an article about the town.")
    assert "\n\nFALSE\n\n" in checked
    rated = clean_text("Rating: False\n\nThe photograph shows a storm over Miami in 2009, not last week.")
    assert rated.startswith("Rating: False")
    # A "TRUE" with no claim before it is a heading like any other.
    assert "TRUE" not in clean_text("TRUE\n\nThe council met on Monday and voted to close the old bridge in May.")


GLUED = ("Teen admitted to all 20 colleges and universities he applied to for admission micheal brown has been "
         "accepted by all 20 of the colleges and universities he applied to.")
TOLD = "Micheal brown has been accepted by all 20 of the colleges and universities he applied to."
TWEET = ('A spoof account also claimed to be the owner, tweeting: "Yes they were in good condition, besides the '
         'scratch on my car."')
POST = "Yes they were in good condition, besides the scratch on my car."


@pytest.mark.parametrize("sentences, kept", [
    # a headline glued before the sentence that follows it (Multi-News dev)
    ([GLUED, TOLD, "He was admitted with a full ride."], [TOLD, "He was admitted with a full ride."]),
    (["Embed more news videos at least 276 dogs were rescued.", "At least 276 dogs were rescued."],
     ["At least 276 dogs were rescued."]),
    # the words before it say whose words it gives: kept
    ([TWEET, POST], [TWEET, POST]),
    # too few words of its own to be a glued headline, or not the next sentence word for word
    (["Police said: at least 276 dogs were rescued.", "At least 276 dogs were rescued."],
     ["Police said: at least 276 dogs were rescued.", "At least 276 dogs were rescued."]),
    (["Police officers said at least 276 dogs were rescued.", "At least 276 dogs were rescued."],
     ["Police officers said at least 276 dogs were rescued.", "At least 276 dogs were rescued."]),
    (["The county's animal officers told reporters that at least 276 dogs were rescued.",
      "At least 276 dogs were rescued."],
     ["The county's animal officers told reporters that at least 276 dogs were rescued.",
      "At least 276 dogs were rescued."]),
    ([GLUED, "Micheal brown has been accepted by all 20 colleges."],
     [GLUED, "Micheal brown has been accepted by all 20 colleges."]),
])
def test_a_sentence_told_again_with_a_headline_glued_before_it_goes(sentences: list[str], kept: list[str]) -> None:
    assert without_glued_retellings(sentences) == kept


def test_a_loaded_article_drops_its_glued_headline(tmp_path: Path) -> None:
    path = tmp_path / "teen.txt"
    path.write_text(f"{GLUED} {TOLD}\n\nHe was admitted to every single one with a full ride.\n", encoding="utf-8")
    [source] = load_sources([path])
    assert source.sentences == [TOLD, "He was admitted to every single one with a full ride."]
