"""`summarize batch --executor ray` (issue 10, part 3) on a local Ray instance the tests start.

The driver writes every file, whichever executor ran the events; the LLM engine's limits are held
by one gate actor for every worker.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import ray  # part of the test install (.ci/run): a missing Ray fails the run instead of skipping it
from fake_openai import FakeOpenAI
from sample_feed import SEEDS, STORM

from summarizer import LLMOptions, batch


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A Ray instance of 2 CPUs for the module, its workers priced like the driver (one fake model)."""
    scratch = tmp_path_factory.mktemp("ray")
    prices = scratch / "prices.json"
    prices.write_text(json.dumps({"fake-model": {"input": 1.0, "output": 1.0}}), encoding="utf-8")
    environment = {"SUMMARIZER_PRICES": str(prices), "SUMMARIZER_CACHE_DIR": str(scratch / "cache")}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in environment.items():
            patch.setenv(name, value)
        ray.init(num_cpus=2, include_dashboard=False, runtime_env={"env_vars": environment},
                 logging_level="ERROR")
        try:
            yield scratch
        finally:
            ray.shutdown()


AFTERMATH = ("Power was cut to much of the town overnight. Schools stayed closed on Monday. "
             "Volunteers handed out food and blankets at the town hall. The river fell by evening.")


def _events(root: Path) -> Path:
    clusters = root / "events"
    shutil.copytree(SEEDS, clusters / "moscow-talks")
    for k in range(3):
        folder = clusters / f"storm-{k}"
        folder.mkdir(parents=True)
        for j, text in enumerate(STORM):
            # Seven sentences or more: a report of six or fewer is its own summary, and the LLM test counts calls.
            (folder / f"s{j}.txt").write_text(f"Dispatch {k}-{j} from Maple Bay.\n\n{text} {AFTERMATH}\n",
                                              encoding="utf-8")
    (clusters / "unreadable").mkdir()
    (clusters / "unreadable" / "scan.bin").write_bytes(b"\x00\x01\x02" * 100)
    return clusters


def _comparable(path: Path) -> dict[str, object]:
    brief = json.loads(path.read_text(encoding="utf-8"))
    brief.pop("generated_at"), brief.pop("usage")
    return dict(brief)


def test_ray_briefs_what_the_local_executor_briefs_and_the_driver_writes_the_files(local_ray: Path,
                                                                                  tmp_path: Path) -> None:
    clusters = _events(tmp_path)
    local = batch(clusters, tmp_path / "local", engine="extractive", output_format="json", similarity="lexical")
    on_ray = batch(clusters, tmp_path / "ray", engine="extractive", output_format="json", similarity="lexical",
                   executor="ray")
    statuses = {name: entry["status"] for name, entry in on_ray.events.items()}
    assert statuses == {name: entry["status"] for name, entry in local.events.items()}
    assert statuses == {"moscow-talks": "done", "storm-0": "done", "storm-1": "done", "storm-2": "done",
                        "unreadable": "failed"}  # a bad event is recorded and the others go on
    for name in ("moscow-talks", "storm-0", "storm-2"):
        assert _comparable(tmp_path / "ray" / f"{name}.json") == _comparable(tmp_path / "local" / f"{name}.json")
    manifest = json.loads((tmp_path / "ray" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["storm-1"]["status"] == "done" and "(storm-1.json)" in (tmp_path / "ray" / "index.md").read_text(
        encoding="utf-8")
    again = batch(clusters, tmp_path / "ray", engine="extractive", output_format="json", similarity="lexical",
                  executor="ray")
    assert {entry["status"] for name, entry in again.events.items() if name != "unreadable"} == {"skipped"}


def test_on_ray_every_worker_s_requests_pass_one_limit(local_ray: Path, tmp_path: Path) -> None:
    clusters = _events(tmp_path)
    shutil.rmtree(clusters / "moscow-talks")
    with FakeOpenAI(delay=0.1) as fake:
        llm = LLMOptions(base_url=fake.url, model="fake-model", concurrency=2, use_cache=False, request_timeout=10.0)
        result = batch(clusters, tmp_path / "briefs", engine="llm", llm=llm, executor="ray")
    assert {name: entry["status"] for name, entry in result.events.items()} == {
        "storm-0": "done", "storm-1": "done", "storm-2": "done", "unreadable": "failed"}
    # Two worker actors, three events side by side, and never more than two requests out at once.
    assert fake.peak_in_flight == 2 and len(fake.completions) >= 12
    assert all(result.events[f"storm-{k}"]["usage"]["calls"] >= 4 for k in range(3))


def test_on_ray_the_budget_is_kept_for_the_whole_batch(local_ray: Path, tmp_path: Path) -> None:
    clusters = _events(tmp_path)
    shutil.rmtree(clusters / "moscow-talks")
    with FakeOpenAI() as fake:
        llm = LLMOptions(base_url=fake.url, model="fake-model", use_cache=False, max_cost=0.0001)
        result = batch(clusters, tmp_path / "briefs", engine="llm", llm=llm, executor="ray")
    assert fake.completions == []  # no call fits: none is made, on any worker
    assert sorted(result.stopped) == ["storm-0", "storm-1", "storm-2"]
    assert all("--max-cost budget of $0.0001" in result.events[name]["error"]
               or "not started" in result.events[name]["error"] for name in result.stopped)
