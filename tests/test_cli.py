"""The `summarize` command: outputs, exit codes, one-line errors, nothing lost on failure."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from summarizer import __version__
from summarizer.cli import main
from summarizer.models import Brief
from summarizer.text.plural import counted


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_writes_a_markdown_brief_of_the_seeds(seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    code, stdout, stderr = run(str(seeds_dir), "--out", str(out))
    assert code == 0, stderr
    assert stdout == ""
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# ")
    for heading in ("## What the sources agree on", "## Where the sources disagree", "## Sources"):
        assert heading in text
    assert "using the extractive engine" in stderr  # auto says what it picked
    assert f"wrote {out}" in stderr


def test_json_to_stdout_is_the_contract(seeds_dir: Path) -> None:
    code, stdout, _ = run(str(seeds_dir), "--format", "json", "--quiet")
    assert code == 0
    brief = Brief.model_validate_json(stdout)
    assert brief.engine == "extractive"
    assert len(brief.sources) == 5


def test_format_follows_the_out_suffix(seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.html"
    code, _, _ = run(str(seeds_dir), "-q", "--out", str(out))
    assert code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_quiet_hides_progress(seeds_dir: Path) -> None:
    code, _, stderr = run(str(seeds_dir), "--quiet", "--engine", "extractive")
    assert code == 0
    assert "summarised" not in stderr


def test_progress_counts_take_the_singular_for_one(seeds_dir: Path, tmp_path: Path) -> None:
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(sorted(seeds_dir.glob("*.txt"))[0], one)
    code, _, stderr = run(str(one), "--engine", "extractive")
    assert code == 0, stderr
    assert "loaded 1 source\n" in stderr
    [aligned] = [line for line in stderr.splitlines() if line.startswith("summarize: aligned: ")]
    counts = re.findall(r"(\d+) (agreements?|disagreements?|exclusive facts?)\b", aligned)
    assert len(counts) == 3, aligned
    for count, noun in counts:  # "1 disagreement", "0 agreements", "12 exclusive facts"
        assert noun.endswith("s") == (count != "1"), aligned
    assert counted(1, "event") == "1 event" and counted(0, "event") == "0 events"
    assert counted(5_000, "article") == "5,000 articles" and counted(2, "person", "people") == "2 people"


def test_missing_path_is_a_usage_error_on_one_line(tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    code, _stdout, stderr = run(str(tmp_path / "nope"), "--out", str(out))
    assert code == 2
    assert len(stderr.strip().splitlines()) == 1
    assert "nope" in stderr
    assert not out.exists()


def test_empty_folder_fails_on_one_line_and_keeps_the_existing_output(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "brief.md"
    out.write_text("the previous brief\n", encoding="utf-8")
    code, _, stderr = run(str(empty), "--out", str(out), "--quiet")
    assert code == 1
    assert len(stderr.strip().splitlines()) == 1
    assert "empty" in stderr
    assert out.read_text(encoding="utf-8") == "the previous brief\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md", "empty"]


def test_folder_of_unreadable_files_fails_and_writes_nothing(tmp_path: Path) -> None:
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "a.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (junk / "b.txt").write_bytes(b"")
    out = tmp_path / "brief.md"
    code, _, stderr = run(str(junk), "--out", str(out))
    assert code == 1
    assert "error:" in stderr
    assert not out.exists()


def test_bad_files_are_skipped_with_named_warnings(seeds_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    shutil.copy(corpus / "000_b9e1f2c980d2316d.txt", corpus / "copy_of_reuters.txt")
    code, stdout, stderr = run(str(corpus), "--format", "json")
    assert code == 0, stderr
    brief = Brief.model_validate_json(stdout)
    assert len(brief.sources) == 5  # the copy is merged, the junk skipped
    joined = "\n".join(brief.warnings)
    for name in ("image.txt", "empty.txt", "copy_of_reuters.txt"):
        assert name in joined
        assert name in stderr


def test_out_into_a_missing_folder_fails_cleanly(seeds_dir: Path, tmp_path: Path) -> None:
    code, _, stderr = run(str(seeds_dir), "-q", "--out", str(tmp_path / "no" / "brief.md"))
    assert code == 1
    assert "does not exist" in stderr
    assert "Traceback" not in stderr


def test_llm_engine_without_endpoint_says_how_to_fix(seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    code, _, stderr = run(str(seeds_dir), "--engine", "llm", "--out", str(out))
    assert code != 0
    assert "--engine extractive" in stderr or "OPENAI" in stderr
    assert not out.exists()


def test_bad_option_value_is_a_usage_error(seeds_dir: Path) -> None:
    code, _, stderr = run(str(seeds_dir), "--max-tokens", "0")
    assert code == 2
    assert "--max-tokens" in stderr


def test_version_help_and_schema() -> None:
    code, stdout, _ = run("--version")
    assert code == 0 and __version__ in stdout
    code, stdout, _ = run("--help")
    assert code == 0
    for option in ("--out", "--format", "--engine", "--max-tokens", "--quiet", "--version", "summarize seeds/"):
        assert option in stdout
    code, stdout, _ = run("--json-schema")
    assert code == 0
    assert "disagreements" in json.loads(stdout)["properties"]


def test_no_paths_is_a_usage_error() -> None:
    code, _, stderr = run()
    assert code == 2
    assert "PATH" in stderr


@pytest.mark.parametrize("fmt", ["md", "json", "html"])
def test_every_format_renders(seeds_dir: Path, fmt: str) -> None:
    code, stdout, _ = run(str(seeds_dir), "-q", "--format", fmt)
    assert code == 0 and stdout.strip()


def test_a_brief_written_into_the_article_folder_as_json_is_not_read_back(seeds_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    out = corpus / "brief.json"
    assert run(str(corpus), "-q", "--out", str(out))[0] == 0
    first = json.loads(out.read_text(encoding="utf-8"))
    code, _, stderr = run(str(corpus), "-q", "--out", str(out))
    assert code == 0, stderr
    second = json.loads(out.read_text(encoding="utf-8"))
    assert [s["path"] for s in second["sources"]] == [s["path"] for s in first["sources"]]
    assert len(second["sources"]) == 5


# --- --out must never destroy or become an article (issue 7) -----------------------------------------


def copy_seeds(seeds_dir: Path, tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    return corpus


def test_out_naming_an_input_file_is_a_usage_error_and_keeps_the_article(seeds_dir: Path, tmp_path: Path) -> None:
    corpus = copy_seeds(seeds_dir, tmp_path)
    first, second = sorted(corpus.glob("*.txt"))[:2]
    before = second.read_bytes()
    code, stdout, stderr = run(str(first), str(second), "--out", str(second))
    assert code == 2 and stdout == ""
    assert stderr.count("\n") == 1 and str(second) in stderr and "one of the articles" in stderr
    assert second.read_bytes() == before


def test_out_over_an_article_inside_an_input_folder_is_a_usage_error(seeds_dir: Path, tmp_path: Path) -> None:
    corpus = copy_seeds(seeds_dir, tmp_path)
    article = sorted(corpus.glob("*.txt"))[0]
    before = article.read_bytes()
    code, _, stderr = run(str(corpus), "--out", str(article))
    assert code == 2 and str(article) in stderr
    assert article.read_bytes() == before


@pytest.mark.parametrize("name", ["brief.md", "brief.html", "sub/brief.txt"])
def test_out_with_an_article_suffix_inside_an_input_folder_is_refused(name: str, seeds_dir: Path,
                                                                      tmp_path: Path) -> None:
    corpus = copy_seeds(seeds_dir, tmp_path)
    (corpus / "sub").mkdir()
    code, _, stderr = run(str(corpus), "--out", str(corpus / name))
    assert code == 2
    assert "inside the article folder" in stderr and "next run would read it" in stderr
    assert not (corpus / name).exists()


def test_a_read_only_out_file_is_refused_and_kept(seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    out.write_text("the desk's approved brief\n", encoding="utf-8")
    out.chmod(0o444)
    code, _, stderr = run(str(seeds_dir), "-q", "--out", str(out))
    assert code == 1 and "read-only" in stderr and stderr.count("\n") == 1
    assert out.read_text(encoding="utf-8") == "the desk's approved brief\n"
    out.chmod(0o644)


def test_help_names_the_exit_codes_and_the_environment() -> None:
    code, stdout, _ = run("--help")
    assert code == 0
    for text in ("Exit status:", "0    the brief was written", "2    wrong usage", "130  interrupted",
                 "OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL", "SUMMARIZER_CACHE_DIR",
                 "SUMMARIZER_PRICES", "SUMMARIZER_DEBUG", "--max-file-mb"):
        assert text in stdout, text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_brief_of_one_article_says_there_is_nothing_to_compare(fmt: str, seeds_dir: Path) -> None:
    article = sorted(seeds_dir.glob("*.txt"))[0]
    code, stdout, _ = run(str(article), "-q", "--format", fmt)
    assert code == 0
    assert "Only one report was given, so there is nothing to compare" in stdout
    for heading in ("Reported by one source only", "What the sources agree on", "Where the sources disagree"):
        assert heading not in stdout
    assert "A brief of 1 report," in stdout
    code, stdout, _ = run(str(article), "-q", "--format", "json")
    assert json.loads(stdout)["exclusives"] == []


def test_the_semantic_similarity_runs_end_to_end(seeds_dir: Path) -> None:
    code, stdout, stderr = run(str(seeds_dir), "-q", "--similarity", "semantic", "--format", "json")
    assert code == 0, stderr
    brief = Brief.model_validate_json(stdout)
    assert brief.usage["similarity"] == "semantic"
    assert brief.agreements and brief.disagreements
    assert not [w for w in brief.warnings if "lexical similarity instead" in w]


def test_the_command_in_a_process_of_its_own_keeps_its_output_and_exit_status(seeds_dir: Path,
                                                                              tmp_path: Path) -> None:
    """`python -m summarizer` (what the installed `summarize` runs): the brief on stdout and
    status 0, a usage error's status 2, whatever the process does on its way out."""
    command = [sys.executable, "-m", "summarizer"]
    done = subprocess.run([*command, str(seeds_dir), "--format", "json", "-q", "--similarity", "lexical"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(Brief.model_validate_json(done.stdout).sources) == 5
    missing = subprocess.run([*command, str(tmp_path / "nope")], capture_output=True, text=True, timeout=120,
                             cwd=tmp_path)
    assert missing.returncode == 2
    assert "nope" in missing.stderr and "Traceback" not in missing.stderr


def test_the_command_called_in_a_callers_process_leaves_its_garbage_collector_alone(seeds_dir: Path,
                                                                                    tmp_path: Path) -> None:
    # Only `run`, the command in a process of its own, freezes what its imports made: a script or
    # a test calling `entry` goes on afterwards, and frozen objects are never collected.
    import gc

    from summarizer.cli import entry

    before = gc.get_freeze_count()
    with pytest.raises(SystemExit) as exited:
        entry([str(seeds_dir), "--engine", "extractive", "-q", "--out", str(tmp_path / "brief.md")])
    assert exited.value.code == 0 and (tmp_path / "brief.md").is_file()
    assert gc.get_freeze_count() == before
