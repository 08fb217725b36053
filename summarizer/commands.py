"""The subcommands of `summarize`: `check` (a draft against its sources), `cluster` (a feed into
events) and `batch` (a brief per event), and the helpers every command shares. `cli.entry` sends
`summarize check ...`, `summarize cluster ...` and `summarize batch ...` here.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

import click

from .batches import EXECUTORS, batch
from .check import check
from .engines import ENGINE_CHOICES
from .errors import InputError, InvalidPathError, SummarizerError
from .files import check_output, write_output
from .load import check_output_path
from .models import check_json_schema
from .render import CHECK_FORMATS, DEFAULT_FORMAT, FORMAT_NAMES, format_for_path, render_check
from .settings import DEFAULTS, LLMOptions, Settings, SimilarityName, env_var_of, range_of
from .text.plural import counted

__all__ = ["batch_main", "check_main", "click_type", "cluster_main", "fail", "fail_on_bug", "schema_printer"]


def click_type(model: type[LLMOptions] | type[Settings], name: str) -> click.ParamType:
    """The click type accepting exactly the range the setting declares."""
    bounds = range_of(model, name)._asdict()
    annotation = model.model_fields[name].annotation
    if annotation is int or int in get_args(annotation):  # `int | None`: an optional limit
        return click.IntRange(**bounds)
    return click.FloatRange(**bounds)


def fail(message: str, *, status: int, command: str = "summarize") -> None:
    """One line on stderr naming the problem, then exit with `status`."""
    click.echo(f"{command}: error: {message}", err=True)
    sys.exit(status)


def fail_on_bug(exc: Exception, *, status: int, command: str = "summarize",
                outputs: str = "nothing was written") -> None:
    """A bug of ours (an exception no stage translated): still one line, saying what became of the
    outputs, and the traceback when SUMMARIZER_DEBUG is set. Call it from the `except` that caught
    `exc`."""
    if os.environ.get("SUMMARIZER_DEBUG"):
        raise exc
    fail(f"internal error ({type(exc).__name__}: {exc}); {outputs}. "
         "Run again with SUMMARIZER_DEBUG=1 for the traceback and please report it", status=status, command=command)


CHECK_EPILOG = """\b
Examples:
  summarize check draft.md seeds/                 a report an editor reads, on stdout
  summarize check draft.md seeds/ --format json   the report as JSON (summarize check --json-schema)
  summarize check draft.md seeds/ --out review.html
                                                  a review page: the draft beside the sources, each
                                                  sentence marked by its verdict

\b
Verdicts, one per sentence of the draft's body (headings, the Sources list and the brief's own
notes are not checked):
  supported     a source sentence says it (in other words too); it is given as evidence
  contradicted  a source says otherwise: another figure, a negation, other words in a quote,
                the words given to another speaker
  unsupported   no source says it
A citation [n] to a source that does not say the sentence is reported, with the sources that do.

\b
Exit status:
  0    every sentence supported, every citation right
  1    a sentence contradicted or unsupported, or a citation to the wrong source
  2    wrong usage or unusable input: a missing draft or source, no readable article
  3    the check failed: the output cannot be written, an internal error
"""


def schema_printer(schema: Callable[[], dict[str, Any]]) -> Callable[[click.Context, click.Parameter, bool], None]:
    """The callback of a `--json-schema` flag: print `schema()` and stop."""

    def print_schema(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value and not ctx.resilient_parsing:
            click.echo(json.dumps(schema(), indent=2))
            ctx.exit(0)

    return print_schema


@click.command(epilog=CHECK_EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("draft", type=click.Path())
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(CHECK_FORMATS), default=None,
              help="text (default): a report to read; json: the documented contract; html: a review page "
                   "beside the sources. Without it, an --out ending in .json or .html picks the format.")
@click.option("-o", "--out", type=click.Path(path_type=Path), help="Write the report here (default: stdout).")
@click.option("--similarity", type=click.Choice(get_args(SimilarityName)), default=DEFAULTS.similarity,
              show_default=True, help="How sentences are compared (semantic finds other wordings).")
@click.option("--max-file-mb", type=click_type(Settings, "max_file_mb"), default=DEFAULTS.max_file_mb,
              show_default=True, help="Skip article files larger than this.")
@click.option("--json-schema", is_flag=True, expose_value=False, is_eager=True,
              callback=schema_printer(check_json_schema), help="Print the JSON Schema of --format json and exit.")
def check_main(draft: str, sources: tuple[str, ...], output_format: str | None, out: Path | None, similarity: str,
               max_file_mb: float) -> None:
    """Check a draft against its sources, sentence by sentence.

    DRAFT is a Markdown or text file: a brief this tool wrote and a person edited, or a story with
    no citations at all. SOURCE... are the articles (files or folders), read as for a brief.
    """
    if output_format is None:  # the brief's suffix rules; a suffix of no check format means text
        by_suffix = format_for_path(out)
        output_format = by_suffix if by_suffix in CHECK_FORMATS else "text"
    try:
        if not Path(draft).is_file():
            raise InvalidPathError(f"the draft {draft!r} is not a file: give the path of a Markdown or text draft")
        if out is not None:
            check_output_path(out, (draft, *sources))
            check_output(out)
        report = check(Path(draft), list(sources), similarity=similarity,  # type: ignore[arg-type]
                       max_file_mb=max_file_mb)
        text = render_check(report, output_format)
        for warning in report.warnings:
            click.echo(f"summarize check: warning: {warning}", err=True)
        if out is None:
            click.echo(text, nl=False)
        else:
            write_output(out, text)
    except (InvalidPathError, InputError) as exc:
        fail(str(exc), status=2, command="summarize check")
    except SummarizerError as exc:
        fail(str(exc), status=3, command="summarize check")
    except KeyboardInterrupt:
        fail("interrupted; nothing was written", status=130, command="summarize check")
    except Exception as exc:
        fail_on_bug(exc, status=3, command="summarize check")
    sys.exit(0 if report.clean else 1)


# Merged duplicates named one by one on stderr; the rest are counted.
MERGES_NAMED = 5


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("feed", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True,
              help="A new (or empty) folder: one folder per event, singletons/, and clusters.json.")
@click.option("--window-days", type=click_type(Settings, "window_days"), default=DEFAULTS.window_days,
              show_default=True, help="Dated articles join an event only within this many days of its articles.")
@click.option("--similarity", type=click.Choice(get_args(SimilarityName)), default=DEFAULTS.similarity,
              show_default=True, help="How articles are compared.")
@click.option("--max-file-mb", type=click_type(Settings, "max_file_mb"), default=DEFAULTS.max_file_mb,
              show_default=True, help="Skip article files larger than this.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr (warnings are still shown).")
def cluster_main(feed: tuple[str, ...], out: Path, window_days: int, similarity: str, max_file_mb: float,
                 quiet: bool) -> None:
    """Group a flat pile of articles into events, one folder per event.

    FEED... are article files or folders, read as for a brief. Each event of two or more articles
    gets a folder under --out (its files copied), articles alone go to singletons/, and
    clusters.json lists every event with its members, a title and its dates. The folder is
    written whole or not at all. Exit status: 0 written, 1 failed, 2 wrong usage.
    """
    # Imported here: it brings numpy, which a brief's LLM run loads beside its first calls.
    from .cluster import cluster_articles, write_clusters

    def progress(message: str) -> None:
        click.echo(f"summarize cluster: {message}", err=True)

    try:
        check_output_path(out / "clusters.json", feed)
        warnings: list[str] = []
        events = cluster_articles(list(feed), similarity=similarity,  # type: ignore[arg-type]
                                  window_days=window_days, max_file_mb=max_file_mb, warnings=warnings,
                                  on_progress=None if quiet else progress)
        # A feed repeats syndicated copies: name a few merges, count the rest.
        merges = [w for w in warnings if w.startswith("merged ")]
        for warning in [w for w in warnings if not w.startswith("merged ")] + merges[:MERGES_NAMED]:
            click.echo(f"summarize cluster: warning: {warning}", err=True)
        if len(merges) > MERGES_NAMED:
            click.echo(f"summarize cluster: warning: and {len(merges) - MERGES_NAMED} more files merged into an "
                       "article they repeat (each is listed with its event)", err=True)
        write_clusters(events, out)
        if not quiet:
            grouped = sum(1 for e in events if len(e.members) > 1)
            articles = sum(len(e.members) for e in events)
            click.echo(f"summarize cluster: {counted(articles, 'article')}, {counted(grouped, 'event')} "
                       f"of two or more, {len(events) - grouped:,} alone; "
                       f"wrote {out}", err=True)
    except InvalidPathError as exc:
        fail(str(exc), status=2, command="summarize cluster")
    except (SummarizerError, OSError) as exc:
        fail(str(exc), status=1, command="summarize cluster")
    except KeyboardInterrupt:
        fail("interrupted; nothing was written", status=130, command="summarize cluster")
    except Exception as exc:
        fail_on_bug(exc, status=1, command="summarize cluster")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("clusters", type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True,
              help="The folder for the briefs, index.md (index.html for --format html), batch.json and "
                   "manifest.json.")
@click.option("--format", "output_format", type=click.Choice(FORMAT_NAMES), default=DEFAULT_FORMAT,
              show_default=True, help="The format of each brief.")
@click.option("--engine", type=click.Choice(ENGINE_CHOICES), default=DEFAULTS.engine, show_default=True,
              help="Which engine writes the briefs (see summarize --help).")
@click.option("--max-tokens", type=click_type(Settings, "max_tokens"), default=DEFAULTS.max_tokens,
              show_default=True, help="Token budget of each source summary and each lede.")
@click.option("--similarity", type=click.Choice(get_args(SimilarityName)), default=DEFAULTS.similarity,
              show_default=True, help="How sentences are compared.")
@click.option("--model", envvar=env_var_of(LLMOptions, "model"), show_envvar=True, help="LLM engine: the model name.")
@click.option("--base-url", envvar=env_var_of(LLMOptions, "base_url"), show_envvar=True,
              help="LLM engine: an OpenAI-compatible endpoint.")
@click.option("--concurrency", type=click_type(LLMOptions, "concurrency"), default=DEFAULTS.llm.concurrency,
              show_default=True, help="LLM engine: requests in flight at once, for all the events together.")
@click.option("--requests-per-minute", type=click_type(LLMOptions, "requests_per_minute"), default=None,
              help="LLM engine: requests started per minute, at most, for all the events together.")
@click.option("--tokens-per-minute", type=click_type(LLMOptions, "tokens_per_minute"), default=None,
              help="LLM engine: tokens started per minute (each request's prompt and answer budget), at most.")
@click.option("--max-cost", type=click_type(LLMOptions, "max_cost"), default=None, metavar="USD",
              help="LLM engine: stop before this run could spend more (estimated before each call from the "
                   "usage so far and the prices; SUMMARIZER_PRICES adds models). The same command goes on later.")
@click.option("--retry-failed", is_flag=True, help="Brief again the events an earlier run recorded as failed.")
@click.option("--executor", type=click.Choice(list(EXECUTORS)), default="local", show_default=True,
              help="local: worker processes on this machine (the LLM engine's events side by side in one). "
                   "ray: a Ray cluster (pip install 'summarizer[ray]').")
@click.option("--ray-address", default=None, metavar="auto|ray://HOST:PORT",
              help="--executor ray: the cluster to join (default: start Ray on this machine for the batch).")
@click.option("--workers", type=click_type(Settings, "workers"), default=DEFAULTS.workers,
              help="--executor local: processes for the offline engine (default: one per core). The LLM engine "
                   "runs the events side by side in one process, all their requests within one --concurrency limit.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
def batch_main(clusters: Path, out: Path, output_format: str, engine: str, max_tokens: int, similarity: str,
               model: str | None, base_url: str | None, concurrency: int, requests_per_minute: int | None,
               tokens_per_minute: int | None, max_cost: float | None, retry_failed: bool, executor: str,
               ray_address: str | None, workers: int | None, quiet: bool) -> None:
    """Brief every event of CLUSTERS (the folder `summarize cluster` wrote) into --out.

    Resumable: run the same command again after an interruption, and only what is not done (or
    whose articles or options changed) is briefed; no brief is written twice or half. An event that
    fails is recorded and the batch goes on. Exit status: 0 all briefed, 1 some failed, 2 wrong usage,
    4 stopped at --max-cost (run the same command to go on).
    """
    # On a terminal, a live bar with rate and time left; else (a log, a pipe) plain lines.
    live = not quiet and sys.stderr.isatty()
    bar: Any = None

    def progress(message: str) -> None:
        if not quiet and (not live or bar is None):
            click.echo(f"summarize batch: {message}", err=True)

    def step(done: int, total: int, name: str, status: str) -> None:
        nonlocal bar
        if live:
            if bar is None:
                from tqdm import tqdm  # type: ignore[import-untyped]  # no stubs; only the bar uses it

                bar = tqdm(total=total, unit="event", desc="summarize batch", file=sys.stderr)
            bar.set_postfix_str(f"{name}: {status}", refresh=False)
            bar.update(1)

    try:
        result = batch(clusters, out, output_format=output_format, engine=engine,  # type: ignore[arg-type]
                       max_tokens=max_tokens, similarity=similarity,  # type: ignore[arg-type]
                       llm=LLMOptions(model=model, base_url=base_url, concurrency=concurrency,
                                      requests_per_minute=requests_per_minute, tokens_per_minute=tokens_per_minute,
                                      max_cost=max_cost),
                       retry_failed=retry_failed, workers=workers, executor=executor, ray_address=ray_address,
                       on_progress=progress, on_step=step)
        if bar is not None:
            bar.close()
    except InvalidPathError as exc:
        fail(str(exc), status=2, command="summarize batch")
    except (SummarizerError, OSError) as exc:
        fail(str(exc), status=1, command="summarize batch")
    except KeyboardInterrupt:
        fail("interrupted; what was done is kept, run the same command to finish", status=130,
              command="summarize batch")
    except Exception as exc:
        fail_on_bug(exc, status=1, command="summarize batch",
                    outputs="the briefs written so far are kept, and the same command goes on from them")
    spent = result.totals["cost_usd"]
    if result.stopped:
        fail(f"the --max-cost budget was reached: {len(result.stopped)} of {len(result.events)} events not briefed"
             + (f" (the events briefed spent about ${spent:.4f})" if spent else "")
             + "; run the same command to go on (what is done is kept)", status=4, command="summarize batch")
    if result.failed:
        fail(f"{len(result.failed)} of {len(result.events)} events failed ({', '.join(result.failed)}); see "
              f"{out / 'batch.json'}, and run again with --retry-failed", status=1, command="summarize batch")
    progress(f"{len(result.events)} events briefed into {out}" + (f" (estimated cost ${spent:.4f})" if spent else ""))
