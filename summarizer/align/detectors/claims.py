"""One claim, opposed values: sentences of different sources that say the same thing but for one
value (`sources_conflict`).

Three detectors share the method and differ in the value they compare:

    dates      a different date or duration   ("on April 4" / "on April 5", "three hours" / "five")
    verbs      an opposite verb               ("vetoed" / "backed", "raised" / "cut", "won" / "lost")
    shares     a different share or headcount ("40 % are satisfied" / "52 % are satisfied")

A pair is compared only when, with the compared value blanked in both, each sentence bears the
other out (the support test every citation passes: figures, names, content words, negation, who
said it). Similarity alone cannot find these pairs: a contradiction scores like a paraphrase
(bench/calibration), so it only proposes pairs (through its blocked pairs, never all pairs) and the
support test decides. Sentences that name different speakers report parties, not sources, and are
left to the parties' dispute detector; a sentence that states two values of one kind, or both
verbs of a pair, or negates the verb, cannot take a side.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from functools import partial

from ...models import Disagreement
from ...text.claims import named_speaker, outside_quotes
from ...text.facts import MONTHS, NUMBER_WORD_ALTERNATION, Quantity
from ...text.refutation import negated_spans
from ...text.support import check_support
from ..nodes import SentenceNode, citations_of, source_labels
from .base import DetectorInput
from .common import UnionFind, event_phrase, sort_key, source_position

__all__ = ["date_conflicts", "share_conflicts", "verb_conflicts"]

# Durations compared across sources (facts.MEASURE_CLASSES), and how a topic names them.
DURATIONS = {"years": "years", "months": "months", "weeks": "weeks", "days": "days", "hours": "hours"}
# Measures a story states many figures of, about different things ("only 40 % of singles are
# satisfied" / "82 % of couples were"; "1,885 people in monogamous relationships" / "4,000 people
# polled"): a different figure is a conflict only in one claim. Compared by topic alone (as the
# death tolls are, detectors/figures.py), they gave all five conflicts found on the 60 Multi-News
# dev clusters, each between two different things.
SHARE_MEASURES = {"percent": "Percentage", "people": "Number of people"}
# Sources shown per value: enough to show who says what, few enough to read (a syndicated sentence
# can stand in hundreds of reports).
MAX_SOURCES_PER_VALUE = 3
# Verbs of opposite outcome, as the word forms a report uses in its own voice. Each pair is
# (name, forms) for one side and the other. Forms that mean the other thing in a phrase are kept
# out: "backed out" is a withdrawal, "US-backed" an adjective, "lost his life" a death, "dropped
# out" a withdrawal, "cut off" another verb.
OPPOSITE_VERBS: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = (
    (("vetoed", r"vetoe?[ds]?|vetoing"),
     ("backed", r"(?<![-\w])(?:backed|supported|approved|adopted|endorsed)(?! (?:out|away|off|down|by)\b)")),
    (("raised", r"raised|raises|increased|hiked"),
     ("cut", r"cut(?! (?:off|out|short)\b)|cuts|lowered|reduced|decreased|slashed")),
    (("rose", r"rose|risen|climbed|jumped|soared"),
     ("fell", r"fell|fallen|dropped(?! (?:out|off|by)\b)|declined|plunged|slumped")),
    (("won", r"won|wins"),
     ("lost", r"lost(?! (?:his|her|their|its|your|my) (?:life|lives|way|home|homes|job|jobs)\b)|loses")),
    (("convicted", r"convicted|found guilty"),
     ("acquitted", r"acquitted|cleared|found not guilty")),
    (("accepted", r"accepted|agreed to"),
     ("rejected", r"rejected|refused|turned down|declined")),
)
_VERB_PATTERNS = [(tuple(re.compile(rf"\b(?:{forms})\b", re.IGNORECASE) for _name, forms in pair),
                   tuple(name for name, _forms in pair)) for pair in OPPOSITE_VERBS]
_ANY_VERB = re.compile(r"\b(?:" + "|".join(forms for pair in OPPOSITE_VERBS for _name, forms in pair) + r")\b",
                       re.IGNORECASE)
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_MONTH_OR_DAY = re.compile(r"\b(?:" + "|".join(sorted(MONTHS + _WEEKDAYS, key=len, reverse=True)) + r")\b\.?",
                           re.IGNORECASE)
_NUMBER = re.compile(r"\b\d[\d,.]*(?:st|nd|rd|th)?\b|\b(?:" + NUMBER_WORD_ALTERNATION + r")\b", re.IGNORECASE)
_BLANK = "such"  # a function word: blanked values say nothing either way
_NUMBER_BLANK = "so"


def date_conflicts(found: DetectorInput) -> list[Disagreement]:
    """One claim, a different date or a different duration (of one kind) across sources."""
    disagreements = []
    for kind, of_node in _one_value_each(found.nodes, _date_or_duration).items():
        label = "Date" if kind in ("date", "year") else f"Duration in {DURATIONS[kind]}"
        disagreements += _conflicts(found, of_node, _blank_dates, partial(_of_the_event, label))
    return disagreements


def _date_or_duration(quantity: Quantity) -> tuple[str, str] | None:
    """(kind, value) of a date, a year or a duration in whole units; None for anything else."""
    if quantity.value is None or quantity.value != int(quantity.value):
        return None
    value = int(quantity.value)
    # "April 4" and "2017" are dates of different grain: compared only with their kind.
    if quantity.measure == "date" and quantity.noun and 1 <= value <= 31:
        return "date", f"{quantity.noun} {value}"
    if quantity.measure == "date" and not quantity.noun and 1000 <= value <= 2100:
        return "year", str(value)
    if quantity.measure in DURATIONS:
        # By the number: "nearly two hours" and "two hours" tell the same length.
        return quantity.measure, str(value)
    return None


def share_conflicts(found: DetectorInput) -> list[Disagreement]:
    """One claim, a different percentage or number of people across sources."""
    disagreements = []
    for measure, of_node in _one_value_each(found.nodes, _share).items():
        disagreements += _conflicts(found, of_node, _blank_numbers, partial(_of_the_event, SHARE_MEASURES[measure]))
    return disagreements


def _share(quantity: Quantity) -> tuple[str, str] | None:
    """(measure, figure) of a percentage or a number of people; None for anything else."""
    return (quantity.measure, quantity.figure) if quantity.measure in SHARE_MEASURES else None


def _one_value_each(nodes: Sequence[SentenceNode], value_of: Callable[[Quantity], tuple[str, str] | None]
                    ) -> dict[str, dict[int, Hashable]]:
    """Kind -> node -> its value, for the nodes that state exactly one value of that kind (`value_of`
    reads a quantity's kind and value): a sentence stating two cannot take a side."""
    values: dict[str, dict[int, Hashable]] = defaultdict(dict)
    for k, node in enumerate(nodes):
        stated: dict[str, set[str]] = defaultdict(set)
        for quantity in node.quantities:
            if (kind_value := value_of(quantity)) is not None:
                stated[kind_value[0]].add(kind_value[1])
        for kind, found in stated.items():
            if len(found) == 1:
                values[kind][k] = next(iter(found))
    return values


def _of_the_event(label: str, texts: list[str]) -> str:
    """ "Date of the chemical attack": what the value is of, named from the sentences."""
    return f"{label} of {event_phrase(texts)}"


def verb_conflicts(found: DetectorInput) -> list[Disagreement]:
    """One claim, opposite verbs across sources ("vetoed" / "backed")."""
    disagreements = []
    # Most sentences have none of the verbs: one pattern for all of them finds those that do.
    own_voices = {k: voice for k, node in enumerate(found.nodes)
                  if _ANY_VERB.search(voice := outside_quotes(node.text))}
    for patterns, names in _VERB_PATTERNS:
        of_node: dict[int, Hashable] = {}
        for k, own_voice in own_voices.items():
            node = found.nodes[k]
            sides = [side for side, pattern in enumerate(patterns) if pattern.search(own_voice)]
            if len(sides) == 1 and not _negated(node.text, patterns[sides[0]]):
                of_node[k] = sides[0]

        def blank(text: str, patterns: tuple[re.Pattern[str], ...] = patterns) -> str:
            for pattern in patterns:
                text = pattern.sub(_BLANK, text)
            return text

        disagreements += _conflicts(found, of_node, blank, partial(_which_verb, names))
    return disagreements


def _which_verb(names: tuple[str, ...], _texts: list[str]) -> str:
    return f"Whether it was {names[0]} or {names[1]}"


def _negated(text: str, pattern: re.Pattern[str]) -> bool:
    """Whether the verb stands under a negation ("did not veto"): the sentence then takes no side
    ("did not veto" is not "backed")."""
    return any(pattern.search(span) for span in negated_spans(text))


def _blank_dates(text: str) -> str:
    """The text with its dates, days and numbers set aside, each month, day and number by a blank
    of its own kind: two sentences that make one claim leave the same blanks in the same order
    ("took place on April 4" and "on April 5"), where a sentence with a date more, a figure less or
    its dates in another order ("on April 12 ... on 4" and "on 12 ... on April 4") does not."""
    return _NUMBER.sub(_NUMBER_BLANK, _MONTH_OR_DAY.sub(_BLANK, text))


def _blank_numbers(text: str) -> str:
    """The text with each number (in figures or words) set aside by a blank of its own."""
    return _NUMBER.sub(_NUMBER_BLANK, text)


def _conflicts(found: DetectorInput, of_node: dict[int, Hashable], blank: Callable[[str], str],
               topic: Callable[[list[str]], str]) -> list[Disagreement]:
    """Disagreements among the nodes of `of_node` (node -> the value it states): pairs of different
    sources and values that make one claim once `blank` sets the value aside, grouped."""
    nodes = found.nodes
    subset = sorted(of_node)
    if len(subset) < 2:
        return []
    labels = source_labels(nodes)[subset]
    blanked: dict[int, str] = {}
    components = UnionFind(subset)
    linked: set[int] = set()
    for rows, cols, _cosines in found.similarity.pair_blocks(found.vectors[subset], found.similarity.thresholds.floor,
                                                              groups=labels):
        for a, b in zip(rows.tolist(), cols.tolist()):
            i, j = subset[a], subset[b]
            if of_node[i] == of_node[j]:
                continue
            for k in (i, j):
                if k not in blanked:
                    blanked[k] = blank(nodes[k].text)
            if _blanks(blanked[i]) != _blanks(blanked[j]):
                continue  # one states a value more than the other: not one claim with two values
            if _one_claim(nodes[i], nodes[j], blanked[i], blanked[j]):
                components.union(i, j)
                linked |= {i, j}
    disagreements = []
    for component in components.components():
        members = [k for k in component if k in linked]
        if not members:
            continue
        by_value: dict[Hashable, list[int]] = defaultdict(list)
        for k in members:
            by_value[of_node[k]].append(k)
        sources = {c.source for group in by_value.values() for c in citations_of(nodes, group)}
        if len(by_value) < 2 or len(sources) < 2:
            continue
        positions = [source_position(nodes, group, source)
                     for _value, group in sorted(by_value.items(), key=lambda item: sort_key(nodes, item[1]))
                     for source in sorted({s for k in group for s in nodes[k].sources})[:MAX_SOURCES_PER_VALUE]]
        disagreements.append(Disagreement(topic=topic([nodes[k].text for k in members]), kind="sources_conflict",
                                          positions=positions))
    return disagreements


def _blanks(text: str) -> tuple[str, ...]:
    """The blanks of a blanked text, in order."""
    return tuple(word for word in re.findall(r"\w+", text.lower()) if word in (_BLANK, _NUMBER_BLANK))


def _one_claim(a: SentenceNode, b: SentenceNode, first: str, second: str) -> bool:
    """The two sentences make one claim apart from the value blanked in `first` and `second`, in
    the same voice."""
    said_a, said_b = named_speaker(a.text) or a.speaker, named_speaker(b.text) or b.speaker
    if said_a and said_b and said_a != said_b:
        return False  # parties contradicting each other, as reported: not the sources
    return (check_support(first, second, speaker=b.speaker).supported
            and check_support(second, first, speaker=a.speaker).supported)

