"""Bytes to text: byte-order marks, UTF-8, a declared charset, then documented fallbacks; binary
files told apart.

A BOM wins, then UTF-8, then the charset a page declares (HTML's meta charset, an XML declaration),
then cp1252, then latin-1 (which never fails); the caller says in a warning when a fallback was
taken. Text is normalised so that the rest of loading sees one kind of newline
and no invisible characters.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["decode_bytes", "looks_binary", "normalise_text"]

# Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_SNIFF_BYTES = 8192
_MAX_CONTROL_RATIO = 0.05  # text has almost no control characters besides tabs and newlines
# C0 and C1 control characters other than tab, newline, vertical tab, form feed, carriage return.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_INVISIBLES = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def _cp1252_for_c1() -> dict[int, str | None]:
    """U+0080 to U+009F are control characters no text uses: where they appear, cp1252 text was
    read as latin-1 somewhere upstream ("21 july 2011 \\x96 for many months ...", "embrace the movie
    \\x97 surely ..."). Each becomes the cp1252 character of its byte (\\x96 an en dash, \\x93 an
    opening quote); the five bytes cp1252 leaves undefined are dropped."""
    table: dict[int, str | None] = {}
    for code in range(0x80, 0xA0):
        try:
            table[code] = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            table[code] = None
    return table


_NORMALISED = _INVISIBLES | _cp1252_for_c1()


# A charset the page declares in its first bytes: `<meta charset="windows-1251">`, the http-equiv
# form `content="text/html; charset=iso-8859-2"`, `<?xml ... encoding="...">`. Where the bytes are
# not UTF-8 it names their encoding, which a guess would not: a page in windows-1251 or iso-8859-2
# read as cp1252 comes out as mojibake ("Łódź" as "£ód¼").
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)"""
                               rb"""|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)
# Labels that browsers read as windows-1252 (the WHATWG Encoding Standard): pages declared latin-1
# use its quotes and dashes.
_READ_AS_CP1252 = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819", "us-ascii",
                             "ascii", "windows-1252"})


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode article bytes: (text, encoding used). A BOM wins, then UTF-8, a declared charset
    (named "..., as declared"), cp1252, latin-1."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                break  # a BOM followed by garbage: fall through to the guesses below
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    if declared is not None:
        try:
            return data.decode(declared), f"{declared}, as declared"
        except UnicodeDecodeError:
            pass  # declared wrongly: the guesses below
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"  # never fails: every byte is a character


def declared_charset(data: bytes) -> str | None:
    """The encoding a page declares in its first bytes (`_DECLARED_CHARSET`), by Python's name;
    None where it declares none or one Python does not know."""
    found = _DECLARED_CHARSET.search(data[:_SNIFF_BYTES])
    if found is None:
        return None
    label = (found.group(1) or found.group(2)).decode("ascii").lower()
    if label in _READ_AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def looks_binary(data: bytes, text: str | None) -> bool:
    """NUL bytes (outside UTF-16/32) or many control characters mean the file is not text."""
    has_wide_bom = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not has_wide_bom and b"\x00" in data[:_SNIFF_BYTES]:
        return True
    if text is None:
        return False
    sample = text[:_SNIFF_BYTES]
    controls = len(_CONTROL_CHARS.findall(sample))
    return bool(sample) and controls / len(sample) > _MAX_CONTROL_RATIO


def normalise_text(text: str) -> str:
    """Unix newlines, plain spaces for no-break spaces, no zero-width or soft-hyphen characters, and
    cp1252's characters for the C1 controls that stand for them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return text.replace("\u00a0", " ").replace("\u202f", " ").translate(_NORMALISED)
