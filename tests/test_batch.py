"""`summarize batch` (issue 10, part 2): a brief per event, resumable, failures kept apart."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sample_feed import SEEDS, STORM

import summarizer.batches.jobs as batching
import summarizer.batches.local as local_executor
from summarizer import batch
from summarizer.cli import batch_main


def _clusters(root: Path) -> Path:
    clusters = root / "events"
    shutil.copytree(SEEDS, clusters / "moscow-talks")
    (clusters / "maple-bay-storm").mkdir()
    for k, text in enumerate(STORM[:2]):
        (clusters / "maple-bay-storm" / f"storm-{k}.txt").write_text(text + "\n", encoding="utf-8")
    (clusters / "singletons").mkdir()
    (clusters / "singletons" / "chess.txt").write_text("A chess final ended in a draw on Friday night.\n",
                                                       encoding="utf-8")
    return clusters


def test_each_event_is_briefed_once_and_listed(tmp_path: Path) -> None:
    clusters, out = _clusters(tmp_path), tmp_path / "briefs"
    result = batch(clusters, out, engine="extractive")
    assert {name: e["status"] for name, e in result.events.items()} == {"maple-bay-storm": "done",
                                                                         "moscow-talks": "done"}
    assert sorted(p.name for p in out.iterdir()) == ["batch.json", "index.md", "manifest.json", "maple-bay-storm.md",
                                                     "moscow-talks.md"]  # singletons are not an event
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "(moscow-talks.md) | 5 | 3 | done |" in index
    report = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert report["events"]["moscow-talks"]["sources"] == 5
    assert report["totals"] == {"done": 2, "skipped": 0, "failed": 0, "stopped": 0, "calls": 0, "cost_usd": None}


def test_worker_processes_give_the_same_briefs_as_one_process(tmp_path: Path) -> None:
    clusters = _clusters(tmp_path)
    batch(clusters, tmp_path / "one", engine="extractive", workers=1, output_format="json")
    batch(clusters, tmp_path / "two", engine="extractive", workers=2, output_format="json")
    for name in ("moscow-talks.json", "maple-bay-storm.json"):
        one = json.loads((tmp_path / "one" / name).read_text(encoding="utf-8"))
        two = json.loads((tmp_path / "two" / name).read_text(encoding="utf-8"))
        for brief in (one, two):
            brief.pop("generated_at"), brief.pop("usage")
            for source in brief["sources"]:
                source.pop("path")
        assert one == two


def test_a_second_run_skips_what_is_done_and_redoes_what_changed(tmp_path: Path) -> None:
    clusters, out = _clusters(tmp_path), tmp_path / "briefs"
    batch(clusters, out, engine="extractive")
    written = {p.name: p.stat().st_mtime_ns for p in out.glob("*.md")}
    again = batch(clusters, out, engine="extractive")
    assert {e["status"] for e in again.events.values()} == {"skipped"}
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.md") if p.name != "index.md"} == {
        name: t for name, t in written.items() if name != "index.md"}
    (clusters / "maple-bay-storm" / "storm-1.txt").write_text(STORM[1] + " The mayor thanked the crews.\n",
                                                              encoding="utf-8")
    changed = batch(clusters, out, engine="extractive")
    assert changed.events["maple-bay-storm"]["status"] == "done" and changed.events["moscow-talks"]["status"] == "skipped"


def test_an_interrupted_batch_finishes_on_the_same_command_without_rewriting(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    clusters, out = _clusters(tmp_path), tmp_path / "briefs"
    real = batching.summarize_async
    calls = []

    async def dies_on_the_second(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt  # as a kill in the middle: nothing after this point runs
        return await real(*args, **kwargs)

    monkeypatch.setattr(batching, "summarize_async", dies_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        batch(clusters, out, engine="extractive", workers=1)  # in this process, where the patch is
    first = next(out.glob("*.md"))
    kept = first.stat().st_mtime_ns
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))[first.stem]["status"] == "done"
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no half-written file
    monkeypatch.setattr(batching, "summarize_async", real)
    finished = batch(clusters, out, engine="extractive")
    assert finished.events[first.stem]["status"] == "skipped" and first.stat().st_mtime_ns == kept
    assert len([e for e in finished.events.values() if e["status"] == "done"]) == 1


def test_a_failed_event_is_recorded_the_batch_goes_on_and_retry_failed_redoes_it(tmp_path: Path) -> None:
    clusters, out = _clusters(tmp_path), tmp_path / "briefs"
    (clusters / "broken").mkdir()
    (clusters / "broken" / "scan.pdf").write_bytes(b"%PDF-1.4 not an article")
    runner = CliRunner()
    failed = runner.invoke(batch_main, [str(clusters), "--out", str(out), "--engine", "extractive", "-q"])
    assert failed.exit_code == 1 and "1 of 3 events failed (broken)" in failed.output
    report = json.loads((out / "batch.json").read_text(encoding="utf-8"))["events"]
    assert report["broken"]["status"] == "failed" and "no readable article" in report["broken"]["error"]
    assert report["moscow-talks"]["status"] == "done"
    (clusters / "broken" / "note.txt").write_text(STORM[0] + "\n", encoding="utf-8")  # the input is fixed
    assert runner.invoke(batch_main, [str(clusters), "--out", str(out), "--engine", "extractive", "-q"]).exit_code == 0
    assert (out / "broken.md").is_file()
    missing = runner.invoke(batch_main, [str(tmp_path / "nowhere"), "--out", str(out)])
    assert missing.exit_code == 2


def _processes_running(marker: str) -> list[int]:
    """The processes whose command line contains `marker` (Linux /proc; zombies have none)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue  # gone meanwhile
    return found


def test_kill_9_in_the_middle_then_the_same_command_finishes(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    clusters, out = tmp_path / "events", tmp_path / "briefs"
    for k in range(4):
        shutil.copytree(SEEDS, clusters / f"event-{k}")
    command = [sys.executable, "-m", "summarizer", "batch", str(clusters), "--out", str(out), "--engine",
               "extractive", "--similarity", "lexical", "-q"]
    running = subprocess.Popen(command)
    deadline = time.monotonic() + 60
    while not list(out.glob("event-*.md")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(running.pid, signal.SIGKILL)
    running.wait()
    # Its worker processes do not outlive it (they would wait on the pool's pipes for ever).
    while _processes_running(str(clusters)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_running(str(clusters)) == []
    done_before = {p.name: p.stat().st_mtime_ns for p in out.glob("event-*.md")}
    assert 1 <= len(done_before) < 4
    subprocess.run(command, check=True)
    assert sorted(p.name for p in out.glob("event-*.md")) == [f"event-{k}.md" for k in range(4)]
    assert all(out.joinpath(name).stat().st_mtime_ns == t for name, t in done_before.items())  # not written twice
    assert not list(out.glob(".*.tmp"))
    statuses = json.loads((out / "batch.json").read_text(encoding="utf-8"))["events"]
    assert sorted(e["status"] for e in statuses.values()).count("skipped") == len(done_before)


def test_a_terminal_gets_a_live_bar_and_a_log_gets_plain_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    from summarizer.cli import entry

    clusters = _clusters(tmp_path)
    with pytest.raises(SystemExit) as status:
        entry(["batch", str(clusters), "--out", str(tmp_path / "plain"), "--engine", "extractive", "--workers", "1"])
    assert status.value.code == 0
    plain = capsys.readouterr().err
    assert "summarize batch: 1/2 " in plain and "events/s" in plain and "s left" in plain
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with pytest.raises(SystemExit):
        entry(["batch", str(clusters), "--out", str(tmp_path / "live"), "--engine", "extractive", "--workers", "1"])
    live = capsys.readouterr().err
    assert "summarize batch: 100%" in live and "2/2" in live and "event/s" in live  # tqdm's bar
    assert "summarize batch: 1/2 " not in live


def _storm_events(root: Path, count: int) -> Path:
    """`count` event folders of the storm reports, each article opening on its own line."""
    clusters = root / "events"
    for k in range(count):
        folder = clusters / f"event-{k}"
        folder.mkdir(parents=True)
        for j, text in enumerate(STORM):
            (folder / f"s{j}.txt").write_text(f"Dispatch {k}-{j} from Maple Bay.\n\n{text}\n", encoding="utf-8")
    return clusters


@pytest.mark.usefixtures("every_report_asked")  # the storm reports are three sentences each
def test_llm_events_run_side_by_side_under_one_limit_on_requests(tmp_path: Path) -> None:
    from fake_openai import FakeOpenAI

    from summarizer import LLMOptions

    clusters = _storm_events(tmp_path, 3)
    with FakeOpenAI(delay=0.1) as fake:
        llm = LLMOptions(base_url=fake.url, model="fake-model", concurrency=2, use_cache=False,
                         cache_dir=tmp_path / "cache", request_timeout=5.0)
        result = batch(clusters, tmp_path / "briefs", engine="llm", llm=llm)
    assert {e["status"] for e in result.events.values()} == {"done"}
    # Three events, each with its own engine, and never more than --concurrency requests out at once ...
    assert fake.peak_in_flight == 2
    # ... while the events ran side by side: a later event's first request came before an earlier one's last.
    event_of = [next(k for k in range(3) if f"Dispatch {k}-" in request.first_user_text()) for request in fake.completions
                if any(f"Dispatch {k}-" in request.first_user_text() for k in range(3))]
    last_of_first = max(i for i, k in enumerate(event_of) if k == event_of[0])
    assert any(k != event_of[0] for k in event_of[:last_of_first])


def test_the_batch_command_takes_the_llm_endpoint_and_one_concurrency_for_all(tmp_path: Path) -> None:
    from fake_openai import FakeOpenAI

    clusters = _storm_events(tmp_path, 2)
    with FakeOpenAI(delay=0.05) as fake:
        done = CliRunner().invoke(batch_main, [str(clusters), "--out", str(tmp_path / "briefs"), "--engine", "llm",
                                               "--base-url", fake.url, "--model", "fake-model", "--concurrency", "1",
                                               "-q"])
    assert done.exit_code == 0, done.output
    assert fake.peak_in_flight == 1 and len(fake.completions) >= 2
    brief = json.loads((tmp_path / "briefs" / "batch.json").read_text(encoding="utf-8"))["events"]["event-0"]
    assert brief["status"] == "done" and brief["usage"]["calls"] >= 1


def _priced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"fake-model": {"input": 1.0, "output": 1.0}}), encoding="utf-8")  # USD per 1M tokens
    monkeypatch.setenv("SUMMARIZER_PRICES", str(prices))


@pytest.mark.usefixtures("every_report_asked")  # the storm reports are three sentences each
def test_max_cost_stops_the_batch_before_the_budget_and_the_same_call_finishes_the_rest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fake_openai import FakeOpenAI

    from summarizer import LLMOptions

    _priced(tmp_path, monkeypatch)
    monkeypatch.setattr(local_executor, "EVENTS_AT_ONCE", 1)  # one event after another: which ones finish is fixed
    clusters, out = _storm_events(tmp_path, 4), tmp_path / "briefs"
    with FakeOpenAI() as fake:
        options = {"base_url": fake.url, "model": "fake-model", "context_window": 2048}
        # What one event costs (4 calls, about $0.0017 here), measured on a copy of one of them.
        shutil.copytree(clusters / "event-0", tmp_path / "one" / "event-0")
        measured = batch(tmp_path / "one", tmp_path / "measured", engine="llm", llm=LLMOptions(**options, use_cache=False))
        event_cost = measured.events["event-0"]["usage"]["cost_usd"]
        measured_requests = list(fake.completions)
        # One call at a time, each reserving its prompt and 512 answer tokens: the first event fits
        # in 2.2 events' worth, and not all four do.
        budget = round(2.2 * event_cost, 6)
        options |= {"cache_dir": tmp_path / "cache", "concurrency": 1}
        first = batch(clusters, out, engine="llm", llm=LLMOptions(**options, max_cost=budget))
        statuses = [first.events[f"event-{k}"]["status"] for k in range(4)]
        done = statuses.count("done")
        assert done >= 1 and statuses == ["done"] * done + ["stopped"] * (4 - done), statuses
        assert sum(first.events[f"event-{k}"]["usage"]["cost_usd"] for k in range(done)) <= budget
        assert f"--max-cost budget of ${budget:g} would be crossed" in first.events[f"event-{done}"]["error"]
        assert all("not started" in first.events[f"event-{k}"]["error"] for k in range(done + 1, 4))
        totals = json.loads((out / "batch.json").read_text(encoding="utf-8"))["totals"]
        assert totals["done"] == done and totals["stopped"] == 4 - done and totals["calls"] == 4 * done
        assert totals["cost_usd"] == pytest.approx(sum(first.events[f"event-{k}"]["usage"]["cost_usd"]
                                                       for k in range(done)))
        assert not (out / f"event-{done}.md").exists() and "| event-3 | | | stopped: not started" in (
            out / "index.md").read_text(encoding="utf-8")
        asked_before = len(fake.completions)
        earlier = [request.first_user_text() for request in fake.completions[len(measured_requests):]]
        second = batch(clusters, out, engine="llm", llm=LLMOptions(**options, max_cost=1.0))
        later = [request.first_user_text() for request in fake.completions[asked_before:]]
    assert [second.events[f"event-{k}"]["status"] for k in range(4)] == ["skipped"] * done + ["done"] * (4 - done)
    # Only the events left over were asked about; what the stopped one had asked came from the cache.
    assert later and all(any(f"Dispatch {k}-" in text for k in range(done, 4)) for text in later)
    # The stopped event's notes on its three articles: each asked once over the two runs.
    assert sum(f"Dispatch {done}-" in text for text in earlier + later) == len(STORM)


def test_the_batch_command_exits_4_when_the_budget_stops_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fake_openai import FakeOpenAI

    _priced(tmp_path, monkeypatch)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    clusters = _storm_events(tmp_path, 2)
    with FakeOpenAI() as fake:
        done = CliRunner().invoke(batch_main, [str(clusters), "--out", str(tmp_path / "briefs"), "--engine", "llm",
                                               "--base-url", fake.url, "--model", "fake-model", "--max-cost", "0.0001",
                                               "-q"])
    assert done.exit_code == 4, done.output
    assert "--max-cost budget was reached: 2 of 2 events not briefed; run the same command" in done.output
    assert fake.completions == []  # not even one call could fit


def test_a_budget_for_a_model_without_a_price_is_refused_before_any_event(tmp_path: Path) -> None:
    from summarizer import ConfigError, LLMOptions

    clusters, out = _storm_events(tmp_path, 2), tmp_path / "briefs"
    with pytest.raises(ConfigError, match="--max-cost needs the price of 'unpriced-model'"):
        batch(clusters, out, engine="llm", llm=LLMOptions(base_url="http://127.0.0.1:9/v1", model="unpriced-model",
                                                          max_cost=1.0))
    assert not out.exists()


def test_an_unknown_format_is_named_with_the_known_ones(tmp_path: Path) -> None:
    from summarizer import ConfigError

    with pytest.raises(ConfigError, match="unknown output format 'pdf'; use one of md, json, html"):
        batch(_storm_events(tmp_path, 1), tmp_path / "briefs", engine="extractive", output_format="pdf")
    assert not (tmp_path / "briefs").exists()


def test_an_unknown_executor_is_named_with_the_known_ones(tmp_path: Path) -> None:
    from summarizer import ConfigError

    with pytest.raises(ConfigError, match="unknown executor 'dask': use one of local, ray"):
        batch(_storm_events(tmp_path, 1), tmp_path / "briefs", engine="extractive", executor="dask")


def test_the_ray_executor_without_ray_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from summarizer import ConfigError

    monkeypatch.setitem(sys.modules, "ray", None)  # what `import ray` meets where it is not installed
    with pytest.raises(ConfigError, match=r"pip install 'summarizer\[ray\]'"):
        batch(_storm_events(tmp_path, 1), tmp_path / "briefs", engine="extractive", executor="ray")


@pytest.mark.parametrize("listing, problem", [
    ("{not json", "not valid JSON"),
    ('{"events": [{"name": "x", "members": ["a.txt"], "folder": "x"}]}', "events.0.title: Field required"),
    # the briefs are written as BRIEFS/<folder>.md: a path would read and write outside both folders
    ('{"events": [{"name": "x", "title": "t", "members": ["a.txt"], "folder": "../../elsewhere"}]}',
     "events.0.folder: '../../elsewhere' is not the name of a folder inside the clusters folder"),
])
def test_a_broken_clusters_listing_is_named_as_such_and_nothing_is_written(tmp_path: Path, listing: str,
                                                                           problem: str) -> None:
    clusters = _clusters(tmp_path)
    (clusters / "clusters.json").write_text(listing, encoding="utf-8")
    done = CliRunner().invoke(batch_main, [str(clusters), "--out", str(tmp_path / "briefs")])
    assert done.exit_code == 2
    assert f"clusters.json: {problem}; write it again with `summarize cluster`" in done.output
    assert "internal error" not in done.output and not (tmp_path / "briefs").exists()


@pytest.mark.parametrize("damage, problem", [
    ("{broken", "damaged, it cannot be read"),
    ('{"moscow-talks": 5}', "damaged, it is not the batch's record of events"),
])
def test_a_damaged_manifest_is_named_and_the_briefs_there_are_left(tmp_path: Path, damage: str, problem: str) -> None:
    clusters, out = _clusters(tmp_path), tmp_path / "briefs"
    batch(clusters, out, engine="extractive")
    written = (out / "moscow-talks.md").read_text(encoding="utf-8")
    (out / "manifest.json").write_text(damage, encoding="utf-8")
    done = CliRunner().invoke(batch_main, [str(clusters), "--out", str(out)])
    assert done.exit_code == 2 and "internal error" not in done.output
    assert f"manifest.json: {problem}" in done.output and "remove it and the same command" in done.output
    assert (out / "moscow-talks.md").read_text(encoding="utf-8") == written
    (out / "manifest.json").unlink()  # as the message says: the same command then briefs every event again
    assert CliRunner().invoke(batch_main, [str(clusters), "--out", str(out)]).exit_code == 0


def test_a_listing_of_articles_alone_says_there_is_nothing_to_brief(tmp_path: Path) -> None:
    from summarizer import cluster_articles, write_clusters

    (tmp_path / "feed").mkdir()
    (tmp_path / "feed" / "chess.txt").write_text("A chess final ended in a draw on Friday night in Oslo.\n")
    write_clusters(cluster_articles([tmp_path / "feed"], similarity="lexical"), tmp_path / "events")
    done = CliRunner().invoke(batch_main, [str(tmp_path / "events"), "--out", str(tmp_path / "briefs")])
    assert done.exit_code == 2
    assert "lists no event of two or more articles (1 alone, in singletons/): nothing to brief" in done.output


def test_the_batch_command_refuses_limits_out_of_range_as_usage_errors(tmp_path: Path) -> None:
    clusters = _storm_events(tmp_path, 1)
    for option, value in (("--requests-per-minute", "0"), ("--tokens-per-minute", "-5"), ("--max-cost", "0")):
        done = CliRunner().invoke(batch_main, [str(clusters), "--out", str(tmp_path / "briefs"), option, value])
        assert done.exit_code == 2 and option in done.output, (option, done.output)
    assert not (tmp_path / "briefs").exists()


def test_html_briefs_get_an_index_page_that_escapes_headlines_and_links_only_to_them(tmp_path: Path) -> None:
    clusters, out = tmp_path / "events", tmp_path / "briefs"
    folder = clusters / "storm day"  # a name that must be encoded in a link
    folder.mkdir(parents=True)
    hostile = "Storm <script>alert(1)</script> | [click](http://evil.example)"
    for k, text in enumerate(STORM):
        (folder / f"s{k}.md").write_text(f"---\ntitle: \"{hostile}\"\n---\n{text}\n", encoding="utf-8")
    (clusters / "empty").mkdir()
    batch(clusters, out, engine="extractive", output_format="html", similarity="lexical")
    assert not (out / "index.md").exists()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="storm%20day.html">Storm &lt;script&gt;alert(1)&lt;/script&gt; | [click](http://evil.example)</a>' in page
    assert "<script" not in page and "http://evil.example\"" not in page
    assert re.findall(r'href="([^"]*)"', page) == ["storm%20day.html"]
    assert "<td>empty</td><td></td><td></td><td>failed: " in page
    assert "default-src 'none'" in page
    markdown = batch(clusters, tmp_path / "md", engine="extractive", similarity="lexical")
    assert markdown.events["storm day"]["status"] == "done"
    index = (tmp_path / "md" / "index.md").read_text(encoding="utf-8")
    assert "(storm%20day.md)" in index and "\\| \\[click\\]" in index  # the "|" does not end the cell


def test_a_bug_in_the_batch_is_one_line_and_keeps_the_briefs_written(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import summarizer.batches as driver

    clusters, out = _clusters(tmp_path), tmp_path / "briefs"

    def broken_index(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("index writer broke")

    monkeypatch.setattr(driver, "_write_index", broken_index)
    monkeypatch.delenv("SUMMARIZER_DEBUG", raising=False)
    result = CliRunner().invoke(batch_main, [str(clusters), "--out", str(out), "--engine", "extractive", "-q"])
    assert result.exit_code == 1
    assert "internal error (RuntimeError: index writer broke)" in result.output
    assert "briefs written so far are kept" in result.output and "Traceback" not in result.output
    assert sorted(path.name for path in out.glob("*.md")) == ["maple-bay-storm.md", "moscow-talks.md"]
    monkeypatch.setenv("SUMMARIZER_DEBUG", "1")  # the traceback, for whoever reports it
    debug = CliRunner().invoke(batch_main, [str(clusters), "--out", str(out), "--engine", "extractive", "-q"])
    assert isinstance(debug.exception, RuntimeError)


def test_a_folder_with_no_event_folders_says_so_and_nothing_is_written(tmp_path: Path) -> None:
    from summarizer import InvalidPathError

    (tmp_path / "empty" / "singletons").mkdir(parents=True)
    with pytest.raises(InvalidPathError, match=r"no event folders in it \(and no clusters\.json listing them\)"):
        batch(tmp_path / "empty", tmp_path / "briefs", engine="extractive")
    assert not (tmp_path / "briefs").exists()


def test_a_batch_of_one_event_counts_it_in_the_singular(tmp_path: Path) -> None:
    clusters = _clusters(tmp_path)
    shutil.rmtree(clusters / "moscow-talks")
    done = CliRunner().invoke(batch_main, [str(clusters), "--out", str(tmp_path / "briefs"), "--engine", "extractive",
                                           "--similarity", "lexical"])
    assert done.exit_code == 0, done.output
    assert "summarize batch: 1 event: 0 done before, 1 to brief" in done.output.splitlines()
