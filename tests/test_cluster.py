"""`summarize cluster` (issue 10, part 1): a flat pile of articles grouped into events."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sample_feed import SEEDS, STORM

from summarizer import cluster_articles, write_clusters
from summarizer.cli import cluster_main, entry

CHESS = ("The chess federation named a new champion on Friday after a tie-break game that lasted six hours. "
         "The winner, a 19-year-old student, said she had prepared the opening for months.")


def _feed(folder: Path, *, dated: bool = False) -> Path:
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    for k, text in enumerate(STORM):
        front = f"---\ntitle: Storm report {k}\ndate: 2024-03-{10 + 20 * (k == 2):02d}\n---\n" if dated else ""
        (folder / f"storm-{k}.md").write_text(front + text + "\n", encoding="utf-8")
    (folder / "chess.txt").write_text(CHESS + "\n", encoding="utf-8")
    return folder


def _groups(events) -> list[set[str]]:  # type: ignore[no-untyped-def]
    return [{Path(p).name for p in e.members} for e in events]


def test_a_pile_is_split_into_its_events_with_a_singleton_apart(tmp_path: Path) -> None:
    groups = _groups(cluster_articles([_feed(tmp_path / "feed")]))
    seeds = {p.name for p in SEEDS.glob("*.txt")}
    assert groups == [seeds, {"storm-0.md", "storm-1.md", "storm-2.md"}, {"chess.txt"}]  # largest first


def test_dated_articles_join_an_event_only_within_the_window(tmp_path: Path) -> None:
    groups = _groups(cluster_articles([_feed(tmp_path / "feed", dated=True)], window_days=3))
    assert {"storm-0.md", "storm-1.md"} in groups and {"storm-2.md"} in groups  # 20 days later
    assert {"storm-0.md", "storm-1.md", "storm-2.md"} in _groups(
        cluster_articles([tmp_path / "feed"], window_days=30))


def test_the_clusters_folder_is_written_whole_and_listed(tmp_path: Path) -> None:
    events = cluster_articles([_feed(tmp_path / "feed", dated=True)], window_days=30)
    out = write_clusters(events, tmp_path / "events")
    listing = json.loads((out / "clusters.json").read_text(encoding="utf-8"))
    assert [len(e["members"]) for e in listing["events"]] == [5, 3]
    storm = listing["events"][1]
    assert storm["title"] == "Storm report 0" and storm["first_date"] == "2024-03-10" and storm["last_date"] == "2024-03-30"
    assert sorted(p.name for p in (out / storm["folder"]).iterdir()) == ["storm-0.md", "storm-1.md", "storm-2.md"]
    assert [p.name for p in (out / "singletons").iterdir()] == ["chess.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".events-")]  # no staging left behind
    with pytest.raises(Exception, match="not an empty folder"):
        write_clusters(events, out)


def test_a_merged_copy_goes_with_its_event(tmp_path: Path) -> None:
    feed = _feed(tmp_path / "feed")
    shutil.copy(feed / "storm-1.md", feed / "storm-1-copy.md")
    events = cluster_articles([feed])
    storm = next(e for e in events if any(p.endswith("storm-0.md") for p in e.members))
    assert any(p.endswith("storm-1-copy.md") for p in storm.members)
    out = write_clusters(events, tmp_path / "events")
    assert (out / storm.name / "storm-1-copy.md").is_file()


def test_cli_cluster_and_its_refusals(tmp_path: Path) -> None:
    feed = _feed(tmp_path / "feed", dated=True)
    runner = CliRunner()
    done = runner.invoke(cluster_main, [str(feed), "--out", str(tmp_path / "events"), "--window-days", "30"])
    assert done.exit_code == 0, done.output
    assert "events of two or more" in done.output
    again = runner.invoke(cluster_main, [str(feed), "--out", str(tmp_path / "events")])
    assert again.exit_code == 2 and "not an empty folder" in again.output
    inside = runner.invoke(cluster_main, [str(feed), "--out", str(feed)])
    assert inside.exit_code == 2
    with pytest.raises(SystemExit) as status:
        entry(["cluster", str(tmp_path / "missing"), "--out", str(tmp_path / "other")])
    assert status.value.code == 2


def test_cli_cluster_says_how_far_it_got_unless_quiet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer.text.similarity import semantic

    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))  # every lede new to the vector cache
    monkeypatch.setattr(semantic, "EMBEDDED_PER_SLICE", 2)
    feed = _feed(tmp_path / "feed")
    articles = len(list(feed.iterdir()))
    done = CliRunner().invoke(cluster_main, [str(feed), "--out", str(tmp_path / "events")])
    assert done.exit_code == 0, done.output
    lines = [line.removeprefix("summarize cluster: ") for line in done.output.splitlines()]
    assert lines[0] == f"loaded {articles} articles"
    embedded = [line for line in lines if line.startswith("embedded ")]
    assert embedded[0] == f"embedded 2 of {articles} ledes new to the vector cache"
    assert embedded[-1] == f"embedded {articles} of {articles} ledes new to the vector cache"
    assert lines.index(f"grouping {articles} articles into events") > lines.index(embedded[-1])
    quiet = CliRunner().invoke(cluster_main, [str(feed), "--out", str(tmp_path / "again"), "-q"])
    assert quiet.exit_code == 0 and quiet.output == ""


def test_sparse_rows_give_the_cosines_and_events_their_dense_copies_give() -> None:
    from summarizer.cluster.centroids import centroids_for
    from summarizer.text.similarity.lexical import tfidf_matrix

    texts = [*STORM, "A chess final ended in a draw on Friday night in Oslo.",
             "The Oslo chess final between the two grandmasters was drawn after six hours.",
             "Floodwater covered the coastal town of Maple Bay and boats rescued families."]
    rows = tfidf_matrix(texts)
    sparse, dense = centroids_for(rows), centroids_for(rows.toarray())
    assert type(sparse) is not type(dense)  # the sparse rows are never made dense
    for k in range(len(texts)):
        from_sparse, from_dense = sparse.cosines(k), dense.cosines(k)
        np.testing.assert_allclose(from_sparse, from_dense, atol=1e-9)
        joined = [e for e in np.argsort(-from_dense, kind="stable") if from_dense[e] >= 0.1][:1]
        event = int(joined[0]) if joined else len(dense.members)
        sparse.add(k, event)
        dense.add(k, event)
    assert sparse.members == dense.members and len(dense.members) >= 2  # storm and chess apart


def test_an_article_leaves_its_event_as_it_joined_it_in_both_kinds_of_rows() -> None:
    from summarizer.cluster.centroids import centroids_for
    from summarizer.text.similarity.lexical import tfidf_matrix

    texts = [*STORM, "A chess final ended in a draw on Friday night in Oslo.",
             "The Oslo chess final between the two grandmasters was drawn after six hours."]
    rows = tfidf_matrix(texts)
    for centroids in (centroids_for(rows), centroids_for(rows.toarray())):
        for k in range(len(texts)):
            centroids.add(k, 0 if k < len(STORM) else min(1, len(centroids.members)))
        before = centroids.cosines(len(texts) - 1).copy()
        assert centroids.remove(1) == 0 and centroids.event_of(1) == -1 and 1 not in centroids.members[0]
        # the storm event as if article 1 had never joined it: built again from the others
        fresh = centroids_for(rows if hasattr(centroids, "_rows") else rows.toarray())
        for k in (0, 2):
            fresh.add(k, 0)
        np.testing.assert_allclose(centroids.cosines(1)[:1], fresh.cosines(1)[:1], atol=1e-9)
        centroids.add(1, 0)
        np.testing.assert_allclose(centroids.cosines(len(texts) - 1), before, atol=1e-9)
        # the last member out leaves its event empty, with no centroid to join
        for k in (len(texts) - 2, len(texts) - 1):
            centroids.remove(k)
        assert centroids.members[1] == [] and centroids.cosines(len(texts) - 1)[1] == 0.0


def test_an_article_placed_greedily_moves_to_the_event_that_grew_closer(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # s1 comes when only s0's event exists and joins it (cosine 0.64 >= 0.5); s2 and s3 then start
    # an event of their own, to which s1 is closer (0.77). The pass after the first moves it there.
    from types import SimpleNamespace

    import summarizer.cluster as clustering
    from summarizer.models import Source

    e1, e2 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    s1 = (e1 + 1.2 * e2) / np.linalg.norm(e1 + 1.2 * e2)
    vectors = np.array([e1, s1, e2, e2])

    class Planted:
        thresholds = SimpleNamespace(same_event=0.5)

        def vectors(self, texts):  # type: ignore[no-untyped-def]
            return vectors[: len(texts)]

    monkeypatch.setattr(clustering, "prepared_similarity", lambda name, texts, warnings, **_: Planted())
    sources = [Source(id=k + 1, path=f"s{k}.txt", sentences=[f"Sentence of article {k}."]) for k in range(4)]
    assert _groups(clustering.cluster_sources(sources)) == [{"s1.txt", "s2.txt", "s3.txt"}, {"s0.txt"}]
    monkeypatch.setattr(clustering, "REFINEMENT_PASSES", 0)  # the single greedy pass, for contrast
    assert _groups(clustering.cluster_sources(sources)) == [{"s0.txt", "s1.txt"}, {"s2.txt", "s3.txt"}]


def test_a_bug_in_clustering_is_one_line_and_writes_nothing(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import summarizer.cluster as clusters  # the command imports it when run

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("centroid went missing")

    monkeypatch.setattr(clusters, "cluster_articles", broken)
    monkeypatch.delenv("SUMMARIZER_DEBUG", raising=False)
    result = CliRunner().invoke(cluster_main, [str(_feed(tmp_path / "feed", dated=True)), "--out", str(tmp_path / "events")])
    assert result.exit_code == 1
    assert "internal error (ValueError: centroid went missing); nothing was written" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "events").exists()


def test_cli_cluster_of_one_article_counts_it_in_the_singular(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "only.txt").write_text("A storm hit the coast on Monday. Thousands lost power.", encoding="utf-8")
    done = CliRunner().invoke(cluster_main, [str(feed), "--out", str(tmp_path / "events"), "--similarity", "lexical"])
    assert done.exit_code == 0, done.output
    lines = [line.removeprefix("summarize cluster: ") for line in done.output.splitlines()]
    assert lines[0] == "loaded 1 article"
    assert "grouping 1 article into events" in lines
    assert lines[-1] == f"1 article, 0 events of two or more, 1 alone; wrote {tmp_path / 'events'}"
