"""Words as the lexical comparisons see them: normalised, stopwords dropped, lightly stemmed.

Shared by the TF-IDF similarity, the support test (content words and names a statement shares with
a sentence) and alignment's claim anchors. Deterministic and dependency-free.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["STEM_LENGTH", "STOPWORDS", "content_terms", "normalize_text", "stem"]

# Function words plus the reporting verbs and news filler that every sentence of a report shares;
# left in, they make unrelated sentences look alike ("X said ..." vs "Y said ...").
STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves us
    said says say saying told added according mr ms mrs also however meanwhile would could one
    """.split()
)

_CURLY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                        "\u2014": "-", "\u2026": "..."})
# Abbreviations whose dots would otherwise split them into letters; "US" must not become the
# pronoun "us" (a stopword), so the country gets its own token.
_ABBREVIATIONS = (
    (re.compile(r"\bU\.\s?S\.(?:\s?A\.)?|\bUS\b|\bUSA\b"), " usa "),
    (re.compile(r"\bU\.\s?N\.|\bUN\b"), " un "),
    (re.compile(r"\bU\.\s?K\.|\bUK\b"), " uk "),
)
_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
_POSSESSIVE = re.compile(r"'s\b")

# Longest first: the first suffix that leaves a stem of >= 3 letters is stripped.
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ational", "ate"), ("ations", "ate"), ("ation", "ate"), ("ments", ""), ("ment", ""),
    ("ingly", ""), ("edly", ""), ("ings", ""), ("ing", ""), ("ies", "y"), ("ied", "y"),
    ("ian", "ia"), ("ness", ""), ("ers", ""), ("ed", ""), ("es", ""), ("ly", ""), ("er", ""),
    ("s", ""), ("e", ""),
)
# Prefix length kept after suffix stripping: six letters still separates most content words in
# news ("militia"/"military" aside) while merging transliterations and inflections that survive
# the suffix rules ("sheikhoun"/"sheikhun" -> "sheikh", "deteriorated"/"deteriorating" -> "deteri").
STEM_LENGTH = 6


def normalize_text(text: str) -> str:
    """Lowercase, straighten curly quotes and dashes, drop possessives, keep "US"/"UN" as words."""
    text = text.translate(_CURLY)
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    text = _POSSESSIVE.sub(" ", text.lower())
    # Other apostrophes are contractions or plural possessives: join rather than split the word.
    return text.replace("'", "")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light, deterministic stemmer: strip one common suffix, then keep a short prefix."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: len(word) - len(suffix)] + replacement
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word[:STEM_LENGTH]


def content_terms(text: str) -> list[str]:
    """The stemmed non-stopword tokens of a text, in order."""
    return [stem(tok) for tok in _TOKEN.findall(normalize_text(text)) if tok not in STOPWORDS]
