"""Tests of loading: files and folders in, `Source`s out."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import shutil
import warnings
from pathlib import Path

import pytest

from summarizer.errors import NoArticlesError, PathNotFoundError, SummarizerWarning
from summarizer.load import decode_bytes, load_sources
from summarizer.models import Source

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "loading"


def load(*paths: Path | str) -> tuple[list[Source], list[str]]:
    """Load paths, collecting the warnings instead of emitting them."""
    messages: list[str] = []
    return load_sources(list(paths), on_warning=messages.append), messages


@pytest.fixture(scope="module")
def seeds() -> list[Source]:
    """The five seed articles, loaded once."""
    messages: list[str] = []
    sources = load_sources([SEEDS], on_warning=messages.append)
    assert messages == []
    return sources


def test_seeds_load_in_name_order_with_ids(seeds: list[Source]) -> None:
    assert [s.id for s in seeds] == [1, 2, 3, 4, 5]
    assert [Path(s.path).name[:3] for s in seeds] == ["000", "001", "002", "003", "004"]
    assert all(Path(s.path).parent == SEEDS for s in seeds)


def test_seed_metadata(seeds: list[Source]) -> None:
    by_number = {Path(s.path).name[:3]: s for s in seeds}
    assert {n: s.outlet for n, s in by_number.items()} == {
        "000": "Reuters",
        "001": "RFE/RL",
        "002": "AFP",
        "003": "The Independent",
        "004": "004_16e12b2305d16b8d",  # nothing in the text names the publisher: the file name
    }
    assert by_number["003"].byline == "Mythili Sampathkumar"
    assert by_number["001"].byline == "Carl Schreck"
    assert by_number["003"].published == dt.date(2017, 4, 12)
    assert by_number["004"].published == dt.date(2017, 4, 12)
    assert by_number["002"].published == dt.date(2017, 4, 13)
    assert by_number["000"].title is None
    assert by_number["004"].title == "US and Russia struggle to overcome rifts in Moscow"


def test_seed_sentences_keep_the_body_and_drop_the_cruft(seeds: list[Source]) -> None:
    everything = [sentence for source in seeds for sentence in source.sentences]
    assert "“The world’s two foremost nuclear powers cannot have this kind of relationship.”" in everything
    assert (
        "Putin admitted that relations have worsened in the three months that Trump has been in office."
        in everything
    )
    joined = "\n".join(everything)
    for cruft in (
        "What the stars mean",
        "please wait",
        "Carl Schreck is an award-winning",
        "Join our commenting",
        "undesirable organization",
        "Consular assistance",
        "(AP Photo",
        "16x9 Image",
        "MOSCOW (Reuters)",
    ):
        assert cruft not in joined


def test_seed_metadata_lines_are_not_sentences(seeds: list[Source]) -> None:
    everything = {sentence for source in seeds for sentence in source.sentences}
    for line in (
        "Mythili Sampathkumar",
        "New York",
        "Wednesday 12 April 2017 18:37 BST",
        "Published on 12/04/2017",
        "April 13, 2017 | 09:21",
        "US and Russia struggle to overcome rifts in Moscow",
        "AFP",
    ):
        assert line not in everything
    reuters = seeds[0]
    assert reuters.sentences[0].startswith("Russia and the United States agreed to set up a working group")
    assert len(reuters.sentences) == 16


def test_folders_expand_recursively_in_sorted_order(tmp_path: Path) -> None:
    body = "The council met on Monday and approved the plan after a long debate, officials said.\n"
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b.txt").write_text(body.replace("Monday", "Tuesday"))
    (tmp_path / "a.md").write_text(body.replace("Monday", "Wednesday"))
    (tmp_path / "sub" / "c.markdown").write_text(body.replace("Monday", "Thursday"))
    (tmp_path / "Z.htm").write_text(
        f"<html><body><article><p>{body.replace('Monday', 'Friday')}</p></article></body></html>"
    )
    (tmp_path / "notes.rst").write_text(body.replace("Monday", "Saturday"))  # not an article extension
    (tmp_path / ".hidden" / "d.txt").write_text(body.replace("Monday", "Sunday"))
    sources, messages = load(tmp_path)
    assert [Path(s.path).relative_to(tmp_path).as_posix() for s in sources] == [
        "Z.htm",
        "a.md",
        "b.txt",
        "sub/c.markdown",
    ]
    assert messages == []
    # A file named explicitly is read whatever its extension; ids follow the order given.
    sources, _ = load(tmp_path / "notes.rst", tmp_path / "b.txt")
    assert [(s.id, Path(s.path).name) for s in sources] == [(1, "notes.rst"), (2, "b.txt")]
    assert "Saturday" in sources[0].sentences[0]


def test_same_file_named_twice_is_read_once() -> None:
    sources, messages = load(FIXTURES / "drought.txt", FIXTURES / "drought.txt")
    assert len(sources) == 1 and messages == []


def test_cp1252_and_latin1_fallbacks_are_reported(tmp_path: Path) -> None:
    sources, messages = load(FIXTURES / "cp1252.txt")
    assert messages == [f"decoded {FIXTURES / 'cp1252.txt'} as cp1252: not valid UTF-8"]
    assert sources[0].sentences[0] == "Café owners in the old town say trade is back to normal."
    assert (
        "“We expect the trend to continue through the summer,” the authority’s director said."
        in sources[0].sentences
    )
    # 0x81 is undefined in cp1252: only latin-1 can decode this.
    odd = tmp_path / "odd.txt"
    odd.write_bytes(b"The mayor said the \x81 fund would grow by half next year, according to the plan.\n")
    _, messages = load(odd)
    assert messages == [f"decoded {odd} as latin-1: not valid UTF-8"]


def test_c1_controls_in_utf8_text_are_read_as_the_cp1252_characters_they_stand_for(tmp_path: Path) -> None:
    # Text once read as latin-1 upstream, then saved as UTF-8: U+0096 where an en dash was, U+0093
    # and U+0094 where the quotes were. No text uses those control characters.
    mangled = tmp_path / "mangled.txt"
    mangled.write_text("The agencies \x93warned for months\x94 of a crisis \x96 and of famine, the report said.\n",
                       encoding="utf-8")
    sources, messages = load(mangled)
    assert messages == []
    assert sources[0].sentences == ["The agencies \u201cwarned for months\u201d of a crisis \u2013 and of famine, "
                                    "the report said."]


def test_utf8_bom_and_utf16_decode_silently(tmp_path: Path) -> None:
    bom = tmp_path / "bom.txt"
    bom.write_bytes(
        "\ufeffThe bridge opened on Monday after ten years of work, the city said.\n".encode("utf-8")
    )
    sources, messages = load(bom, FIXTURES / "utf16.txt")
    assert messages == []
    assert sources[0].sentences == ["The bridge opened on Monday after ten years of work, the city said."]
    assert (
        sources[1].sentences[1]
        == "Turbines in the bay supplied more than half of the region’s power for six hours."
    )
    assert decode_bytes("é".encode("utf-16"))[1] == "utf-16"


def test_a_page_is_decoded_in_the_charset_it_declares_without_a_fallback_warning(tmp_path: Path) -> None:
    body = ("<p>The textile factory in Łódź closed on Monday after 90 years, its owner said.</p>"
            "<p>More than 300 workers lost their jobs, the city council said on Tuesday.</p>")
    central = tmp_path / "lodz.html"  # iso-8859-2, which cp1252 would read as "£ód¼"
    central.write_bytes(('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">'
                         f"</head><body><article>{body}</article></body></html>").encode("iso-8859-2"))
    western = tmp_path / "cafe.html"  # latin-1 declared, read as browsers do: windows-1252
    western.write_bytes(('<html><head><meta charset="ISO-8859-1"></head><body><article><p>The Café Müller '
                         "closed on Monday \u2013 after 40 years \u2013 its owner said.</p><p>The rent had doubled "
                         "since the spring, the owner told the city.</p></article></body></html>").encode("cp1252"))
    guessed = tmp_path / "plain.txt"  # no declaration: the fallback, named in a warning
    guessed.write_bytes("The Café Müller closed on Monday after 40 years, its owner said.\n".encode("cp1252"))
    sources, messages = load(central, western, guessed)
    assert "Łódź" in sources[0].sentences[0]
    assert sources[1].sentences[0] == "The Café Müller closed on Monday \u2013 after 40 years \u2013 its owner said."
    assert messages == [f"decoded {guessed} as cp1252: not valid UTF-8"]
    assert decode_bytes(central.read_bytes())[1] == "iso8859-2, as declared"
    # a charset Python does not know, or one the bytes do not fit, leaves the guesses to decide
    assert decode_bytes(b'<meta charset="klingon">caf\xe9')[1] == "cp1252"
    assert decode_bytes(b'<meta charset="utf-16">caf\xe9')[1] == "cp1252"  # odd length: no UTF-16


def test_binary_and_empty_files_are_skipped_with_a_named_warning(tmp_path: Path) -> None:
    blob = tmp_path / "photo.bin"
    blob.write_bytes(bytes(range(256)) * 8)
    sources, messages = load(FIXTURES / "binary.txt", FIXTURES / "empty.txt", blob, FIXTURES / "drought.txt")
    assert [Path(s.path).name for s in sources] == ["drought.txt"]
    assert messages == [
        f"skipped {FIXTURES / 'binary.txt'}: binary file, not an article",
        f"skipped {FIXTURES / 'empty.txt'}: empty file",
        f"skipped {blob}: .bin is not a supported format (give .txt, .md or .html files)",
    ]


def test_text_with_no_sentences_after_cleaning_is_skipped(tmp_path: Path) -> None:
    furniture = tmp_path / "furniture.txt"
    furniture.write_text("Advertisement\nShare this article\nSubscribe to our newsletter\n")
    _, messages = load(furniture, FIXTURES / "drought.txt")
    assert messages == [f"skipped {furniture}: no article text left after removing page furniture"]


def test_an_article_in_another_script_is_skipped_with_that_reason(tmp_path: Path) -> None:
    # Chinese has no spaces nor full stops the cleaning knows, Arabic no capitals: every line would
    # go as page furniture, which would tell the editor the wrong thing.
    chinese = tmp_path / "tokyo.txt"
    chinese.write_text("東京で地震が発生した。死者は10人と報じられた。政府は緊急会議を開いた。" * 5, encoding="utf-8")
    arabic = tmp_path / "cairo.txt"
    arabic.write_text("وقع زلزال في القاهرة. وأفادت التقارير بمقتل عشرة أشخاص.\n" * 5, encoding="utf-8")
    furniture = tmp_path / "furniture.txt"
    furniture.write_text("Advertisement\nShare this article\nSubscribe to our newsletter\n© Agence 東京通信\n")
    _, messages = load(chinese, arabic, furniture, FIXTURES / "drought.txt")
    reason = "its text is not in the Latin alphabet; summarize reads articles in English"
    assert messages == [f"skipped {chinese}: {reason}", f"skipped {arabic}: {reason}",
                        f"skipped {furniture}: no article text left after removing page furniture"]


def test_missing_path_raises_path_not_found(tmp_path: Path) -> None:
    with pytest.raises(PathNotFoundError, match=r"nope\.txt: no such file or folder; check the path"):
        load_sources([tmp_path / "nope.txt"])


def test_nothing_readable_raises_no_articles(tmp_path: Path) -> None:
    with pytest.raises(
        NoArticlesError, match=r"no readable article in .*/: give \.txt, \.md or \.html files"
    ):
        load_sources([tmp_path], on_warning=lambda _: None)
    shutil.copy(FIXTURES / "binary.txt", tmp_path / "binary.txt")
    messages: list[str] = []
    with pytest.raises(NoArticlesError):
        load_sources([tmp_path], on_warning=messages.append)
    assert messages == [f"skipped {tmp_path / 'binary.txt'}: binary file, not an article"]


def test_warnings_default_to_summarizer_warning() -> None:
    with pytest.warns(SummarizerWarning, match=r"skipped .*empty\.txt: empty file"):
        load_sources([FIXTURES / "empty.txt", FIXTURES / "drought.txt"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # with a handler, nothing goes through `warnings`
        load_sources([FIXTURES / "empty.txt", FIXTURES / "drought.txt"], on_warning=lambda _: None)


def test_html_page_goes_through_main_content_extraction() -> None:
    sources, messages = load(FIXTURES / "page.html")
    page = sources[0]
    assert messages == []
    assert page.title == "Harbour bridge vote passes after long night"
    assert page.byline == "Ines Albright"
    assert page.outlet == "Coastal Herald"
    assert page.published == dt.date(2021, 3, 9)
    assert page.url == "https://coastal-herald.example/news/harbour-bridge-vote"
    assert page.sentences[0].startswith("The city council approved the new harbour bridge early on Tuesday")
    assert len(page.sentences) == 5
    joined = " ".join(page.sentences)
    for cruft in ("cookies", "Advertisement", "newsletter", "Copyright", "Share this", "Home |"):
        assert cruft not in joined


def test_html_page_without_article_is_skipped() -> None:
    _, messages = load(FIXTURES / "empty_page.html", FIXTURES / "drought.txt")
    assert len(messages) == 1
    assert messages[0].startswith(f"skipped {FIXTURES / 'empty_page.html'}: ")


def test_markdown_front_matter_overrides_and_syntax_is_stripped() -> None:
    sources, messages = load(FIXTURES / "article.md")
    article = sources[0]
    assert messages == []
    assert (article.title, article.outlet, article.byline) == (
        "Rail strike halts trains across the north",
        "Northern Ledger",
        "Tomas Reyes",
    )
    assert article.url == "https://ledger.example/rail-strike"
    assert article.published == dt.date(2022, 6, 21)
    assert article.sentences[1] == (
        "The union said its members had rejected an offer of a 4.5% rise because it did not keep pace with prices."
    )
    joined = " ".join(article.sentences)
    for syntax in ("**", "](", "![", "#", "> ", "What happens next"):
        assert syntax not in joined


def test_malformed_front_matter_is_ignored_with_a_warning() -> None:
    sources, messages = load(FIXTURES / "bad_front_matter.md")
    assert len(messages) == 1 and messages[0].startswith(
        f"ignored the front matter of {FIXTURES / 'bad_front_matter.md'}: malformed YAML"
    )
    assert sources[0].title is None
    assert sources[0].sentences[0].startswith("Flood defences along the river held overnight")
    assert not any("unclosed" in s for s in sources[0].sentences)


def test_front_matter_with_a_bad_date_keeps_the_rest(tmp_path: Path) -> None:
    md = tmp_path / "story.md"
    md.write_text(
        "---\npublished: last Tuesday\noutlet: Daily Example\n---\nThe mayor resigned on Friday, her office said.\n"
    )
    sources, messages = load(md)
    assert sources[0].outlet == "Daily Example" and sources[0].published is None
    assert messages == [
        f"ignored published: 'last Tuesday' in the front matter of {md}: not a date (use YYYY-MM-DD)"
    ]


def test_duplicates_are_merged_into_the_first(tmp_path: Path) -> None:
    sources, messages = load(FIXTURES / "drought.txt", FIXTURES / "page.html", FIXTURES / "drought_copy.txt")
    assert [Path(s.path).name for s in sources] == ["drought.txt", "page.html"]
    assert [s.id for s in sources] == [1, 2]
    assert sources[0].duplicates == [str(FIXTURES / "drought_copy.txt")]
    assert messages == [
        f"merged {FIXTURES / 'drought_copy.txt'} into {FIXTURES / 'drought.txt'}: same article"
    ]


def test_near_duplicates_merge_but_different_articles_do_not(tmp_path: Path) -> None:
    sentences = [
        f"Report {n} says the river rose {n} centimetres overnight near the old mill." for n in range(12)
    ]
    (tmp_path / "a.txt").write_text("\n\n".join(sentences))
    endings = [f"Different ending number {n}." for n in range(4)]
    (tmp_path / "b.txt").write_text(
        "\n\n".join([*sentences, "A late update added one more line to the story."])
    )
    (tmp_path / "c.txt").write_text("\n\n".join([*sentences[:8], *endings]))
    sources, messages = load(tmp_path)
    assert [Path(s.path).name for s in sources] == ["a.txt", "c.txt"]
    assert sources[0].duplicates == [str(tmp_path / "b.txt")]
    assert len(messages) == 1


def test_random_bytes_never_raise_a_traceback(tmp_path: Path) -> None:
    generator = random.Random(1234)
    for n in range(30):
        size = generator.choice([1, 7, 100, 3000])
        (tmp_path / f"junk{n:02d}.txt").write_bytes(bytes(generator.randrange(256) for _ in range(size)))
    messages: list[str] = []
    with contextlib.suppress(NoArticlesError):
        load_sources([tmp_path], on_warning=messages.append)
    assert len(messages) >= 30


BODY = "<p>" + "Negotiators agreed on Tuesday to cut fishing quotas in the North Atlantic by 15 percent. " * 4 + "</p>"


def test_html_date_comes_from_the_page_metadata_never_from_a_copyright_line(tmp_path: Path) -> None:
    guessed = tmp_path / "guessed.html"
    guessed.write_text(f"<html><head><title>Quotas cut</title></head><body><article>{BODY}</article>"
                       "<footer>Copyright 2021 Example News</footer></body></html>", encoding="utf-8")
    dated = tmp_path / "dated.html"
    dated.write_text('<html><head><title>Quotas cut again</title>'
                     '<meta property="article:published_time" content="2017-04-12T09:00:00Z"></head>'
                     f"<body><article>{BODY.replace('Tuesday', 'Wednesday')}</article></body></html>",
                     encoding="utf-8")
    first, second = load_sources([guessed, dated], on_warning=lambda _: None)
    assert first.published is None
    assert second.published == dt.date(2017, 4, 12)
