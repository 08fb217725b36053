"""Whether a sentence says that something is not so: a verdict that a report is false or doubtful
(`veracity_cue`, `calls_false`), a negation (`negates`) and the words a negation or a denial
applies to (`negated_spans`). Rule-based, like `claims`: news copy calls a report false in a
handful of fixed shapes ("a hoax", "not true", "rejected as false", "cast doubt on whether").
"""

from __future__ import annotations

import re

from .claims import outside_quotes

__all__ = ["NEGATION_SCOPE_WORDS", "calls_false", "negated_spans", "negates", "veracity_cue"]

# A source that calls a report false, a hoax, satire or unconfirmed, in its own words or a party's.
# Doubt counts only when it is about whether a report holds ("cast doubt on whether the blast was a
# meteorite"): "no doubt" asserts, "had his doubts" is a feeling, "doubts on prospects for detente"
# is about the future. "Rumoured" is left out: "was rumoured to be the finalist" reports an earlier
# state, not a refutation.
# Two kinds: a verdict that the report is false ("a hoax", "not true", "fabricated"), and doubt
# ("unconfirmed", "skeptical"), which a story that vouches for the report may quote from a party.
# "Satire" only as a verdict ("the story is satire", "a satire website", another "satire"
# publication), not the genre of a show ("the presidential debate satire" of a comedy sketch).
_SATIRE = (r"(?:is|was|are|were|as) (?:an? )?(?:piece of |work of )?satire|"
           r"satire[\"\u201d\u2019']?\s*(?:site|website|web site|publication|outlet|news|piece|article|story|blog)s?")
_FALSITY_CUES = (rf"hoax(?:es)?|bogus|untrue|not true|debunk(?:s|ing)?|(?:been|was|were|is|are) debunked|{_SATIRE}|"
                 r"rubbish|rumou?rs? that|spoof\w*|prank\w*|fabricat\w*|unfounded|baseless|no evidence|not real|"
                 r"retract\w*|withdrawn|urban legend|falsely|faked|faking|no truth (?:to|in)|"
                 r"(?:rejected|dismissed|denounced|branded) (?:\w+ ){0,3}?as "
                 r"(?:false|untrue|fake|(?:mere |idle )?(?:rumou?rs?|speculation))|"
                 r"deni(?:ed|es)\s+(?:the\s+|that|reports?|claims?|rumou?rs?|it|any)")
_DOUBT_CUES = (r"unconfirmed|unverified|doubtful|"
               r"doubts? (?:about |over |on )?(?:whether|the (?:claim|report|story|account)s?)|"
               r"skeptic\w*|sceptic\w*|downplay\w*|precludes?|questioned whether")
_REFUTATION = re.compile(rf"\b(?:{_FALSITY_CUES}|{_DOUBT_CUES})\b", re.I)
_FALSITY = re.compile(rf"\b(?:{_FALSITY_CUES})\b", re.I)
# Adjectives that refute only when they qualify a report ("a fake news story", "the claim is
# false", "a satirical website"); "the false choice", "a fake horse", "fake news sites" (the
# phenomenon) and "a satirical thrash band" refute nothing.
_REPORT_NOUNS = (r"news (?:stor(?:y|ies)|reports?)|stor(?:y|ies)|reports?|claims?|articles?|sites?|websites?|"
                 r"rumou?rs?|accounts?|videos?|photos?|images?|headlines?|tweets?|posts?|publications?|information")
_REFUTING_ADJECTIVE = re.compile(
    r"\b(?:fake|false|phony|satirical|fictional|made[- ]up|inaccurate|erroneous)\b"
    rf"(?=\s*(?:[.,;:!?)\u201d\"\u2014-]|$|and\b|or\b|but\b|(?:{_REPORT_NOUNS})\b))",
    re.I,
)
# "not a hoax", "leave no doubt about": the cue is itself denied, so the sentence vouches for the report.
_REFUTATION_DENIED = re.compile(
    r"\b(?:not|no|isn[\u2019']t|wasn[\u2019']t)\s+(?:a\s+)?(?:hoax|fake|false|prank|rumou?r|doubts?)\b", re.I)
# "not only ... but", "not just", "not least", "not to mention" add to what they qualify instead of
# negating it: "open to dialogue, not only to dialogue but to joint action" asserts the dialogue.
_NEGATION = re.compile(r"\b(?:not(?!\s+(?:only|just|merely|least|to\s+mention)\b)|never|no|cannot)\b|n[\u2019']t\b",
                       re.I)
_DENIAL = re.compile(r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|refut(?:e|es|ed|ing))\b",
                     re.I)


def veracity_cue(text: str) -> str | None:
    """The words by which a sentence calls a report false or unconfirmed ("a hoax", "cast doubt"),
    or None; a denied cue ("not a hoax") is no refutation, and a question ("Is it a medieval fake
    or a relic?") asks rather than says."""
    if _REFUTATION_DENIED.search(text) or "?" in outside_quotes(text):
        return None
    match = _REFUTATION.search(text) or _REFUTING_ADJECTIVE.search(text)
    return match.group(0) if match else None


def calls_false(text: str) -> bool:
    """Whether the sentence has a veracity cue and it is a verdict that the report is false ("a
    hoax", "not true", "a fake story"), not only doubt about it ("skeptical", "unconfirmed")."""
    return veracity_cue(text) is not None and bool(_FALSITY.search(text) or _REFUTING_ADJECTIVE.search(text))


def negates(text: str) -> bool:
    """Whether the sentence says something is not so ("has not been banned", "never happened")."""
    return bool(_NEGATION.search(text))


# Words after a negation or a denial that it applies to ("denied [the Russian role in]").
NEGATION_SCOPE_WORDS = 4


def negated_spans(text: str) -> list[str]:
    """The words each negation or denial applies to: the few words after "not", "never",
    "denied", "rejected" ... ("Lavrov denied the Russian role" -> ["the Russian role in"])."""
    spans = []
    for pattern in (_NEGATION, _DENIAL):
        for match in pattern.finditer(text):
            spans.append(" ".join(text[match.end():].split()[:NEGATION_SCOPE_WORDS]))
    return spans
