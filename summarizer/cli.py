"""The `summarize` command: the only place that prints or exits.

Exit status: 0 the brief was written, 1 it could not be made (no usable article, an engine or
output failure), 2 the command was called wrongly (unknown option, missing path, bad value).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__, constants
from .engines import ENGINE_CHOICES
from .errors import PathNotFoundError, SummarizerError
from .models import brief_json_schema
from .output import write_atomically
from .pipeline import summarize
from .render import OUTPUT_FORMATS, render

_FORMAT_BY_SUFFIX = {".md": "md", ".markdown": "md", ".json": "json", ".html": "html", ".htm": "html"}

EPILOG = """\b
Examples:
  summarize seeds/ --out brief.md        Markdown brief of every article in seeds/
  summarize a.txt b.html --format json   JSON brief (the documented contract) on stdout
  summarize seeds/ --out brief.html      the format follows the file name when --format is not given
  summarize --json-schema                the JSON Schema of the --format json output

\b
Engines:
  extractive  offline and deterministic: quotes source sentences, no key, no network
  llm         an OpenAI-compatible endpoint (OPENAI_API_KEY / OPENAI_BASE_URL)
  auto        llm when an endpoint is configured, else extractive (the default)
"""


def _print_schema(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """--json-schema: print the brief's JSON Schema and stop."""
    if value and not ctx.resilient_parsing:
        click.echo(json.dumps(brief_json_schema(), indent=2))
        ctx.exit(0)


@click.command(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
    help="Write the brief to FILE (atomically) instead of stdout.",
)
@click.option(
    "-f", "--format", "output_format", type=click.Choice(OUTPUT_FORMATS),
    help="md (default), json (the documented contract) or html; by default taken from --out's suffix.",
)
@click.option(
    "-e", "--engine", type=click.Choice(ENGINE_CHOICES), default="auto", show_default=True,
    help="Which engine writes the brief (see Engines below).",
)
@click.option(
    "--max-tokens", type=click.IntRange(min=20), default=constants.DEFAULT_SUMMARY_TOKENS,
    show_default=True, help="Token budget of each source's summary and of the lede.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr (warnings are still shown).")
@click.option(
    "--json-schema", is_flag=True, expose_value=False, is_eager=True, callback=_print_schema,
    help="Print the JSON Schema of the brief and exit.",
)
@click.version_option(__version__, "-V", "--version", prog_name="summarize")
def main(
    paths: tuple[Path, ...],
    out: Path | None,
    output_format: str | None,
    engine: str,
    max_tokens: int,
    quiet: bool,
) -> None:
    """Turn several news reports of one event into one cited brief.

    PATH... are article files (.txt, .md with optional YAML front matter, .html) or folders of
    them. The brief says what the sources agree on, where they disagree and what only one of
    them reports; every statement cites the sources it rests on ([n] = source n).
    """
    if output_format is None:
        output_format = _FORMAT_BY_SUFFIX.get(out.suffix.lower(), "md") if out else "md"

    def progress(message: str) -> None:
        if not quiet:
            click.echo(f"summarize: {message}", err=True)

    try:
        brief = summarize(
            list(paths),
            engine=engine,  # type: ignore[arg-type]  # click.Choice has checked it
            max_tokens=max_tokens,
            on_progress=progress,
            exclude=[out] if out else [],
        )
        text = render(brief, output_format)  # type: ignore[arg-type]
        for warning in brief.warnings:
            click.echo(f"summarize: warning: {warning}", err=True)
        if out is None:
            click.echo(text, nl=False)
        else:
            write_atomically(out, text)
            progress(f"wrote {out} ({output_format})")
    except PathNotFoundError as exc:
        _fail(str(exc), status=2)
    except SummarizerError as exc:
        _fail(str(exc), status=1)
    except KeyboardInterrupt:
        _fail("interrupted; nothing was written", status=130)
    except Exception as exc:  # a bug of ours: still one line, and the traceback on request
        if os.environ.get("SUMMARIZER_DEBUG"):
            raise
        _fail(
            f"internal error ({type(exc).__name__}: {exc}); nothing was written. "
            "Run again with SUMMARIZER_DEBUG=1 for the traceback and please report it",
            status=1,
        )


def _fail(message: str, *, status: int) -> None:
    """One line on stderr naming the problem, then exit with `status`."""
    click.echo(f"summarize: error: {message}", err=True)
    sys.exit(status)
