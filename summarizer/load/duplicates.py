"""Duplicate articles: the same story saved twice (or syndicated word for word) is one source.

An article whose sentences are the same as, or at least 90% shared with, an earlier one is merged
into it and named in its `duplicates`. An inverted index from sentence to article keeps this
near-linear in the number of sentences.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from .readers import Article, WarningHandler

__all__ = ["merge_duplicates"]

_NEAR_DUPLICATE_SHARE = 0.9
_MAX_POSTINGS = 50  # a sentence shared by this many articles is boilerplate, not evidence


def _sentence_key(sentence: str) -> str:
    """A sentence reduced for duplicate comparison: letters and digits only, lower case."""
    return " ".join(re.sub(r"[\W_]+", " ", sentence.casefold()).split())


def merge_duplicates(articles: list[Article], report: WarningHandler) -> list[Article]:
    """Keep the first of articles with the same (or ≥90% shared) sentences; record the others."""
    kept: list[Article] = []
    kept_keys: list[set[str]] = []
    by_fingerprint: dict[str, int] = {}
    postings: dict[str, list[int]] = {}
    for article in articles:
        keys_in_order = [k for k in map(_sentence_key, article.sentences) if k]
        keys = set(keys_in_order)
        fingerprint = hashlib.sha1("\n".join(keys_in_order).encode()).hexdigest()
        match = by_fingerprint.get(fingerprint)
        if match is None:
            shared: Counter[int] = Counter()
            for key in keys:
                shared.update(postings.get(key, ()))
            for candidate, count in shared.most_common(3):
                if count / max(len(keys), len(kept_keys[candidate]), 1) >= _NEAR_DUPLICATE_SHARE:
                    match = candidate
                    break
        if match is not None:
            kept[match].duplicates.append(article.path)
            report(f"merged {article.path} into {kept[match].path}: same article")
            continue
        position = len(kept)
        kept.append(article)
        kept_keys.append(keys)
        by_fingerprint[fingerprint] = position
        for key in keys:
            posting = postings.setdefault(key, [])
            if len(posting) < _MAX_POSTINGS:
                posting.append(position)
    return kept
