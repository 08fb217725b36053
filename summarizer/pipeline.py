"""The whole flow, load → chunk → summarise → align → synthesise → verify, as one function.

`summarize_async` is the implementation; `summarize` runs it with asyncio for callers without an
event loop. The LLM engine's calls run concurrently; the extractive engine's work is plain CPU.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable, Iterable
from os import PathLike
from typing import Any

from . import constants
from .align import align_sources
from .engines import Engine, EngineChoice, LLMOptions, create_engine
from .models import Brief, Source, SourceSummary
from .sources import load_sources
from .chunking import chunk_source, oversized_chunks
from .verify import verify_citations

ProgressCallback = Callable[[str], None]
PathArg = str | PathLike[str]


def summarize(
    paths: Iterable[PathArg] | PathArg,
    *,
    engine: EngineChoice | Engine = "auto",
    max_tokens: int = constants.DEFAULT_SUMMARY_TOKENS,
    llm: LLMOptions | None = None,
    on_progress: ProgressCallback | None = None,
    exclude: Iterable[PathArg] = (),
) -> Brief:
    """Read the articles at `paths` (files or folders) and return their cited brief.

    Raises `InputError` when the paths hold no usable article, `ConfigError` for an engine that
    cannot run and `LLMError` when the model's endpoint fails; files that are skipped or merged
    and fallbacks taken are named in `Brief.warnings`. Files in `exclude` are never read (the CLI
    passes its --out file). Inside a running event loop, use `summarize_async`.
    """
    return asyncio.run(summarize_async(
        paths, engine=engine, max_tokens=max_tokens, llm=llm, on_progress=on_progress, exclude=exclude))


async def summarize_async(
    paths: Iterable[PathArg] | PathArg,
    *,
    engine: EngineChoice | Engine = "auto",
    max_tokens: int = constants.DEFAULT_SUMMARY_TOKENS,
    llm: LLMOptions | None = None,
    on_progress: ProgressCallback | None = None,
    exclude: Iterable[PathArg] = (),
) -> Brief:
    """The async form of `summarize`."""
    if isinstance(paths, (str, PathLike)):
        paths = [paths]
    warnings: list[str] = []
    sources = load_sources(list(paths), on_warning=warnings.append, exclude=exclude)
    return await summarize_sources_async(
        sources, engine=engine, max_tokens=max_tokens, llm=llm, on_progress=on_progress, warnings=warnings)


def summarize_sources(sources: list[Source], **options: Any) -> Brief:
    """The brief of already loaded sources (see `load_sources`); options as for `summarize`."""
    return asyncio.run(summarize_sources_async(sources, **options))


async def summarize_sources_async(
    sources: list[Source],
    *,
    engine: EngineChoice | Engine = "auto",
    max_tokens: int = constants.DEFAULT_SUMMARY_TOKENS,
    llm: LLMOptions | None = None,
    on_progress: ProgressCallback | None = None,
    warnings: list[str] | None = None,
) -> Brief:
    """The async form of `summarize_sources`."""
    report = on_progress or (lambda message: None)
    warnings = list(warnings or [])
    started = time.perf_counter()
    if isinstance(engine, str):
        engine, note = create_engine(engine, max_tokens=max_tokens, llm=llm)
        if note:
            report(note)
    if hasattr(engine, "progress"):
        engine.progress = report
    report(f"loaded {len(sources)} source{'s' if len(sources) != 1 else ''}")
    try:
        chunks = [chunk_source(source, engine.chunk_tokens) for source in sources]
        for source, source_chunks in zip(sources, chunks):
            if oversized_chunks(source_chunks, engine.chunk_tokens):
                warnings.append(f"source {source.id} ({source.path}) has a sentence longer than one chunk "
                                f"({engine.chunk_tokens} tokens); it is read as a chunk of its own")
        # The alignment is CPU work that needs no model: it runs while the model's calls are out.
        alignment_task = asyncio.create_task(asyncio.to_thread(align_sources, sources))
        summaries = await _summarize_all(engine, sources, chunks, report)
        alignment = await alignment_task
        report(f"aligned: {len(alignment.agreements)} agreements, {len(alignment.disagreements)} "
               f"disagreements, {len(alignment.exclusives)} exclusive facts")
        if hasattr(engine, "synthesize_async"):
            draft = await engine.synthesize_async(sources, summaries, alignment)
        else:
            draft = engine.synthesize(sources, summaries, alignment)
    finally:
        if hasattr(engine, "aclose"):
            await engine.aclose()
    if hasattr(engine, "warnings"):
        warnings.extend(engine.warnings())
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


async def _summarize_all(engine: Engine, sources: list[Source], chunks: list[list[Any]],
                         report: ProgressCallback) -> list[SourceSummary]:
    """Every source's summary: concurrently where the engine can, else one by one."""
    if hasattr(engine, "summarize_sources_async"):
        return list(await engine.summarize_sources_async(sources, chunks))
    summaries = []
    # One line per source for a handful; about every tenth of the way for hundreds.
    report_every = max(1, len(sources) // 10)
    for position, (source, source_chunks) in enumerate(zip(sources, chunks), start=1):
        summaries.append(engine.summarize_source(source, source_chunks))
        if position % report_every == 0 or position == len(sources):
            report(f"summarised source {position}/{len(sources)}: {source.outlet or source.path}")
    return summaries
