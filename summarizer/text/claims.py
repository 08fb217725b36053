"""Who says what: quoted spans and the named speaker of a sentence (its stance on a claim: `stances`).

Rule-based on purpose: news copy attributes with a handful of fixed shapes (`"...," X said`,
`X said ...`, `said X`, `X, a <role>, said`), and a rule that misses is safer than a model that
guesses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from .sentences import ATTRIBUTION_VERBS
from .stances import first_cue_match

__all__ = [
    "PRONOUNS",
    "REMARK_WORDS",
    "attributed_speaker",
    "claim_speaker",
    "context_speaker",
    "extract_quotes",
    "named_speaker",
    "outside_quotes",
    "quote_speaker",
    "remark_has_speaker",
    "single_quoted",
    "speakers",
    "unnamed_attribution",
]

_QUOTED = re.compile(r"\u201c([^\u201c\u201d]+)\u201d|\"([^\"]+)\"")

REPORTING_VERBS = (
    "said says told added warned insisted noted stressed declared described accused accuses "
    "denied denies deny rejected rejects dismissed dismisses labelled labeled called argued "
    "claimed claims repeated suggested stated asserted admitted deplored urged blamed blames "
    "maintained acknowledged announced explained wrote tweeted confirmed charged countered "
    "responded replied vowed"
).split()
_VERB_ALT = "|".join(REPORTING_VERBS)
PRONOUNS = frozenset("he she it they we i you this that who which there nobody everyone someone anyone".split())
# Capitalised words that open sentences or name roles, never the speaker themselves.
_NOT_NAMES = frozenset(
    """the a an but and or so yet if when while after before as at in on for from with by
    however meanwhile speaking later earlier then also mr mrs ms dr president minister secretary
    spokesman spokeswoman spokesperson ambassador official officials representative envoy""".split()
)
_NAME_TOKEN = r"(?:[A-Z][\w\u2019'.-]*)"
_NAME_RUN = rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN})*"
# `..., X said` / `...," X said`: the quote must close on a comma, "?" or "!"; a quote closing on
# a full stop is a finished sentence, and a name after it starts the next claim, not this one.
_AFTER_QUOTE = re.compile(rf"[,?!]\s*[\u201d\"]\s+(?P<name>{_NAME_RUN})\s+(?:{_VERB_ALT})\b")
_VERB_THEN_NAME = re.compile(rf"[,?!]\s*[\u201d\"]\s*,?\s*(?:{_VERB_ALT})\s+(?P<name>{_NAME_RUN})")
# `X said`, `X, <a short aside>, said`, `X also/repeatedly said`.
_ADVERB = r"(?:\w+ly|also|again|however|meanwhile|has|have|had|then|later|earlier|now)"
# `X said`, `X also/repeatedly said`, `X has blamed`.
_NAME_THEN_VERB = re.compile(rf"(?P<name>{_NAME_RUN})\s+(?:{_ADVERB}\s+)?(?:{_VERB_ALT})\b")
# `X, <a short aside>, said`: "Safronov, a Russian representative, said" names Safronov, but
# "the ambassador to the UN, Nikki Haley, said" names the aside.
_NAME_ASIDE_VERB = re.compile(
    rf"(?P<name>{_NAME_RUN}),\s(?P<aside>[^,\"\u201c\u201d]{{1,80}}),\s+(?:{_ADVERB}\s+)?(?:{_VERB_ALT})\b"
)
_WHOLE_NAME_RUN = re.compile(rf"{_NAME_RUN}$")
_ROLE_WORDS = frozenset(
    """president minister secretary spokesman spokeswoman spokesperson ambassador official officials
    representative envoy diplomat chief head leader government administration""".split()
)


def extract_quotes(text: str) -> list[str]:
    """The spans inside straight or curly double quotes, in order, stripped of edge punctuation."""
    quotes = []
    for match in _QUOTED.finditer(text):
        span = (match.group(1) or match.group(2) or "").strip(" ,.;:")
        if span:
            quotes.append(span)
    # An unpaired opening quote (the sentence splitter cut a multi-sentence quote): keep its tail.
    if not quotes and text.count("\u201c") > text.count("\u201d"):
        quotes.append(text[text.rindex("\u201c") + 1 :].strip(" ,.;:"))
    elif not quotes and text.count('"') == 1:
        head, tail = text.split('"')
        span = tail if len(tail) > len(head) else head
        if span.strip(" ,.;:"):
            quotes.append(span.strip(" ,.;:"))
    return quotes


# A quotation in single marks, as British outlets and headlines write them ("Eichmann claimed he was
# 'a mere instrument'"; in a tokenised feed "' a mere instrument '"). A straight mark opens after a
# space, a bracket or the start and closes before a space or a punctuation mark; neither may be an
# apostrophe ("i ' m", "don ' t", "rock 'n' roll", "the students' union").
_CONTRACTION_AFTER = r"(?!\s?(?:m|ll|s|re|ve|d|t|n)\b)"
_SINGLE_QUOTED = re.compile(
    r"(?:^|(?<=[\s(\[]))(?:\u2018(?P<curly>[^\u2018\u2019]*?\w[^\u2018\u2019]*?)\u2019"
    rf"|'{_CONTRACTION_AFTER}(?P<straight>[^'\"\u201c\u201d]*?[\w,.!?])\s?'{_CONTRACTION_AFTER})"
    r"(?=[\s,.;:!?)\]\u2014\u2013-]|$)")


def single_quoted(text: str) -> list[str]:
    """The spans inside single quotation marks (`_SINGLE_QUOTED`), in order, stripped of edge
    punctuation. Read only where doubt is safe: the support test then asks a sentence for the words
    too, so a span read as a quote by mistake costs a citation, never adds one."""
    found = (match.group("curly") or match.group("straight") or "" for match in _SINGLE_QUOTED.finditer(text))
    return [span for span in (piece.strip(" ,.;:") for piece in found) if span]


def outside_quotes(text: str) -> str:
    """The text with its quoted spans blanked: what the writer says in their own voice."""
    return _QUOTED.sub(" ", text)


def _speaker_from_run(run: str) -> str | None:
    """The surname of a capitalised run ("U.S. Defense Secretary Jim Mattis" -> "Mattis")."""
    words = [w.rstrip(".,") for w in run.split()]
    # "the US President said" names no one; "Trump's stated desire" is no attribution.
    if not words or words[-1].lower() in _ROLE_WORDS or re.search(r"[\u2019']s?$", words[-1]):
        return None
    words = [w for w in words if w and w.lower() not in _NOT_NAMES]
    if not words:
        return None
    last = words[-1]
    if last.lower() in PRONOUNS or len(last) < 2:
        return None
    return last


# A feed that arrives lower-cased names its speakers in lower case: `"...," hagel told reporters`,
# `"...," said ross licitra, chief law enforcement officer ...`. Only the quote's own attribution
# is read so (the shape that names a speaker most surely), and only a run of words that cannot be a
# role, a group, a pronoun or a determiner ("the official", "police", "officials", "he").
_LOWER_RUN = r"[a-z][a-z'\u2019-]*\.?(?:\s+[a-z][a-z'\u2019-]*\.?){0,3}?"
_AFTER_QUOTE_LOWER = re.compile(rf"[,?!]\s*[\u201d\"]\s+(?P<name>{_LOWER_RUN})\s+(?:{_VERB_ALT})\b")
_VERB_THEN_NAME_LOWER = re.compile(
    rf"[,?!]\s*[\u201d\"]\s*,?\s*(?:{_VERB_ALT})\s+(?P<name>{_LOWER_RUN})"
    r"(?=\s*[,.;:]|\s*$|\s+(?:who|in|at|on|of|during|after|before|when|while|from|to|for|and)\b)")
_NOT_IN_LOWER_NAMES = frozenset(
    """the a an this that these those his her its their our my your one another some many several both all
    each every any no two three four five he she it they we i you who which there someone everyone
    official officials police authorities spokesman spokeswoman spokesperson officer officers deputy
    deputies source sources witness witnesses resident residents neighbor neighbors neighbour
    neighbours investigator investigators prosecutor prosecutors expert experts researcher researchers
    scientist scientists doctor doctors lawyer lawyers attorney attorneys agent agents analyst analysts
    critic critics supporter supporters friend friends relative relatives parent parents student
    students member members employee employees worker workers staff fans users people locals troops
    man woman men women boy girl mother father brother sister son daughter wife husband family
    report reports statement document study survey company agency government ministry department
    office court network museum website site magazine newspaper paper spokesmen chief head leader
    president minister secretary director manager chairman chairwoman mayor governor sheriff judge
    ambassador envoy representative aide aides adviser advisers group organizers
    organisers activists protesters""".split()
)


def _speaker_from_lower_run(run: str) -> str | None:
    """The surname of a lower-case run that names a person ("ross licitra" -> "Licitra"), or None."""
    words = [word.rstrip(".") for word in run.split()]
    while words and words[0] in _LOWER_TITLES:  # "sheriff tom brown said"
        words = words[1:]
    if (not words or any(word in _NOT_IN_LOWER_NAMES or re.search(r"[\u2019']s?$", word) for word in words)
            or len(words[-1]) < 2):
        return None
    return words[-1].capitalize()


# A quote's own attribution, `"...," X said` and `"...," said X`, read by its capitalised name, then,
# where none is found so, by a lower-cased feed's name: (the two shapes, how a name is read).
_QUOTE_ATTRIBUTIONS: tuple[tuple[tuple[re.Pattern[str], ...], Callable[[str], str | None]], ...] = (
    ((_AFTER_QUOTE, _VERB_THEN_NAME), _speaker_from_run),
    ((_AFTER_QUOTE_LOWER, _VERB_THEN_NAME_LOWER), _speaker_from_lower_run),
)


@lru_cache(maxsize=65536)
def _speaker_matches(text: str) -> tuple[tuple[int, str], ...]:
    """(position, speaker) of every attribution: quote attributions first, then by position. Cached:
    the support test asks for the speakers of the same sentences thousands of times."""
    quoted: list[tuple[int, str]] = []
    for patterns, read_name in _QUOTE_ATTRIBUTIONS:
        if quoted:
            break
        for pattern in patterns:
            for match in pattern.finditer(text):
                name = read_name(match.group("name"))
                if name is not None:
                    quoted.append((match.start("name"), name))
    found: list[tuple[int, str]] = []
    for match in _NAME_THEN_VERB.finditer(text):
        name = _speaker_from_run(match.group("name"))
        if name is not None:
            found.append((match.start("name"), name))
    for match in _NAME_ASIDE_VERB.finditer(text):
        aside = match.group("aside").strip()
        run = aside if _WHOLE_NAME_RUN.match(aside) else match.group("name")
        name = _speaker_from_run(run)
        if name is not None:
            found.append((match.start("name"), name))
    # A quote's own attribution first, then the others left to right.
    return tuple(quoted + sorted(found))


def attributed_speaker(text: str) -> str | None:
    """The explicitly named speaker of a sentence, or None (pronouns and unnamed roles give None).

    Governments named by country or capital ("Russia said", "Moscow labelled") count as speakers:
    they are parties to disputes just as ministers are.
    """
    found = _speaker_matches(text)
    return found[0][1] if found else None


def speakers(text: str) -> set[str]:
    """Every speaker the sentence names in an attribution (`attributed_speaker` gives the first)."""
    found = {name for _position, name in _speaker_matches(text)}
    quoted = quote_speaker(text)
    return found | {quoted} if quoted else found


@lru_cache(maxsize=65536)
def quote_speaker(text: str) -> str | None:
    """The named speaker of the sentence's first quote: `"...," X said`, `"...," said X`, or
    `X said "..."` / `X said that "..."` before it; None when the quote is unattributed here."""
    quote = _QUOTED.search(text) or re.search(r"[\u201c\"]", text)
    if quote is None:
        return None
    for patterns, read_name in _QUOTE_ATTRIBUTIONS:
        for pattern in patterns:
            match = pattern.search(text, max(quote.end() - 3, 0))
            if match:
                return read_name(match.group("name"))
    before = [(pos, name) for pos, name in _speaker_matches(text[: quote.start()])]
    return max(before)[1] if before else None


# How many sentences back an unnamed attribution is followed: a report names its speaker, then
# goes on quoting them ("...," he said. "..." He added that ...).
SPEAKER_LOOKBACK = 3
# An attribution by pronoun after a quote or a comma, or opening the sentence: "...," he said /
# "Such collaboration, he said, could help ..." / And he said that ...
_PRONOUN_ATTRIBUTION = re.compile(
    rf"(?:[,?!]\s*[\u201d\"]?\s*,?\s*|^(?:and\s+|but\s+)?)(?:he|she)\s+(?:{_ADVERB}\s+)?(?:{_VERB_ALT})\b",
    re.IGNORECASE)


def context_speaker(sentences: Sequence[str], index: int) -> str | None:
    """Who the unnamed speaker of sentence `index` is, from the sentences just before it.

    Resolved only along an unbroken run of unnamed attributions (a sentence that opens on a quote
    and attributes it to no one, or an attribution by "he" or "she") back to the sentence that
    names the speaker, at most SPEAKER_LOOKBACK sentences before. A sentence of anything else in
    between ends the run: "Mattis echoed that, saying ..." names someone new where the rules
    above see no attribution. A role ("another official said") may be someone new and is never
    resolved. None when the sentence names its own speaker or the run names no one.
    """
    if named_speaker(sentences[index]) is not None or not unnamed_attribution(sentences[index]):
        return None
    for previous in range(index - 1, max(index - SPEAKER_LOOKBACK, 0) - 1, -1):
        if named_speaker(sentences[previous]) is not None:
            # The last one named, as a reader takes "he": "Russia said ... and Lavrov repeated
            # ...". "It was wrong ..., he said." is Lavrov.
            return max(_speaker_matches(sentences[previous]), default=(0, named_speaker(sentences[previous])))[1]
        if not unnamed_attribution(sentences[previous]):
            return _opening_person(sentences, previous)
    return None


# A capitalised run that opens a sentence as its subject: a comma (an aside) or a lower-case word
# (the verb) follows it. "Putin, in a television interview ahead of the talks, was more blunt ...".
_OPENING_RUN = re.compile(rf"^\W*(?P<name>{_NAME_RUN})(?=,|\s+[a-z])")
_ANY_NAME_RUN = re.compile(_NAME_RUN)
# Titles and offices a report puts before a person's name ("Russian President Vladimir Putin",
# "Defense Secretary Jim Mattis", "Mr Lavrov"): a surname met after one of them is a person's.
_PERSON_TITLES = frozenset(
    """mr mrs ms dr prof sir dame lord lady president minister secretary senator sen rep gov governor
    general gen spokesman spokeswoman spokesperson ambassador envoy chancellor premier king queen prince
    princess pope judge justice chairman chairwoman director mayor""".split()
)
# ... and the ranks a lower-cased feed puts before a name it attributes a quote to ("sheriff tom
# brown said"; `_speaker_from_lower_run`).
_LOWER_TITLES = _PERSON_TITLES | frozenset(
    "sheriff officer detective deputy sergeant sgt lieutenant lt captain capt chief coach rev".split())


def _opening_person(sentences: Sequence[str], index: int) -> str | None:
    """The person sentence `index` opens on as its subject, whom a "he said" or a bare quote right
    after it is read as quoting: "Putin, in a television interview ..., was more blunt about the new
    chill in ties ..." then "'... has most likely worsened,' he said." A person is a surname the
    report has given after a title or an office up to there ("Russian President Vladimir Putin");
    a country ("the United States"), a party or a lone word that opens the sentence is not one, and
    gives None."""
    opening = _OPENING_RUN.match(sentences[index])
    surname = _speaker_from_run(opening.group("name")) if opening else None
    if surname is None:
        return None
    for sentence in sentences[: index + 1]:
        for run in _ANY_NAME_RUN.finditer(sentence):
            words = [word.rstrip(".,").lower() for word in run.group(0).split()]
            # The title, then at most two given names, then the surname.
            if words[-1] == surname.lower() and any(word in _PERSON_TITLES for word in words[-4:-1]):
                return surname
    return None


def named_speaker(text: str) -> str | None:
    """Who the sentence names as its speaker: its quote's, else its attribution's."""
    return quote_speaker(text) or attributed_speaker(text)


@lru_cache(maxsize=65536)
def unnamed_attribution(text: str) -> bool:
    """A remark said by no one named here: a sentence opening on a quote with no attribution at
    all, or one attributed to "he" or "she"."""
    stripped = text.lstrip()
    bare_quote = stripped[:1] in ("\u201c", '"') and not _SAID_WHO.search(text) and not _WHO_SAID.search(text)
    return bare_quote or _PRONOUN_ATTRIBUTION.search(text) is not None


# A quoted span of fewer words is a term or a title ("working group", 'black jeopardy'), not a
# remark: it needs no speaker (the lede) and its words cannot be misquoted (the draft check).
# Measured on Multi-News dev: asking a speaker of every quoted span, and finding speakers only by
# capitalised names, cost the lede 1.2 ROUGE-1 points.
REMARK_WORDS = 4
# A quoted remark's attribution right after it closes, in any case: `"...," said peg ackerman`,
# `"...," the county sheriff said`. Feeds that arrive lower-cased have no capitalised names for
# `quote_speaker` to find, but the shape of the attribution is the same.
_ATTRIBUTION_VERBS = rf"(?:{'|'.join(ATTRIBUTION_VERBS)})"
_WORDS_UP_TO_FOUR = r"[\w.'\u2019-]+(?:\s+[\w.'\u2019-]+){0,3}?"
_SAID_WHO = re.compile(rf"[,?!]\s*[\"\u201d]\s*{_ATTRIBUTION_VERBS}\s+(?P<who>{_WORDS_UP_TO_FOUR})(?=[\s,.;]|$)", re.I)
# The name may carry an aside before its verb: ", " julien harneis, unicef representative in yemen, said".
_WHO_SAID = re.compile(rf"[,?!]\s*[\"\u201d]\s*,?\s*(?P<who>{_WORDS_UP_TO_FOUR})(?:,[^,\"\u201c\u201d]{{1,80}},)?\s+"
                       rf"{_ATTRIBUTION_VERBS}\b", re.I)


# An attribution before the quote, in any case: "the publisher describes the diaries as detailing
# einstein's "quirky ..." musings", "the coroner's office said the death was "an accident"".
# "Read" only before a colon: "the washington post headline read: "...""; "students read "hamlet"" is no attribution.
_PRESENT_REPORTING = r"writes|tweets|warns|describes|tells|adds|reads|read(?=\s*:)"
# Words before a reporting verb that are not who speaks ("as described", "and said", "is called").
_NOT_SUBJECTS = frozenset("and or but as to is are was were be been being not also has have had then".split())
_WHO_SAYS = re.compile(rf"(?P<who>[\w.'\u2019-]+),?\s+(?:{_ADVERB}\s+)?(?:{_VERB_ALT}|{_PRESENT_REPORTING})\b", re.I)


def remark_has_speaker(text: str) -> bool:
    """Whether the sentence says who made its quoted remark: a named speaker (`quote_speaker`), an
    attribution right after the quote that is not a pronoun ("said peg ackerman", "the
    statement said"; not "he said"), or a reporting verb before the quote whose subject is not a
    pronoun ("the publisher describes the diaries as ...")."""
    if quote_speaker(text) is not None:
        return True
    for pattern in (_SAID_WHO, _WHO_SAID):
        match = pattern.search(text)
        if match and match.group("who").split()[0].lower() not in PRONOUNS:
            return True
    # Before the first quote, or after the last one: "... who is being described as " one of the
    # nicest people " — is in a coma, her family said sunday." Not between two quotes: there it
    # may name the speaker of the second only ("... told she " would not walk out alive. " the
    # foreign office has said it was " aware of reports "").
    quotes = list(_QUOTED.finditer(text))
    outside = [text[: quotes[0].start()], text[quotes[-1].end():]] if quotes else [text]
    return any(match.group("who").lower() not in PRONOUNS and match.group("who").lower() not in _NOT_SUBJECTS
               for part in outside for match in _WHO_SAYS.finditer(part))


def claim_speaker(text: str) -> str | None:
    """The named speaker of the sentence's stance cue: the attribution nearest before the cue, or
    the attribution of the quote holding the cue ("Washington has blamed" in "..., Lavrov said that
    ..., which Washington has blamed on Assad" is Washington's claim, not Lavrov's)."""
    cue = first_cue_match(text)
    if cue is None:
        return None
    position = cue.start()
    for match in _QUOTED.finditer(text):
        if match.start() <= position < match.end():
            for pattern in (_AFTER_QUOTE, _VERB_THEN_NAME):
                after = pattern.search(text, match.end() - 2)
                if after and after.start() <= match.end() + 1:
                    return _speaker_from_run(after.group("name"))
    before = [(pos, name) for pos, name in _speaker_matches(text) if pos < position]
    return max(before)[1] if before else None
