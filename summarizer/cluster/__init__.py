"""`summarize cluster`: a flat pile of articles grouped into events.

Each article is one vector: its title and first sentences, embedded as one text by the run's
similarity (MiniLM by default; cached on disk, so a warm cache makes this cheap). Articles are
taken in order of date (undated ones last, then by path) and each joins the event whose centroid is
closest, when that is at least the similarity's `same_event` cut-off and, where both are dated, the event's dates lie
within `window_days` of it; else it starts an event of its own. That is one comparison per article
and event so far, never all pairs of articles, and no number of events is fixed in advance
(centroids.py keeps the events' centroids, dense for MiniLM vectors and sparse for TF-IDF rows).

    >>> from summarizer import cluster_articles
    >>> events = cluster_articles(["feed/"])
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from ..errors import InvalidPathError
from ..load import load_sources
from ..models import EventCluster, Source
from ..settings import DEFAULTS, Settings, SimilarityName
from ..text.plural import counted
from ..text.similarity import embedding_progress, prepared_similarity
from .centroids import Centroids, centroids_for

__all__ = ["cluster_articles", "cluster_sources", "write_clusters"]

# Words of an article that stand for it (its first sentences up to this many): the lede carries
# what the story is about. Counted in words, not sentences, so that how a feed's text is split
# does not change what an article is compared by: five sentences had been ~100-130 words until
# the splitter learnt to cut a lower-cased feed's quoted sentences, when they became fewer words
# and the adjusted Rand index fell from 0.907 to 0.885. Measured on the Multi-News dev pile
# (bench/cluster_quality.py) at same_event 0.5: 0.902 at 60 words, 0.914 at 80, 0.945 at 100,
# 0.900 at 120, 0.887 at 150; since the loader drops captions and photo credits (which describe
# the story too), 0.895 / 0.885 / 0.904 / 0.874 / 0.899 (150) / 0.888 (200), and with the passes
# after the first (REFINEMENT_PASSES) 0.935 / 0.927 / 0.940 / 0.908 / 0.921 / 0.921: 100 is best.
LEAD_WORDS = 100
# Passes over the feed after the first, each moving an article to the event now closest to it; the
# dev pile settles after two, and a pass costs what the first one did.
REFINEMENT_PASSES = 3
PathArg = str | os.PathLike[str]
# A line saying how far the clustering has got.
Progress = Callable[[str], None]


def cluster_articles(paths: Iterable[PathArg] | PathArg, *, similarity: SimilarityName = DEFAULTS.similarity,
                     window_days: int = DEFAULTS.window_days, max_file_mb: float = DEFAULTS.max_file_mb,
                     warnings: list[str] | None = None, on_progress: Progress | None = None) -> list[EventCluster]:
    """The articles at `paths` (files or folders, loaded as for a brief) grouped into events;
    `on_progress` gets a line at each stage and as the ledes are embedded."""
    Settings(similarity=similarity, window_days=window_days, max_file_mb=max_file_mb)  # a ConfigError naming it
    warnings = warnings if warnings is not None else []
    sources = load_sources([paths] if isinstance(paths, (str, os.PathLike)) else list(paths),
                           on_warning=warnings.append, max_file_mb=max_file_mb)
    if on_progress is not None:
        on_progress(f"loaded {counted(len(sources), 'article')}")
    return cluster_sources(sources, similarity=similarity, window_days=window_days, warnings=warnings,
                           on_progress=on_progress)


def cluster_sources(sources: list[Source], *, similarity: SimilarityName = DEFAULTS.similarity,
                    window_days: int = DEFAULTS.window_days, warnings: list[str] | None = None,
                    on_progress: Progress | None = None) -> list[EventCluster]:
    """Loaded sources grouped into events, largest first; an event of one is a singleton."""
    Settings(similarity=similarity, window_days=window_days)  # a ConfigError naming it
    warnings = warnings if warnings is not None else []
    report = on_progress or (lambda _line: None)
    if not sources:
        return []
    leads = [_lead(source) for source in sources]
    compare = prepared_similarity(similarity, leads, warnings, on_embedded=embedding_progress(report, "ledes"))
    centroids = centroids_for(compare.vectors(leads))  # one call: TF-IDF rows then share one vocabulary
    report(f"grouping {counted(len(sources), 'article')} into events")
    order = sorted(range(len(sources)), key=lambda k: (sources[k].published is None,
                                                       sources[k].published or dt.date.min, sources[k].path))
    threshold = compare.thresholds.same_event
    for k in order:
        centroids.add(k, _closest_event(sources, centroids, k, threshold, window_days))
    # One pass is greedy: an article joins the event closest when it comes, before the articles
    # after it have moved that event's centroid. Passes that move each article to the event now
    # closest to it (itself left out) settle the grouping. Measured on the Multi-News dev pile
    # (bench/cluster_quality.py): ARI 0.904 -> 0.940 at 100 words (0.885 -> 0.927 at 80, 0.874 ->
    # 0.908 at 120), settled after one or two passes.
    for _ in range(REFINEMENT_PASSES):
        moved = 0
        for k in order:
            was = centroids.remove(k)
            best = _closest_event(sources, centroids, k, threshold, window_days)
            if best == len(centroids.members) and not centroids.members[was]:
                best = was  # alone before and still: it keeps its own (now empty) event
            centroids.add(k, best)
            moved += best != was
        if not moved:
            break
    members = [group for group in centroids.members if group]
    events = [_event(sources, group) for group in members]
    events.sort(key=lambda e: (-len(e.members), e.first_date or dt.date.max, e.members[0]))
    used: dict[str, int] = {}
    return [event.model_copy(update={"name": _unique(event.name, used)}) for event in events]


def _lead(source: Source) -> str:
    """What the article is about: its title and first sentences (LEAD_WORDS), as one text (cached
    as one)."""
    taken: list[str] = []
    words = 0
    for sentence in source.sentences:
        if words >= LEAD_WORDS:
            break
        taken.append(sentence)
        words += len(sentence.split())
    return " ".join(([source.title] if source.title else []) + taken)


def _closest_event(sources: list[Source], centroids: Centroids, k: int, threshold: float,
                   window_days: int) -> int:
    """The event whose centroid is closest to article `k` and at least `threshold` close, within the
    date window; len(centroids.members) (a new event) when there is none."""
    cosines = centroids.cosines(k)
    for event in np.argsort(-cosines, kind="stable"):
        if cosines[event] < threshold:
            break
        if centroids.members[event] and _within_window(sources, centroids.members[event], sources[k], window_days):
            return int(event)
    return len(centroids.members)


def _within_window(sources: list[Source], group: list[int], article: Source, window_days: int) -> bool:
    """Undated articles join by content alone; a dated one only an event dated within the window."""
    published = article.published
    if published is None:
        return True
    return all(abs((published - date).days) <= window_days
               for date in (sources[k].published for k in group) if date is not None)


def _event(sources: list[Source], group: list[int]) -> EventCluster:
    dated = sorted(d for d in (sources[k].published for k in group) if d is not None)
    titled = [title for k in group if (title := sources[k].title)]
    first = sources[group[0]].sentences
    title = titled[0] if titled else first[0] if first else "untitled"
    # A file the loader merged as the same article as a member belongs to its event too.
    paths = sorted({path for k in group for path in (sources[k].path, *sources[k].duplicates)})
    return EventCluster(name=_slug(title), title=title, members=paths,
                        first_date=dated[0] if dated else None, last_date=dated[-1] if dated else None)


def _slug(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())[:8]
    return "-".join(words) or "event"


def _unique(name: str, used: dict[str, int]) -> str:
    used[name] = used.get(name, 0) + 1
    return name if used[name] == 1 else f"{name}-{used[name]}"


def write_clusters(events: list[EventCluster], out: PathArg) -> Path:
    """One folder per event of two or more articles under `out` (the files copied), the singletons
    in `out/singletons`, and `out/clusters.json` listing them. Written into a temporary folder
    beside `out` and renamed into place, so `out` is whole or absent; an `out` that exists and is
    not empty is refused."""
    target = Path(out)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InvalidPathError(f"{target}: exists and is not an empty folder; give a new folder for the clusters")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        listing: dict[str, list[dict[str, object]]] = {"events": [], "singletons": []}
        for event in events:
            folder = staging / ("singletons" if len(event.members) == 1 else event.name)
            folder.mkdir(exist_ok=True)
            for path in event.members:
                copy = folder / Path(path).name
                if copy.exists():  # two files of one name from different folders
                    copy = folder / f"{len(list(folder.iterdir()))}-{Path(path).name}"
                shutil.copy2(path, copy)
            entry = event.model_dump(mode="json") | {"folder": folder.name}
            listing["singletons" if len(event.members) == 1 else "events"].append(entry)
        (staging / "clusters.json").write_text(json.dumps(listing, indent=2, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
