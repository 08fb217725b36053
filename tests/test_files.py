"""files: the brief is written atomically and a failure never clobbers an existing file."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from summarizer.errors import OutputError
from summarizer.files import write_atomically, write_output


def test_writes_the_text(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    write_output(target, "# Brief\n")
    assert target.read_text(encoding="utf-8") == "# Brief\n"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]


def test_a_failure_keeps_the_existing_file_and_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "brief.md"
    target.write_text("old brief\n", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OutputError, match="No space left"):
        write_output(target, "new brief\n")
    assert target.read_text(encoding="utf-8") == "old brief\n"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_output(tmp_path / "nope" / "brief.md", "x")


def test_a_folder_as_target_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a folder"):
        write_output(tmp_path, "x")


def test_overwrite_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_output(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_concurrent_writers_leave_a_whole_file(tmp_path: Path) -> None:
    data = os.urandom(1 << 20)
    target = tmp_path / "cache" / "bpe"
    threads = [threading.Thread(target=write_atomically, args=(target, data), kwargs={"make_parents": True})
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert target.read_bytes() == data
    assert [p.name for p in target.parent.iterdir()] == ["bpe"]


def test_an_interrupted_write_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(tmp_path / "answer.json", "{}")
    assert list(tmp_path.iterdir()) == []


def test_text_is_written_as_utf8_with_unix_newlines(tmp_path: Path) -> None:
    write_atomically(tmp_path / "brief.md", "Moscow\u2019s \u201cline\u201d\n")
    assert (tmp_path / "brief.md").read_bytes() == "Moscow\u2019s \u201cline\u201d\n".encode()
