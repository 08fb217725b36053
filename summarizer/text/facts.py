"""Checkable details of a sentence: numbers, quantities, quotes, the speaker and the stance.

Shared by `align` (finding conflicting figures) and by the support test (a statement's numbers
must all appear in the sentence it cites). Pure functions over one sentence, rule-based and
deterministic. Quotes, attribution and stance live in `claims`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["MEASURE_CLASSES", "MONTHS", "NUMBER_WORD_ALTERNATION", "Quantity", "extract_numbers", "extract_quantities"]

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen twenty").split()
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS)}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                     "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12})
_ORDINAL_LIST = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
                 "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
                 "twentieth").split()
ORDINAL_WORDS: dict[str, int] = {w: i + 1 for i, w in enumerate(_ORDINAL_LIST)}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

# Vague quantifiers as the ranges a reader would take them for; wide on purpose, so that
# "scores" is only ever set against figures that are clearly different.
VAGUE_RANGES: dict[str, tuple[float, float]] = {
    "dozens": (24, 99), "scores": (40, 199), "hundreds": (200, 999), "thousands": (2_000, 9_999),
    "several": (3, 9), "a few": (2, 5), "a handful": (2, 6), "a dozen": (12, 12),
}

# Counted noun (or nearby verb) -> measure class. Deaths and injuries are kept apart: "12 killed"
# and "30 wounded" are two facts, not a conflict.
MEASURE_CLASSES: dict[str, str] = {}
for _cls, _words in {
    "killed": "killed dead deaths death died dying lives fatalities toll slaughter massacred "
              "massacre bodies perished",
    "wounded": "wounded injured injuries hurt casualties",
    "people": "people civilians victims children persons residents men women",
    "missiles": "missiles missile rockets rocket tomahawks tomahawk projectiles",
    "strikes": "strikes airstrikes raids sorties bombs",
    "attacks": "attacks",
    "times": "times time",
    "years": "years year",
    "months": "months month",
    "weeks": "weeks week",
    "days": "days day",
    "hours": "hours hour",
    "percent": "percent per cent %",
}.items():
    for _word in _words.split():
        MEASURE_CLASSES[_word] = _cls
# "people"/"civilians" count the dead when the sentence speaks of deaths ("87 civilians were
# killed"), otherwise they are just a head count.
_DEATH_CONTEXT = re.compile(r"\b(?:kill\w*|dead|deaths?|died|dying|slaughter\w*|massacr\w*|lives|"
                            r"fatalit\w*|perish\w*|toll)\b", re.I)

_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("more than", ">"), ("over", ">"), ("upwards of", ">"), ("in excess of", ">"),
    ("at least", ">="), ("no fewer than", ">="), ("no less than", ">="),
    ("nearly", "~<"), ("almost", "~<"), ("close to", "~<"), ("just under", "~<"),
    ("fewer than", "<"), ("less than", "<"), ("under", "<"), ("up to", "<="), ("at most", "<="),
    ("about", "~"), ("around", "~"), ("approximately", "~"), ("roughly", "~"), ("some", "~"),
    ("an estimated", "~"), ("estimated", "~"),
)
_QUALIFIER_RE = re.compile(r"(?:" + "|".join(re.escape(q) for q, _ in _QUALIFIERS) + r")\s+$", re.I)
_QUALIFIER_KIND = dict(_QUALIFIERS)

MONTHS = ("january february march april may june july august september october november "
          "december jan feb mar apr jun jul aug sep sept oct nov dec").split()
# The number words (cardinal and ordinal) as one regex alternation, longest first.
NUMBER_WORD_ALTERNATION = "|".join(sorted(list(NUMBER_WORDS) + list(ORDINAL_WORDS), key=len, reverse=True))
_VAGUE_ALT = "|".join(re.escape(v) for v in sorted(VAGUE_RANGES, key=len, reverse=True))
_NUMBER_TOKEN = re.compile(
    rf"(?P<digits>\d[\d,]*(?:\.\d+)?)(?P<suffix>st|nd|rd|th)?(?:\s*(?P<scale>thousand|million|billion))?"
    rf"|\b(?P<word>{NUMBER_WORD_ALTERNATION})\b(?:\s+(?P<wscale>thousand|million|billion))?"
    rf"|\b(?P<vague>{_VAGUE_ALT})\b",
    re.I,
)
_WORD = re.compile(r"[A-Za-z%]+(?:-[A-Za-z]+)*|%")
# "one" followed by a verb or "of"/"another" is the pronoun ("one could say", "one of them").
_PRONOUN_ONE = re.compile(
    r"\s+(?:could|can|cannot|can't|would|should|might|may|must|will|shall|is|was|has|had|does|did|"
    r"of|another|another's|says|said|sees|knows|thinks|gets)\b", re.I)


@dataclass(frozen=True)
class Quantity:
    """A stated quantity: its value range, qualifier, counted noun and measure class."""

    value: float | None  # the figure as written; None for a vague quantifier ("scores")
    low: float  # the range the statement allows
    high: float
    qualifier: str | None  # "more than", "nearly", ... as written, lower-cased
    noun: str | None  # the counted noun or casualty verb that gave the measure class
    measure: str | None  # class from MEASURE_CLASSES, "date", or None when unknown
    text: str  # the span as written, e.g. "more than 80 civilians"

    @property
    def figure(self) -> str:
        """The figure as stated, normalised: "80", ">80", "~<100", "scores"."""
        if self.value is None:
            match = re.search(_VAGUE_ALT, self.text, re.I)
            return match.group(0).lower() if match else self.text.lower()
        return _QUALIFIER_KIND.get(self.qualifier or "", "") + _format_number(self.value)

    def compatible(self, other: Quantity) -> bool:
        """Whether both can be true of the same fact (their ranges overlap)."""
        return self.low <= other.high and other.low <= self.high


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _number_value(match: re.Match[str]) -> float | None:
    """The numeric value of a _NUMBER_TOKEN match (None for vague quantifiers)."""
    if match.group("digits"):
        value = float(match.group("digits").replace(",", ""))
        scale = match.group("scale")
    elif match.group("word"):
        word = match.group("word").lower()
        if word == "one" and _PRONOUN_ONE.match(match.string, match.end()):
            return None  # "one could say", "one of the", "no one": a pronoun, not a figure
        value = float(NUMBER_WORDS.get(word, ORDINAL_WORDS.get(word, 0)))
        scale = match.group("wscale")
    else:
        return None
    return value * _SCALES[scale.lower()] if scale else value


def extract_numbers(text: str) -> set[str]:
    """Every number stated, normalised: digits without separators, number and ordinal words as digits.

    "1,000" -> "1000", "04" -> "4", "4.5" -> "4.5", "eighth" -> "8", "two million" -> "2000000".
    Years and day numbers count. Vague quantifiers ("scores") are not numbers.
    """
    numbers: set[str] = set()
    for match in _NUMBER_TOKEN.finditer(text):
        value = _number_value(match)
        if value is None:
            continue
        numbers.add(_format_number(value))
    return numbers


def _measure_of(words_after: list[str], words_before: list[str], sentence: str) -> tuple[str | None, str | None]:
    """The counted noun and its measure class: the known word nearest the number, after it first
    ("killed 12 and wounded 30": 12 goes with "killed", 30 with "wounded")."""
    before = words_before[-3:][::-1]
    after = words_after[:4]
    nearest_first = [w for pair in zip(after + [""] * 4, before + [""] * 4) for w in pair if w]
    for word in nearest_first:
        lowered = word.lower()
        cls = MEASURE_CLASSES.get(lowered) or MEASURE_CLASSES.get(lowered.split("-")[-1])
        if cls is None:
            continue
        if cls == "people" and _DEATH_CONTEXT.search(sentence):
            return lowered, "killed"
        return lowered, cls
    return None, None


# An age, not a headcount: "people younger than 65", "children under 5", "aged 41", "ages 18 to 24".
_AGE_BEFORE = re.compile(r"\b(?:younger|older)\s+than\s*$|\b(?:aged?|ages|under|over)\s*$", re.IGNORECASE)


def _is_age(before_text: str, words_before: list[str]) -> bool:
    """Whether the number is an age by the words just before it. "Under" and "over" count as such
    only after a person noun ("children under 5"; "under 500 homes" is a count)."""
    tail = before_text[-25:]
    if _AGE_BEFORE.search(tail) is None:
        return False
    last = words_before[-1].lower() if words_before else ""
    if last not in ("under", "over"):
        return True
    noun = words_before[-2].lower() if len(words_before) > 1 else ""
    return MEASURE_CLASSES.get(noun) == "people"


def _is_date(match: re.Match[str], value: float, words_before: list[str], words_after: list[str]) -> bool:
    """"April 4", "4 April", "2017": a point in time, not a count."""
    next_word = words_after[0].lower() if words_after else ""
    previous = words_before[-1].lower() if words_before else ""
    is_year = bool(match.group("digits")) and 1900 <= value <= 2100 and "," not in match.group(0)
    return previous in MONTHS or next_word in MONTHS or is_year


def extract_quantities(text: str) -> list[Quantity]:
    """The quantities a sentence states, with qualifier, range, counted noun and measure class."""
    quantities: list[Quantity] = []
    for match in _NUMBER_TOKEN.finditer(text):
        value = _number_value(match)
        if value is None and not match.group("vague"):
            continue  # a word that only looks like a number ("one could say")
        before_text, after_text = text[: match.start()], text[match.end():]
        words_before = _WORD.findall(before_text[-60:])
        words_after = _WORD.findall(after_text[:60].split(".")[0])
        noun: str | None
        measure: str | None
        if value is not None and _is_date(match, value, words_before, words_after):
            previous = words_before[-1].lower() if words_before else ""
            noun, measure = (previous if previous in MONTHS else None), "date"
        elif _is_age(before_text, words_before):
            noun, measure = None, None
        else:
            noun, measure = _measure_of(words_after, words_before, text)
        qualifier_match = _QUALIFIER_RE.search(before_text[-25:]) if value is not None else None
        qualifier = qualifier_match.group(0).strip().lower() if qualifier_match else None
        if value is None:
            low, high = VAGUE_RANGES[match.group("vague").lower()]
        else:
            low, high = _range(value, qualifier)
        span_start = match.start() - (len(qualifier_match.group(0)) if qualifier_match else 0)
        span_end = match.end()
        if noun and noun in [w.lower() for w in words_after[:4]]:
            span_end = match.end() + after_text.lower().find(noun) + len(noun)
        quantities.append(Quantity(value=value, low=low, high=high, qualifier=qualifier, noun=noun,
                                   measure=measure, text=text[span_start:span_end].strip(" ,;:")))
    return quantities


def _range(value: float, qualifier: str | None) -> tuple[float, float]:
    """The interval a qualified figure allows; an exact figure is the point itself."""
    kind = _QUALIFIER_KIND.get(qualifier or "", "")
    if kind == ">":
        return value + 1e-9, math.inf
    if kind == ">=":
        return value, math.inf
    if kind == "<":
        return 0.0, value - 1e-9
    if kind == "<=":
        return 0.0, value
    if kind == "~<":  # "nearly 100": below it, within ~10 %
        return value * 0.9, value - 1e-9
    if kind == "~":
        return value * 0.9, value * 1.1
    return value, value
