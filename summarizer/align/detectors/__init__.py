"""Disagreement detectors: the one table a new kind of disagreement is added to.

Each detector reads the aligned sentences (`DetectorInput`) and returns the disagreements of one
kind of evidence:

    figures   sources state different figures for one measure of one topic   (sources_conflict)
    dates     one claim, a different date or duration                         (sources_conflict)
    verbs     one claim, opposite verbs ("vetoed" / "backed")                 (sources_conflict)
    shares    one claim, a different percentage or number of people          (sources_conflict)
    quotes    one quote attributed to different speakers by different sources (sources_conflict)
    veracity  some sources report as fact what others call false or doubtful  (sources_conflict)
    disputes  parties assert and deny one claim, as the sources report them   (parties_dispute)

`find_disagreements` runs them all and orders the result: conflicts between the sources first,
then the parties' disputes, each by where it first occurs.
"""

from __future__ import annotations

from ...models import Disagreement
from .base import Detector, DetectorInput
from .claims import date_conflicts, share_conflicts, verb_conflicts
from .disputes import party_disputes
from .figures import figure_conflicts
from .quotes import quote_conflicts
from .veracity import veracity_conflicts

__all__ = ["DETECTORS", "Detector", "DetectorInput", "find_disagreements"]

DETECTORS: tuple[Detector, ...] = (figure_conflicts, date_conflicts, verb_conflicts, share_conflicts,
                                   quote_conflicts, veracity_conflicts, party_disputes)


def find_disagreements(found: DetectorInput, detectors: tuple[Detector, ...] = DETECTORS) -> list[Disagreement]:
    """Every disagreement the detectors find, conflicts between sources first, in a stable order."""
    if not found.nodes:
        return []
    every = [disagreement for detect in detectors for disagreement in detect(found)]

    def key(d: Disagreement) -> tuple[int, int, str]:
        return d.positions[0].citations[0].source, d.positions[0].citations[0].sentence, d.topic

    conflicts = [d for d in every if d.kind == "sources_conflict"]
    disputes = [d for d in every if d.kind == "parties_dispute"]
    return sorted(conflicts, key=key) + sorted(disputes, key=key)
