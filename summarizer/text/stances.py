"""A sentence's stance on a claim of guilt or legality: whether it asserts or denies it, and what
the claim is about (responsibility, legality). Read by the parties' dispute detector
(`align/detectors/disputes`) and, with the speaker of the cue (`claims.claim_speaker`), by the
veracity detector, which leaves a party's denial of guilt to the parties' dispute.
"""

from __future__ import annotations

import re

__all__ = ["claim_frame", "first_cue_match", "stance", "stance_cue_span"]

# (cue, stance, frame). Deny cues are checked first: "wrong to blame" holds "blame". The frame
# says what is in dispute, so that a denial of legality is never set against a claim of guilt.
_STANCE_CUES: tuple[tuple[str, str, str], ...] = (
    (r"not responsible|no (?:firm )?evidence|not shown any evidence|no proof|where is the proof|"
     r"wrong to blame|not to blame|without knowing the facts|without a proper investigation|"
     r"stag(?:e|ed|ing)|fabricat\w+|baseless|unfounded|not proven|denies|denied|deny",
     "deny", "responsibility"),
    (r"illegal|unlawful|violation of international law|aggression|illegitimate|"
     r"breach of international law", "deny", "legality"),
    (r"reject(?:s|ed)?|dismiss(?:es|ed)?|absurd|nonsense|ridiculous", "deny", "general"),
    (r"(?:is|was|were|are) responsible|behind the|to blame|blames?d?|accuse[sd]?|confident|no doubt|"
     r"carried out|carrying out|orchestrated|planned it|culprit|guilty", "assert", "responsibility"),
    (r"punish\w*|in response to|justified|legitimate target|self-defen[cs]e", "assert", "legality"),
)
_STANCE_PATTERNS = [(re.compile(rf"\b(?:{cue})\b", re.I), st, fr) for cue, st, fr in _STANCE_CUES]


def _first_cue(text: str) -> tuple[str, str] | None:
    for pattern, which, frame in _STANCE_PATTERNS:
        if pattern.search(text):
            return which, frame
    return None


def first_cue_match(text: str) -> re.Match[str] | None:
    """The first stance cue the sentence holds, deny cues first (`_STANCE_CUES`), or None."""
    for pattern, _which, _frame in _STANCE_PATTERNS:
        match = pattern.search(text)
        if match:
            return match
    return None


def stance_cue_span(text: str) -> tuple[int, int] | None:
    """Where the cue that decides the stance sits in the text (start, end), or None."""
    match = first_cue_match(text)
    return match.span() if match else None


def stance(text: str) -> str | None:
    """"deny" when the sentence rejects a claim (denies, no evidence, illegal, ...), "assert" when
    it makes one (blames, accuses, confident, no doubt ...), else None."""
    cue = _first_cue(text)
    return cue[0] if cue else None


def claim_frame(text: str) -> str | None:
    """What the stance is about: "responsibility", "legality", "general", or None without a stance."""
    cue = _first_cue(text)
    return cue[1] if cue else None
