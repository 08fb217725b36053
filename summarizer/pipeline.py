"""The whole flow, load → chunk → summarise → align → synthesise → verify, as one function."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from os import PathLike

from . import constants
from .align import align_sources
from .engines import Engine, EngineChoice, create_engine
from .models import Brief, Source
from .sources import load_sources
from .tokens import chunk_source
from .verify import verify_citations

ProgressCallback = Callable[[str], None]


def summarize(
    paths: Iterable[str | PathLike[str]] | str | PathLike[str],
    *,
    engine: EngineChoice | Engine = "auto",
    max_tokens: int = constants.DEFAULT_SUMMARY_TOKENS,
    on_progress: ProgressCallback | None = None,
    exclude: Iterable[str | PathLike[str]] = (),
) -> Brief:
    """Read the articles at `paths` (files or folders) and return their cited brief.

    Raises `InputError` when the paths hold no usable article and `ConfigError` for an engine
    that cannot run; files that are skipped or merged are named in `Brief.warnings`. Files in
    `exclude` are never read (the CLI passes its --out file).
    """
    if isinstance(paths, (str, PathLike)):
        paths = [paths]
    warnings: list[str] = []
    sources = load_sources(list(paths), on_warning=warnings.append, exclude=exclude)
    return summarize_sources(
        sources, engine=engine, max_tokens=max_tokens, on_progress=on_progress, warnings=warnings
    )


def summarize_sources(
    sources: list[Source],
    *,
    engine: EngineChoice | Engine = "auto",
    max_tokens: int = constants.DEFAULT_SUMMARY_TOKENS,
    on_progress: ProgressCallback | None = None,
    warnings: list[str] | None = None,
) -> Brief:
    """The brief of already loaded sources (see `load_sources`)."""
    report = on_progress or (lambda message: None)
    warnings = list(warnings or [])
    started = time.perf_counter()
    if isinstance(engine, str):
        engine, note = create_engine(engine, max_tokens=max_tokens)
        if note:
            report(note)
    report(f"loaded {len(sources)} source{'s' if len(sources) != 1 else ''}")

    summaries = []
    # One line per source for a handful; about every tenth of the way for hundreds.
    report_every = max(1, len(sources) // 10)
    for position, source in enumerate(sources, start=1):
        chunks = chunk_source(source, engine.chunk_tokens)
        summaries.append(engine.summarize_source(source, chunks))
        if position % report_every == 0 or position == len(sources):
            report(f"summarised source {position}/{len(sources)}: {source.outlet or source.path}")

    alignment = align_sources(sources)
    report(
        f"aligned: {len(alignment.agreements)} agreements, {len(alignment.disagreements)} "
        f"disagreements, {len(alignment.exclusives)} exclusive facts"
    )
    draft = engine.synthesize(sources, summaries, alignment)
    verified, verify_warnings = verify_citations(draft, sources)
    warnings.extend(verify_warnings)
    report(f"verified citations: {len(verify_warnings)} problem{'s' if len(verify_warnings) != 1 else ''}")

    usage = dict(engine.usage())
    usage["seconds"] = round(time.perf_counter() - started, 3)
    return Brief(
        title=verified.title,
        engine=engine.name,
        model=engine.model,
        generated_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        sources=sources,
        summary=verified.summary,
        agreements=verified.agreements,
        disagreements=verified.disagreements,
        exclusives=verified.exclusives,
        per_source=verified.per_source,
        warnings=warnings,
        usage=usage,
    )
