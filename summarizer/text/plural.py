"""A count and its noun for the messages a person reads: "1 article", "2,000 articles"."""

from __future__ import annotations

__all__ = ["counted"]


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` with `noun` in the singular for one and the plural otherwise (`plural`, or the noun
    with an "s"); thousands grouped, as in "loaded 5,000 articles"."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
