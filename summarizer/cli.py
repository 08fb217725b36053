"""The `summarize` command: the only place that prints or exits.

`summarize PATH...` writes a brief; `summarize check DRAFT SOURCE...` checks a draft against its
sources (`entry` tells the two apart by the first word).

Exit status of a brief: 0 written, 1 it could not be made (no usable article, an engine or output
failure), 2 the command was called wrongly (unknown option, missing path, bad value). Of a check:
0 every sentence supported, 1 a sentence flagged, 2 wrong usage or unusable input, 3 a failure.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import get_args

import click

from ._version import __version__
from .commands import batch_main, check_main, click_type, cluster_main, fail, fail_on_bug, schema_printer
from .engines import ENGINE_CHOICES, chosen_engine, preload_engine
from .errors import InvalidPathError, SummarizerError
from .files import check_output, write_output
from .load import check_output_path
from .models import EngineName, brief_json_schema
from .pipeline import summarize
from .render import DEFAULT_FORMAT, FORMAT_NAMES, FORMATS, format_for_path, render_brief
from .settings import (
    DEFAULT_LLM_MODEL,
    DEFAULTS,
    LLMOptions,
    ResponseFormatMode,
    Settings,
    SimilarityName,
    env_var_of,
)

_LLM = DEFAULTS.llm


EPILOG = """\b
Examples:
  summarize seeds/ --out brief.md        Markdown brief of every article in seeds/
  summarize a.txt b.html --format json   JSON brief (the documented contract) on stdout
  summarize seeds/ --out brief.html      the format follows the file name when --format is not given
  summarize --json-schema                the JSON Schema of the --format json output
  summarize check draft.md seeds/        check a draft against its sources (summarize check --help)
  summarize cluster feed/ --out events/  group a pile of articles into events (summarize cluster --help)
  summarize batch events/ --out briefs/  a brief per event, resumable (summarize batch --help)

\b
Engines:
  extractive  offline and deterministic: quotes source sentences, no key, no network
  llm         an OpenAI-compatible endpoint (OPENAI_API_KEY / OPENAI_BASE_URL)
  auto        llm when an endpoint is configured, else extractive (the default)

\b
LLM endpoints:
  OpenAI      OPENAI_API_KEY=sk-... summarize seeds/ --engine llm --model gpt-4o-mini
  llama.cpp   summarize seeds/ --engine llm --base-url http://127.0.0.1:8080/v1
  Ollama      summarize seeds/ --engine llm --base-url http://127.0.0.1:11434/v1 --model llama3.1
  vLLM        summarize seeds/ --engine llm --base-url http://127.0.0.1:8000/v1 --model NAME

\b
Environment:
  {key:<20}  the LLM engine's API key (or --api-key)
  {url:<20}  an OpenAI-compatible endpoint (or --base-url)
  {model:<20}  the LLM engine's model (or --model)
  SUMMARIZER_CACHE_DIR  where sentence vectors, token counts, tokenizer files and model answers are kept
                        (default ~/.cache/summarizer; a second run over the same articles is faster)
  SUMMARIZER_PRICES     a JSON file of prices in USD per million tokens, for the cost in the usage line:
                        {{"my-model": {{"input": 0.15, "output": 0.6}}}}
  SUMMARIZER_DEBUG      set to 1 to see the traceback of an internal error

\b
Exit status:
  0    the brief was written
  1    no brief could be made: no readable article, an endpoint failure, an output that cannot be written
  2    wrong usage: an unknown option or bad value, a missing path, an --out that names an article
  130  interrupted (nothing was written)
""".format(key=env_var_of(LLMOptions, "api_key"), url=env_var_of(LLMOptions, "base_url"),
           model=env_var_of(LLMOptions, "model"))


@click.command(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
# Strings, not Paths: pathlib would drop the trailing slash of "one.txt/", which names a folder.
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
    help="Write the brief to FILE (atomically) instead of stdout.",
)
@click.option(
    "-f", "--format", "output_format", type=click.Choice(FORMAT_NAMES),
    help="; ".join(f"{output.name}: {output.description}" for output in FORMATS)
    + f". By default taken from --out's suffix, else {DEFAULT_FORMAT}.",
)
@click.option(
    "-e", "--engine", type=click.Choice(ENGINE_CHOICES), default=DEFAULTS.engine, show_default=True,
    help="Which engine writes the brief (see Engines below).",
)
@click.option(
    "--max-tokens", type=click_type(Settings, "max_tokens"), default=DEFAULTS.max_tokens,
    show_default=True, help="Token budget of each source's summary and of the lede.",
)
@click.option(
    "--similarity", type=click.Choice(get_args(SimilarityName)), default=DEFAULTS.similarity, show_default=True,
    help="How sentences are compared: semantic (sentence embeddings: finds paraphrases) or lexical (shared "
         "words: the fastest).",
)
@click.option(
    "--max-file-mb", type=click_type(Settings, "max_file_mb"), default=DEFAULTS.max_file_mb, show_default=True,
    help="Skip article files larger than this many megabytes (a log, a dump or a device is not an article).",
)
@click.option("--model", envvar=env_var_of(LLMOptions, "model"), show_envvar=True,
              help=f"LLM engine: the model name (default {DEFAULT_LLM_MODEL}).")
@click.option("--base-url", envvar=env_var_of(LLMOptions, "base_url"), show_envvar=True,
              help="LLM engine: an OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1 for llama.cpp.")
@click.option("--api-key", envvar=env_var_of(LLMOptions, "api_key"), show_envvar=True,
              help="LLM engine: the API key (not needed by most local servers).")
@click.option("--concurrency", type=click_type(LLMOptions, "concurrency"), default=_LLM.concurrency,
              show_default=True, help="LLM engine: requests in flight at once.")
@click.option("--context-window", type=click_type(LLMOptions, "context_window"), default=_LLM.context_window,
              show_default=True, help="LLM engine: the model's context window in tokens; sets chunk sizes.")
@click.option("--response-format", type=click.Choice(get_args(ResponseFormatMode)),
              default=_LLM.response_format, show_default=True,
              help="LLM engine: how structured answers are requested; auto tries the richest first.")
@click.option("--timeout", "request_timeout", type=click_type(LLMOptions, "request_timeout"),
              default=_LLM.request_timeout, show_default=True,
              help="LLM engine: seconds to wait for one answer (slow local models need more).")
@click.option("--no-cache", is_flag=True, help="LLM engine: neither read nor write the on-disk answer cache.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr (warnings are still shown).")
@click.option(
    "--json-schema", is_flag=True, expose_value=False, is_eager=True, callback=schema_printer(brief_json_schema),
    help="Print the JSON Schema of the brief and exit.",
)
@click.version_option(__version__, "-V", "--version", prog_name="summarize")
def main(
    paths: tuple[str, ...],
    out: Path | None,
    output_format: str | None,
    engine: str,
    max_tokens: int,
    similarity: str,
    max_file_mb: float,
    model: str | None,
    base_url: str | None,
    api_key: str | None,
    concurrency: int,
    context_window: int,
    response_format: str,
    request_timeout: float,
    no_cache: bool,
    quiet: bool,
) -> None:
    """Turn several news reports of one event into one cited brief.

    PATH... are article files (.txt, .md with optional YAML front matter, .html) or folders of
    them. The brief says what the sources agree on, where they disagree and what only one of
    them reports; every statement cites the sources it rests on ([n] = source n).
    """
    if output_format is None:
        output_format = format_for_path(out)

    def progress(message: str) -> None:
        if not quiet:
            click.echo(f"summarize: {message}", err=True)

    try:
        if out is not None:
            check_output_path(out, paths)
            check_output(out)
        llm = LLMOptions(
            model=model, base_url=base_url, api_key=api_key, concurrency=concurrency,
            context_window=context_window, use_cache=not no_cache, request_timeout=request_timeout,
            response_format=response_format,  # type: ignore[arg-type]  # click.Choice has checked it
        )
        if _in_own_process():
            _settle_imports(chosen_engine(engine, llm))  # type: ignore[arg-type]  # click.Choice has checked it
        brief = summarize(
            list(paths),
            engine=engine,  # type: ignore[arg-type]  # click.Choice has checked it
            max_tokens=max_tokens,
            llm=llm,
            on_progress=progress,
            exclude=[out] if out else [],
            max_file_mb=max_file_mb,
            similarity=similarity,  # type: ignore[arg-type]  # click.Choice has checked it
        )
        text = render_brief(brief, output_format)
        for warning in brief.warnings:
            click.echo(f"summarize: warning: {warning}", err=True)
        if brief.engine == "llm":
            progress(_usage_line(brief.usage))
        if out is None:
            click.echo(text, nl=False)
        else:
            write_output(out, text)
            progress(f"wrote {out} ({output_format})")
    except InvalidPathError as exc:
        fail(str(exc), status=2)
    except SummarizerError as exc:
        fail(str(exc), status=1)
    except KeyboardInterrupt:
        fail("interrupted; nothing was written", status=130)
    except Exception as exc:
        fail_on_bug(exc, status=1)


def _usage_line(usage: dict[str, object]) -> str:
    """What the LLM engine spent, on one line."""
    cost = usage.get("cost_usd")
    spent = f", about ${cost:.4f}" if isinstance(cost, float) else ""
    return (f"usage: {usage.get('calls', 0)} calls, {usage.get('cache_hits', 0)} answered from the cache, "
            f"{usage.get('prompt_tokens', 0)} prompt + {usage.get('completion_tokens', 0)} completion "
            f"tokens{spent}")


def _in_own_process() -> bool:
    """Whether the command runs in a process of its own (`run`), not in a caller's (`entry`)."""
    return bool(click.get_current_context().obj == OWN_PROCESS)


def _settle_imports(engine: EngineName) -> None:
    """Import the engine's code now, then freeze every object the imports made (gc.freeze): they
    live as long as the process, and the collector no longer scans them. The openai SDK's import
    makes some 53,000 of the 88,000 then tracked; the full collection they brought on took 0.05 s
    of a fresh LLM run on the seeds, between its two rounds of calls (the run: 1.85 -> 1.76 s)."""
    preload_engine(engine)
    gc.freeze()


SUBCOMMANDS = {"batch": batch_main, "check": check_main, "cluster": cluster_main}
# click's context object of a command run by `run`, in a process of its own.
OWN_PROCESS = "own process"


def entry(argv: list[str] | None = None, *, own_process: bool = False) -> None:
    """The `summarize` program: `summarize check ...` checks a draft, `summarize cluster ...`
    groups a feed into events, `summarize batch ...` briefs each event, anything else is a brief.
    (A folder named like a subcommand is given as ./check, ./cluster or ./batch.) `own_process`:
    the process ends with the command, which may then tune it (see `run`)."""
    args = sys.argv[1:] if argv is None else list(argv)
    command = SUBCOMMANDS.get(args[0]) if args else None
    context = OWN_PROCESS if own_process else None
    if command is not None:
        command.main(args=args[1:], prog_name=f"summarize {args[0]}", obj=context)
    else:
        main.main(args=args, prog_name="summarize", obj=context)


def run() -> None:
    """The installed `summarize` command and `python -m summarizer`: `entry` in a process of its own."""
    # httpcore imports trio whenever it is installed (selenium brings it, for one), to be ready to
    # run under it: 0.06-0.10 s before an LLM run's first request. This process runs asyncio
    # only, so trio is never needed here: a None entry makes its import fail at once, as if it
    # were not installed. Not in `entry`, whose caller's process may use trio.
    sys.modules.setdefault("trio", None)  # type: ignore[arg-type]  # None: the documented import block
    try:
        entry(own_process=True)
    finally:
        # On the way out the interpreter collects garbage over every object the run made (the
        # models, the compiled patterns, the vectors), only to free memory the OS takes back at
        # once. Frozen, they are skipped: the seeds' brief ends 0.05-0.07 s sooner. Objects are
        # still released as their modules are cleared; only garbage cycles are left to the OS.
        # Not in `entry`, which tests and scripts call in a process that goes on.
        gc.freeze()
