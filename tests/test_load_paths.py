"""Loading from what the user names (issue 7): only regular files, a size cap, a reason for every
file passed over, paths taken as written, unclosed front matter; and no input raises anything but
the documented errors (a property test over bytes, encodings and file names)."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.cli import main
from summarizer.errors import InvalidPathError, NoArticlesError, PathNotFoundError, SummarizerError
from summarizer.load import load_sources
from summarizer.models import Source

ARTICLE = ("GENEVA (Reuters) - Negotiators from twelve countries agreed on Tuesday to cut fishing quotas "
           "in the North Atlantic by 15 percent. The deal still needs the approval of each parliament.\n")


def load(*paths: Path | str, **options: float) -> tuple[list[Source], list[str]]:
    messages: list[str] = []
    return load_sources(list(paths), on_warning=messages.append, **options), messages


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "reuters.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr


# --- only regular files; a size cap ----------------------------------------------------------------


def test_a_fifo_named_on_the_command_line_is_skipped_not_waited_on(tmp_path: Path, article: Path) -> None:
    fifo = tmp_path / "feed.txt"
    os.mkfifo(fifo)
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(load(fifo, article)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert outcome, "loading blocked on the FIFO"
    sources, messages = outcome[0]  # type: ignore[misc]
    assert [Path(s.path).name for s in sources] == ["reuters.txt"]
    assert messages == [f"skipped {fifo}: a named pipe (FIFO), not a regular file"]


def test_a_device_is_skipped_with_a_named_warning(article: Path) -> None:
    sources, messages = load("/dev/zero", article)
    assert len(sources) == 1
    assert messages == ["skipped /dev/zero: a character device, not a regular file"]


def test_a_device_alone_is_a_clear_error_on_the_command_line() -> None:
    code, stderr = run_cli("/dev/zero")
    assert code == 1 and stderr.count("\n") <= 2
    assert "a character device" in stderr and "MemoryError" not in stderr and "internal error" not in stderr


def test_a_file_over_the_cap_is_skipped_unread_with_the_cap_named(tmp_path: Path, article: Path) -> None:
    huge = tmp_path / "dump.txt"
    with huge.open("wb") as stream:  # sparse: 50 MB on paper, nothing on disk
        stream.truncate(50_000_000)
    sources, messages = load(huge, article)
    assert len(sources) == 1
    assert messages == [f"skipped {huge}: 50.0 MB, over the 5 MB cap on one article (raise it with --max-file-mb)"]


def test_the_cap_is_configurable(tmp_path: Path, article: Path) -> None:
    long_article = tmp_path / "long.txt"
    long_article.write_text("".join(f"Inspectors counted {n} trawlers in the harbour on day {n} of the survey.\n"
                                    for n in range(120)), encoding="utf-8")  # about 8 kB
    _, messages = load(long_article, article, max_file_mb=0.005)
    assert messages == [f"skipped {long_article}: 0.0 MB, over the 0.005 MB cap on one article "
                        "(raise it with --max-file-mb)"]
    sources, messages = load(long_article, article, max_file_mb=1)
    assert len(sources) == 2 and messages == []
    code, stderr = run_cli(str(long_article), "--max-file-mb", "0", "-q")
    assert code == 2 and "--max-file-mb" in stderr


# --- a reason for every file passed over --------------------------------------------------------------


def test_when_nothing_is_readable_the_error_gives_each_files_reason(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "b.txt").write_text("", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Flood warning\n", encoding="utf-8")  # a title, no article text
    with pytest.raises(NoArticlesError) as caught:
        load_sources([tmp_path], on_warning=lambda _: None)
    message = str(caught.value)
    assert f"{tmp_path / 'a.txt'}: binary file, not an article" in message
    assert f"{tmp_path / 'b.txt'}: empty file" in message
    assert f"{tmp_path / 'c.txt'}: no article text left after removing page furniture" in message
    assert message.endswith("give .txt, .md or .html files with article text")


def test_many_reasons_are_counted_not_all_listed(tmp_path: Path) -> None:
    for number in range(9):
        (tmp_path / f"{number}.txt").write_text("", encoding="utf-8")
    with pytest.raises(NoArticlesError, match=r"; and 4 more\): give"):
        load_sources([tmp_path], on_warning=lambda _: None)


@pytest.mark.parametrize(("name", "data"), [
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n\x00\x01\x02"),
    ("report.docx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\x00\x00word/document.xml"),
])
def test_a_document_format_named_explicitly_is_said_to_be_unsupported(name: str, data: bytes,
                                                                        tmp_path: Path) -> None:
    document = tmp_path / name
    document.write_bytes(data)
    code, stderr = run_cli(str(document))
    suffix = Path(name).suffix
    assert code == 1
    assert f"{suffix} is not a supported format (give .txt, .md or .html files)" in stderr


# --- paths taken as written ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["afile", "one.txt"])
def test_a_file_written_with_a_trailing_slash_is_a_usage_error(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(InvalidPathError, match=r"not a folder .*drop the trailing slash"):
        load_sources([f"{path}/"])
    code, stderr = run_cli(f"{path}/")
    assert code == 2 and "drop the trailing slash" in stderr


def test_a_broken_link_named_is_a_usage_error_and_inside_a_folder_a_warning(tmp_path: Path, article: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "deleted.txt")
    with pytest.raises(InvalidPathError, match=r"gone\.txt: a broken link .*deleted\.txt"):
        load_sources([link])
    assert not isinstance(InvalidPathError("x"), PathNotFoundError)
    sources, messages = load(tmp_path)
    assert [Path(s.path).name for s in sources] == ["reuters.txt"]
    assert messages == [f"skipped {link}: a broken link"]


def test_a_folder_named_like_an_article_is_named_unless_it_holds_articles(tmp_path: Path, article: Path) -> None:
    (tmp_path / "empty.txt").mkdir()
    (tmp_path / "more.md").mkdir()
    (tmp_path / "more.md" / "inside.txt").write_text(ARTICLE.replace("Negotiators", "Diplomats"), encoding="utf-8")
    sources, messages = load(tmp_path)
    assert sorted(Path(s.path).name for s in sources) == ["inside.txt", "reuters.txt"]
    assert messages == [f"skipped {tmp_path / 'empty.txt'}: a folder named like an article, holding no "
                        ".txt, .md or .html file"]


def test_a_fifo_inside_a_folder_is_named(tmp_path: Path, article: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    sources, messages = load(tmp_path)
    assert len(sources) == 1
    assert messages == [f"skipped {tmp_path / 'pipe.txt'}: a named pipe (FIFO)"]


# --- front matter that is not closed ------------------------------------------------------------------


def test_unclosed_front_matter_is_read_with_a_warning_and_not_glued_to_the_first_sentence(tmp_path: Path) -> None:
    story = tmp_path / "story.md"
    story.write_text("---\ntitle: Fishing quotas cut\noutlet: Example Wire\n" + ARTICLE, encoding="utf-8")
    [source], messages = load(story)
    assert source.title == "Fishing quotas cut" and source.outlet == "Example Wire"
    assert source.sentences[0].startswith("Negotiators from twelve countries")
    assert not any("title:" in sentence or "outlet:" in sentence for sentence in source.sentences)
    assert messages == [f"read the front matter of {story}: it has no closing --- line; read the key: value "
                        "lines after the opening --- as front matter"]


def test_a_leading_rule_that_cannot_be_front_matter_is_text_with_a_warning(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("---\n" + ARTICLE, encoding="utf-8")
    [source], messages = load(story)
    assert source.sentences[0].startswith("Negotiators from twelve countries")
    assert len(messages) == 1 and messages[0].startswith(f"ignored the front matter of {story}: it opens with ---")
    assert messages[0].endswith("read it as text")


# --- no input raises anything but the documented errors -----------------------------------------------

_NAMES = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="/\x00"), min_size=1, max_size=30)
_ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "latin-1"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(st.tuples(_NAMES, st.sampled_from([".txt", ".md", ".html", ".htm", "", ".pdf"]),
                                st.one_of(st.binary(max_size=3000),
                                          st.tuples(st.text(max_size=800), _ENCODINGS))),
                      min_size=1, max_size=4))
def test_arbitrary_files_raise_only_documented_errors(files: list[tuple[str, str, object]], tmp_path: Path) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    written: list[Path] = []
    for number, (stem, suffix, content) in enumerate(files):
        if stem in (".", ".."):
            continue
        if isinstance(content, tuple):
            text, encoding = content
            data = text.encode(encoding, errors="replace")
        else:
            data = content  # type: ignore[assignment]
        path = folder / f"{number}-{stem}{suffix}"
        try:
            path.write_bytes(data)
        except OSError:  # a name this file system refuses (too long in bytes): not the loader's input
            continue
        written.append(path)
    for paths in ([folder], written):
        if not paths:
            continue
        try:
            sources = load_sources(paths, on_warning=lambda _: None)
        except SummarizerError as exc:
            assert isinstance(exc, NoArticlesError | InvalidPathError), exc
            assert "\n" not in str(exc)
        else:
            assert sources and all(source.sentences for source in sources)
            assert [source.id for source in sources] == list(range(1, len(sources) + 1))
