"""Stage 1, load: article files and folders in, `Source` objects (sentences with stable indices) out.

    loader      paths -> files -> decoded text -> articles -> merged -> Source[]
    paths       which files the paths name; only regular files; the --out file checked against them
    decoding    bytes -> text (BOMs, UTF-8, documented fallbacks), binary files told apart
    readers     the table of input formats by suffix: text, Markdown, HTML
    markup      front matter, Markdown syntax and HTML pages (trafilatura) to plain text
    cleaning    page furniture removed line by line (cues in `cues`)
    metadata    outlet, title, byline and date detected from the text
    duplicates  the same article under two names is one source
"""

from __future__ import annotations

from .decoding import decode_bytes
from .loader import load_sources
from .paths import check_output_path
from .readers import ARTICLE_SUFFIXES, READERS, WarningHandler

__all__ = ["ARTICLE_SUFFIXES", "READERS", "WarningHandler", "check_output_path", "decode_bytes", "load_sources"]
