"""`summarize check`: a draft held against its sources, sentence by sentence.

    >>> from summarizer import check
    >>> report = check("draft.md", ["seeds/"])
    >>> [s.verdict for s in report.statements]

The draft is a path to a Markdown or text file, or the draft's text itself; the sources are loaded
exactly as for a brief (the draft's own file is never read as a source).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError
from ..load import load_sources
from ..load.decoding import decode_bytes, looks_binary
from ..models import CheckReport, Verdict
from ..settings import DEFAULTS, SimilarityName
from .draft import read_draft

__all__ = ["check"]
_VERDICTS: tuple[Verdict, ...] = ("supported", "contradicted", "unsupported")
PathArg = str | os.PathLike[str]


def check(draft: PathArg, sources: Iterable[PathArg] | PathArg, *, similarity: SimilarityName = DEFAULTS.similarity,
          max_file_mb: float = DEFAULTS.max_file_mb) -> CheckReport:
    """Check `draft` (a file, or the draft's text) against the articles at `sources`."""
    # Imported here: the package exports `check`, and the similarity brings numpy, which a brief's
    # LLM run loads beside its first calls, not before them.
    from ..text.similarity import prepared_similarity
    from .checker import check_statements

    text, name, path = _read_draft(draft)
    warnings: list[str] = []
    loaded = load_sources([sources] if isinstance(sources, (str, os.PathLike)) else list(sources),
                          on_warning=warnings.append, exclude=[path] if path else [], max_file_mb=max_file_mb)
    statements = read_draft(text)
    if not statements:
        raise InputError(f"the draft {name} has no sentences to check (only headings, lists of sources or notes)")
    compare = prepared_similarity(similarity, [s for source in loaded for s in source.sentences]
                                  + [s.text for s in statements], warnings)
    checked = check_statements(statements, loaded, compare)
    counts = Counter(s.verdict for s in checked)
    return CheckReport(draft=name, sources=loaded, statements=checked,
                       counts={verdict: counts.get(verdict, 0) for verdict in _VERDICTS}, warnings=warnings)


def _read_draft(draft: PathArg) -> tuple[str, str, Path | None]:
    """(text, name shown, path): a Path, or a one-line string naming a file, is read; other
    strings are the draft's text."""
    candidate = Path(draft)
    names_a_file = "\n" not in str(draft) and len(str(draft)) < 4096 and candidate.is_file()
    is_path = isinstance(draft, os.PathLike) or names_a_file
    if not is_path:
        return str(draft), "<text>", None
    try:
        data = candidate.read_bytes()
    except FileNotFoundError:
        raise InputError(f"the draft {str(draft)!r} does not exist: give the path of a Markdown or text file") from None
    except OSError as exc:
        raise InputError(f"the draft {str(draft)!r} cannot be read ({exc.strerror or exc})") from None
    # Decoded as articles are (a BOM, UTF-8, then the legacy encodings), and refused when binary.
    text, _encoding = decode_bytes(data)
    if looks_binary(data, text):
        raise InputError(f"the draft {str(draft)!r} is not text (a binary file?): give a Markdown or text draft")
    return text, str(draft), candidate
