"""output: the brief is written atomically and a failure never clobbers an existing file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from summarizer.errors import OutputError
from summarizer.output import write_atomically


def test_writes_the_text(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    write_atomically(target, "# Brief\n")
    assert target.read_text(encoding="utf-8") == "# Brief\n"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]


def test_a_failure_keeps_the_existing_file_and_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "brief.md"
    target.write_text("old brief\n", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OutputError, match="No space left"):
        write_atomically(target, "new brief\n")
    assert target.read_text(encoding="utf-8") == "old brief\n"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_atomically(tmp_path / "nope" / "brief.md", "x")


def test_a_folder_as_target_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a folder"):
        write_atomically(tmp_path, "x")


def test_overwrite_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o640
