"""The whole flow, load → chunk → summarise → align → synthesise → verify, as one function.

`summarize_async` is the implementation; `summarize` runs it with asyncio for callers without an
event loop. The LLM engine's calls run concurrently; the extractive engine's work is plain CPU.
Options are validated by `settings.Settings`, where each default and range is declared.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from collections.abc import Coroutine, Iterable
from os import PathLike
from typing import TYPE_CHECKING, Any

from .engines import Engine, ProgressCallback, create_engine
from .load import load_sources
from .models import Alignment, Brief, Source
from .settings import DEFAULTS, EngineChoice, LLMOptions, Settings, SimilarityName
from .text.chunking import chunk_source, oversized_chunks
from .text.plural import counted
from .verify import verify_citations

if TYPE_CHECKING:
    from .text.similarity import Similarity

__all__ = ["summarize", "summarize_async", "summarize_sources", "summarize_sources_async"]

PathArg = str | PathLike[str]


def summarize(
    paths: Iterable[PathArg] | PathArg,
    *,
    engine: EngineChoice | Engine = DEFAULTS.engine,
    max_tokens: int = DEFAULTS.max_tokens,
    llm: LLMOptions | None = None,
    on_progress: ProgressCallback | None = None,
    exclude: Iterable[PathArg] = (),
    max_file_mb: float = DEFAULTS.max_file_mb,
    similarity: SimilarityName = DEFAULTS.similarity,
) -> Brief:
    """Read the articles at `paths` (files or folders) and return their cited brief.

    Raises `InputError` when the paths hold no usable article, `ConfigError` for an option out of
    range or an engine that cannot run and `LLMError` when the model's endpoint fails; files that
    are skipped or merged and fallbacks taken are named in `Brief.warnings`. Files in `exclude` are
    never read (the CLI passes its --out file); a file over `max_file_mb` megabytes is skipped. Inside a
    running event loop, use `summarize_async`.
    """
    return asyncio.run(summarize_async(paths, engine=engine, max_tokens=max_tokens, llm=llm, on_progress=on_progress,
                                       exclude=exclude, max_file_mb=max_file_mb, similarity=similarity))


async def summarize_async(
    paths: Iterable[PathArg] | PathArg,
    *,
    engine: EngineChoice | Engine = DEFAULTS.engine,
    max_tokens: int = DEFAULTS.max_tokens,
    llm: LLMOptions | None = None,
    on_progress: ProgressCallback | None = None,
    exclude: Iterable[PathArg] = (),
    max_file_mb: float = DEFAULTS.max_file_mb,
    similarity: SimilarityName = DEFAULTS.similarity,
) -> Brief:
    """The async form of `summarize`."""
    if isinstance(paths, (str, PathLike)):
        paths = [paths]
    Settings(max_tokens=max_tokens, max_file_mb=max_file_mb, similarity=similarity)  # a ConfigError naming it
    warnings: list[str] = []
    sources = load_sources(list(paths), on_warning=warnings.append, exclude=exclude, max_file_mb=max_file_mb)
    return await summarize_sources_async(sources, engine=engine, max_tokens=max_tokens, llm=llm,
                                         on_progress=on_progress, warnings=warnings, similarity=similarity)


def summarize_sources(
    sources: list[Source],
    *,
    engine: EngineChoice | Engine = DEFAULTS.engine,
    max_tokens: int = DEFAULTS.max_tokens,
    llm: LLMOptions | None = None,
    on_progress: ProgressCallback | None = None,
    warnings: list[str] | None = None,
    similarity: SimilarityName = DEFAULTS.similarity,
) -> Brief:
    """The brief of already loaded sources (see `load_sources`); options as for `summarize`."""
    return asyncio.run(summarize_sources_async(sources, engine=engine, max_tokens=max_tokens, llm=llm,
                                               on_progress=on_progress, warnings=warnings, similarity=similarity))


async def _first_done(task: asyncio.Future[Any], waiting: Coroutine[Any, Any, None]) -> None:
    """Wait until `waiting` returns or `task` ends (it may fail before making a call)."""
    waiter = asyncio.ensure_future(waiting)
    try:
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()


class _RunSimilarity:
    """The run's similarity, prepared once, when first needed: by the extractive engine for its
    summaries, or, for an engine that calls a model, by the alignment beside the first calls.
    Preparing it imports numpy and the alignment's text tools, reads the vector cache and may load
    the model (0.1 s and more); before the first request, that was time the LLM path waited."""

    def __init__(self, name: SimilarityName, sources: list[Source], warnings: list[str],
                 report: ProgressCallback) -> None:
        self._name, self._sources, self._warnings, self._report = name, sources, warnings, report
        self._lock = threading.Lock()
        self._prepared: Similarity | None = None

    def __call__(self) -> Similarity:
        with self._lock:
            if self._prepared is None:
                from .align import compared_texts
                from .text.similarity import embedding_progress, prepared_similarity

                # The headlines are compared too: the extractive engine picks the title by them.
                titles = [source.title for source in self._sources if source.title]
                # A model that cannot load falls back to lexical similarity, with a warning.
                self._prepared = prepared_similarity(
                    self._name, compared_texts(self._sources) + titles, self._warnings,
                    on_embedded=embedding_progress(self._report, "sentences"))
            return self._prepared


def _align(sources: list[Source], compare: _RunSimilarity, engine: Engine) -> Alignment:
    """The alignment, and what the engine's synthesis makes of it alone (see `prepare_synthesis`)."""
    from .align import align_sources

    alignment = align_sources(sources, compare())
    engine.prepare_synthesis(sources, alignment)
    return alignment


async def summarize_sources_async(
    sources: list[Source],
    *,
    engine: EngineChoice | Engine = DEFAULTS.engine,
    max_tokens: int = DEFAULTS.max_tokens,
    llm: LLMOptions | None = None,
    on_progress: ProgressCallback | None = None,
    warnings: list[str] | None = None,
    similarity: SimilarityName = DEFAULTS.similarity,
) -> Brief:
    """The async form of `summarize_sources`."""
    report = on_progress or (lambda message: None)
    warnings = list(warnings or [])
    started = time.perf_counter()
    # Embedded once, when first needed: the alignment and the engine then compare the same
    # vectors. An engine that calls a model first needs it beside its first calls, once they are
    # out: the SDK's import holds the GIL, and loading the model and embedding before it slowed
    # the first request (the seeds with an empty vector cache: 1.61-1.79 s after start when the
    # embedding ran beside the import, 1.17 s when the model loaded before it, 0.82 s now).
    compare = _RunSimilarity(similarity, sources, warnings, report)
    if not isinstance(engine, Engine):  # an engine given ready-made brings its own options
        settings = Settings(engine=engine, max_tokens=max_tokens, llm=llm or LLMOptions(), similarity=similarity)
        engine, note = create_engine(settings, similarity=compare)
        if note:
            report(note)
    engine.progress = report
    report(f"loaded {counted(len(sources), 'source')}")
    try:
        chunks = [chunk_source(source, engine.chunk_tokens, sentence_overhead=engine.sentence_overhead_tokens)
                  for source in sources]
        for source, source_chunks in zip(sources, chunks, strict=True):
            if oversized_chunks(source_chunks, engine.chunk_tokens):
                warnings.append(f"source {source.id} ({source.path}) has a sentence longer than one chunk "
                                f"({engine.chunk_tokens} tokens); it is read as a chunk of its own")
        # The alignment is CPU work that needs no model: it runs while the model's calls are out.
        # It starts once they are (both hold the GIL: started beside the SDK's set-up and the first
        # requests, it delayed them by 0.15 s on the seeds and itself ran at half speed).
        await engine.start()
        summarising = asyncio.ensure_future(engine.summarize_sources_async(sources, chunks))
        await _first_done(summarising, engine.calls_under_way())
        alignment_task = asyncio.create_task(asyncio.to_thread(_align, sources, compare, engine))
        summaries = await summarising
        alignment = await alignment_task
        report(f"aligned: {counted(len(alignment.agreements), 'agreement')}, "
               f"{counted(len(alignment.disagreements), 'disagreement')}, "
               f"{counted(len(alignment.exclusives), 'exclusive fact')}")
        draft = await engine.synthesize_async(sources, summaries, alignment)
    finally:
        await engine.aclose()
    warnings.extend(engine.warnings())
    verified, verify_warnings = verify_citations(draft, sources, alignment.disputed_sources)
    warnings.extend(verify_warnings)
    report(f"verified citations: {counted(len(verify_warnings), 'problem')}")

    usage = dict(engine.usage())
    usage["similarity"] = compare().name
    usage["seconds"] = round(time.perf_counter() - started, 3)
    return Brief(
        title=verified.title,
        engine=engine.name,
        model=engine.model,
        written_by=engine.written_by(),
        generated_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        sources=sources,
        summary=verified.summary,
        agreements=verified.agreements,
        disagreements=verified.disagreements,
        # "Reported by one source only" says something of the other sources: with none, it says nothing.
        exclusives=verified.exclusives if len(sources) > 1 else [],
        per_source=verified.per_source,
        warnings=warnings,
        usage=usage,
    )
