"""Sentence splitting tuned for news prose.

A rule-based splitter rather than a library: it must keep citation indices stable, treat quotes the
way news copy uses them and run over hundreds of articles in a fraction of a second. Candidate
boundaries are the terminal marks (``.``, ``?``, ``!``, ``…``) followed by optional closing quotes or
brackets and whitespace; each candidate is then accepted or rejected by looking at the word before
it (abbreviations, initials) and the word after it (lower case continues the sentence).
"""

from __future__ import annotations

import re

__all__ = ["ATTRIBUTION_VERBS", "split_paragraph", "split_sentences"]

# Blank lines separate paragraphs, and a paragraph break always ends a sentence.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*")
_WHITESPACE = re.compile(r"\s+")

# A candidate end: terminal marks, then closing quotes/brackets, then the whitespace before the
# next sentence. Requiring whitespace keeps decimals ("3.5"), "U.S.-Russia" and "problems...there"
# from ever being candidates.
_CANDIDATE_END = re.compile(r"(?:\.{3}|[.?!…])+[\"'”’»)\]]*(?=\s)")

# Titles that never end a sentence: a name always follows. Matched only when capitalised, so
# that ordinary words ("the gen.", "a sec.") are not taken for abbreviations.
_TITLES = frozenset(
    """mr mrs ms messrs mme mlle dr prof gen lt col maj capt cmdr cdr sgt cpl pvt adm gov sen rep
    rev hon pres amb supt insp det st mt ft dept univ""".split()
)
# Lower-case abbreviations that never end a sentence; the titles among them are the ones that are
# no English word, for feeds that arrive lower-cased ("sent back to the mr. sullivan"; "speculated
# about new jersey gov. Chris christie's political future", where the feed capitalised the name).
_NEVER_FINAL_LOWER = frozenset(
    "vs v cf approx viz ca mr mrs ms messrs dr prof lt sgt capt gov sen gen col maj adm supt cmdr".split()
)
# Abbreviations that may also end a sentence ("... of Acme Corp. The firm ..."): a boundary is
# accepted only when the next word is a typical sentence opener. Capitalised ones only, except
# the lower-case "etc." and "et al.".
_MAYBE_FINAL = frozenset(
    """jr sr inc ltd co corp plc llc bros jan feb mar apr jun jul aug sep sept oct nov dec mon tue
    tues wed thu thur thurs fri sat sun""".split()
)
# A lower-cased feed's "st." is a saint's as often as a street's ("a terrorist attack in st. Petersburg",
# the feed having capitalised the name after what its splitter took for a sentence's end).
_MAYBE_FINAL_LOWER = frozenset({"etc", "al", "jr", "sr", "st"})
_UNITS = frozenset("lb lbs oz ft yd mi sq".split())
# Streets and the states of AP style, before the rest of an address or a dateline goes on in lower
# case ("walks his dogs along grandview blvd. in madison"): never read as a sentence's last word
# when a lower-case word follows.
_PLACE_ABBREVIATIONS = frozenset(
    """ave blvd rd ln hwy pkwy ct pl ste apt ala ariz ark calif colo conn del fla ga ill ind kan kans ky
    la md mass mich minn miss mo mont neb nev okla ore pa tenn tex vt va wash wis wyo""".split()
)
# Words that open sentences far more often than they continue names or dates.
_SENTENCE_OPENERS = frozenset(
    """a an the he she it they we i you his her its their our my this that these those there
    here but and or so yet if when while after before as at in on for from with by since though
    although however meanwhile earlier later still also then now today yesterday tomorrow
    according asked both many most some several one two three no not what who why how where""".split()
)
# "Jan. 12", "No. 10", "p. 4": a number after these never starts a new sentence.
_BEFORE_NUMBER = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec no nos p pp vol vols art fig figs sec ch para op".split()
)

_WORD_BEFORE = re.compile(r"([\w.’'-]+)$")
_DOTTED_ACRONYM = re.compile(r"(?:[A-Za-z]\.){2,}$")  # U.S. U.N. e.g. a.m.
_SINGLE_INITIAL = re.compile(r"^[A-Za-z]\.$")  # lower case too: "patrick j. sullivan" in a lower-cased feed
_NEXT_TOKEN = re.compile(r"\s*([\"'“‘«(\[]*)([^\s\"'“”‘’«»()\[\]]*)")
_OPEN_QUOTES = "“‘«"
_HAS_WORD_CHAR = re.compile(r"\w")
_APOSTROPHE = re.compile(r"(?<=\w)’(?=\w)")


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; blank lines are paragraph breaks that always end a sentence."""
    sentences: list[str] = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        sentences.extend(split_paragraph(paragraph))
    return sentences


def split_paragraph(paragraph: str) -> list[str]:
    """Split one paragraph (its line breaks count as spaces) into whitespace-normalised sentences."""
    flat = _WHITESPACE.sub(" ", paragraph).strip()
    if not flat:
        return []
    pieces: list[str] = []
    start = 0
    glued = iter(_glued_ends(flat))
    next_glued = next(glued, len(flat) + 1)
    for match in _CANDIDATE_END.finditer(flat):
        while next_glued < match.start():
            pieces.append(flat[start:next_glued].strip())
            start, next_glued = next_glued, next(glued, len(flat) + 1)
        end = _past_spaced_closing_quote(flat, match.end())
        if _is_boundary(flat, start, match.start(), end):
            pieces.append(flat[start:end].strip())
            start = end
    while next_glued < len(flat):
        pieces.append(flat[start:next_glued].strip())
        start, next_glued = next_glued, next(glued, len(flat) + 1)
    pieces.append(flat[start:].strip())
    return _join_open_quotes(_merge_fragments(pieces))


# A full stop with no space after it between two words of letters: "he said.the cbs telecast", a
# scrape that lost the space between two sentences. Not a web address ("france.com", "bit.ly",
# "pic.twitter.com/...") nor a file name, and not after a title or an abbreviation ("dr.smith").
# Found from the full stop (a literal the regex engine scans for quickly), the word before read back.
_GLUED_END = re.compile(r"\.([A-Za-z][a-z]+)(?=[\s,;:!?\"')\u201d\u2019]|$)")
_WORD_BEFORE_GLUE = re.compile(r"(?<![\w./@])[a-z]*[a-z]{2}$")  # not inside an address ("http://evil.example")
_ADDRESS_ENDINGS = frozenset(
    """com org net gov edu mil int co uk io ly tv fm me us ca de fr ru cn jp au eu info biz html htm php asp
    aspx jpg jpeg png gif pdf js""".split())
_NEVER_GLUED = _TITLES | _NEVER_FINAL_LOWER | _MAYBE_FINAL | {"www"}


def _glued_ends(text: str) -> list[int]:
    """Where sentences glued by a full stop without a space split: just after the full stop."""
    ends = []
    for match in _GLUED_END.finditer(text):
        before = _WORD_BEFORE_GLUE.search(text, max(match.start() - 40, 0), match.start())
        if (before is not None and match.group(1).lower() not in _ADDRESS_ENDINGS
                and before.group() not in _NEVER_GLUED):
            ends.append(match.start() + 1)
    return ends


# A straight quote with whitespace on both sides (a tokenised feed: `"when will this be over? " that's`).
_SPACED_QUOTE = re.compile(r' "(?=\s|$)')


def _past_spaced_closing_quote(text: str, mark_end: int) -> int:
    """The end of a candidate boundary, moved past a spaced straight quote that closes a quotation
    open at the mark: in a tokenised feed the closing quote stands apart (`over? " that's`), and
    left behind it would open the next sentence as an unbalanced quote. Straight quotes pair up
    within a paragraph, so an odd count before the mark means one is open."""
    spaced = _SPACED_QUOTE.match(text, mark_end)
    if spaced and text.count('"', 0, mark_end) % 2 == 1:
        return spaced.end()
    return mark_end


def _is_boundary(text: str, sentence_start: int, mark_start: int, mark_end: int) -> bool:
    """Decide whether the terminal mark at text[mark_start:mark_end] ends the sentence."""
    marks = text[mark_start:mark_end]
    next_match = _NEXT_TOKEN.match(text, mark_end)
    opening, next_word = (next_match.group(1), next_match.group(2)) if next_match else ("", "")
    if not next_word and not opening:
        return True
    first = next_word[:1]
    # Lower case after the mark continues the sentence: `"...?" he asked.`, "problems ... there";
    # unless a quotation opens there: a lower-cased feed starts a quoted sentence in lower case
    # (`hostility. "you see this pattern, " said ...`), and the first words of a quote never
    # continue the sentence before it.
    if first.islower():
        # ... or after a bare question mark outside any quotation: a lower-cased feed runs the
        # answer on in lower case ("what do i need to know? breastfeeding is great ..."); a quoted
        # question before its attribution (`"why?" he asked`) has its closing mark in `marks`.
        if marks.strip() == "?" and not _inside_open_quote(text[sentence_start:mark_start]):
            return True
        # ... or after a full stop that ends a plain word: the feed runs its next sentence on in
        # lower case too ("... arrested in maine early friday morning. police in somersworth ...",
        # "... the real u.s. embassy. for a decade, ..."); after an abbreviation the sentence goes
        # on ("et al. and", "5 p.m. on", "main st. in", "grandview ave. and").
        if marks.strip() == "." and not opening and not _inside_open_quote(text[sentence_start:mark_start]):
            word_match = _WORD_BEFORE.search(text, sentence_start, mark_start + 1)
            if _plain_last_word(word_match.group(1) if word_match else ""):
                return True
        ends = marks.rstrip("\"'”’»)] ").endswith((".", "!", "?"))
        opens_quote = ends and _opens_quotation(text, mark_end, opening)
        # ... or after a full stop that closes a quotation: `fathers in faith. " among the panel's
        # conclusions: ...`; not before an attribution (`beat him up. " crowl said ...`), nor after
        # "!" or "?", which end titles and questions more than sentences (`" black jeopardy! " sketch`).
        closes_quote = (_FULL_STOP_CLOSING_QUOTE.match(marks) is not None
                        and not _ATTRIBUTION_AHEAD.match(text, mark_end))
        if not (opens_quote or closes_quote):
            return False
        word_match = _WORD_BEFORE.search(text, sentence_start, mark_start + 1)
        return not _abbreviation(word_match.group(1) if word_match else "")  # not `the U.S. "red line"`
    is_ellipsis = marks.startswith("...") or marks.startswith("…")
    if is_ellipsis:
        # An ellipsis before a capital ends the sentence only outside an open quotation, where it
        # usually marks words left out of a quote rather than an ending.
        return not _inside_open_quote(text[sentence_start:mark_start])
    if not marks.startswith("."):
        return True  # "?" and "!" before a capital, digit or quote
    word_match = _WORD_BEFORE.search(text, sentence_start, mark_start + 1)
    word = word_match.group(1) if word_match else ""
    return _period_ends_sentence(word, next_word, bool(opening))


# A full stop, then the mark that closes its quotation (spaced in a tokenised feed).
_FULL_STOP_CLOSING_QUOTE = re.compile(r'^\.\s*["”]$')
# The verbs that attribute a quote right after it closes: `" crowl said`, `"," remembers anderson`,
# `"," the vatican document reads`. Also read by text/claims (is a remark's speaker named?).
ATTRIBUTION_VERBS = ("said", "says", "told", "tells", "asked", "added", "wrote", "tweeted", "quipped", "insisted",
                     "warned", "explained", "noted", "replied", "continued", "recalled", "recalls", "remembers",
                     "reads")
# The next few words attribute the quote before them: "crowl said", "said the minister".
_ATTRIBUTION_AHEAD = re.compile(rf"\s+(?:[\w.'’-]+\s+){{0,3}}?(?:{'|'.join(ATTRIBUTION_VERBS)})\b", re.IGNORECASE)


def _abbreviation(word: str) -> bool:
    """Whether a word ending in a period may be an abbreviation rather than a sentence's last word."""
    bare = word.rstrip(".").lstrip("'’-")
    lower = bare.lower()
    return bool(lower in _TITLES or lower in _NEVER_FINAL_LOWER or lower in _MAYBE_FINAL or lower in _MAYBE_FINAL_LOWER
                or lower.rsplit("-", 1)[-1] in _UNITS or _DOTTED_ACRONYM.search(word) or _SINGLE_INITIAL.match(word))


def _plain_last_word(word: str) -> bool:
    """Whether a word with a full stop after it is an ordinary word, which ends its sentence: two
    letters or more, and no abbreviation, street or state ("ave.", "blvd.", "calif.", "wis.")."""
    bare = word.rstrip(".")
    return (re.fullmatch(r"[A-Za-z]{2,}", bare) is not None and not _abbreviation(word)
            and bare.lower() not in _BEFORE_NUMBER and bare.lower() not in _PLACE_ABBREVIATIONS)


def _opens_quotation(text: str, mark_end: int, opening: str) -> bool:
    """Whether the quote mark right after a sentence's end opens a quotation: a curly opening mark,
    or a straight one with the straight quotes before it paired."""
    mark = opening[:1]
    return bool(mark) and (mark in _OPEN_QUOTES or (mark == '"' and text.count('"', 0, mark_end) % 2 == 0))


def _period_ends_sentence(word: str, next_word: str, next_opens_quote: bool) -> bool:
    """Apply the abbreviation rules to a period after `word` followed by `next_word`."""
    bare = word.rstrip(".").lstrip("'’-")
    lower = bare.lower()
    capitalised = bare[:1].isupper()
    next_is_number = next_word[:1].isdigit()
    if lower in _BEFORE_NUMBER and next_is_number:
        return False
    if ((capitalised and lower in _TITLES) or lower in _NEVER_FINAL_LOWER) and not next_opens_quote:
        return False
    starts_sentence = next_opens_quote or next_word.lower() in _SENTENCE_OPENERS
    if _SINGLE_INITIAL.match(word) and not word.startswith(("I.", "A.", "i.")):
        # "Donald J. Trump": an initial is followed by more of the name; so is a lower-cased
        # feed's "david a. Broniatowski" ("Plan A." and "part I." end sentences too often).
        return starts_sentence
    # A unit after a figure ("the 600-lb. Life", "5 oz. Coffee") usually goes on.
    unit = lower.rsplit("-", 1)[-1] in _UNITS
    maybe_final = (capitalised and lower in _MAYBE_FINAL) or bare in _MAYBE_FINAL_LOWER or unit
    if maybe_final or _DOTTED_ACRONYM.search(word):
        return starts_sentence or next_is_number
    return True


def _inside_open_quote(text: str) -> bool:
    """Whether a quotation opened in `text` is still open at its end."""
    curly_open = sum(text.count(q) for q in _OPEN_QUOTES)
    curly_close = text.count("”") + text.count("’") - _apostrophes(text)
    if curly_open > curly_close:
        return True
    return text.count('"') % 2 == 1


def _apostrophes(text: str) -> int:
    """Count right single quotes used as apostrophes (between letters), not as closing quotes."""
    return len(_APOSTROPHE.findall(text))


# A quotation of several sentences is one statement of its speaker, and its attribution usually
# comes only after it closes ("... relations. I expressed that ...," the envoy said): kept whole,
# up to this many sentences, so no citation points at half a quote.
MAX_QUOTE_SENTENCES = 5


_QUOTE_MARK = re.compile("[\u201c\u201d\u00ab\u00bb\"]")


def _quote_depth(text: str) -> int:
    """Opened minus closed double quotations in `text` (straight quotes read by their position)."""
    depth = 0
    straight_open = False
    for match in _QUOTE_MARK.finditer(text):  # only the marks: most sentences have none
        index, char = match.start(), match.group()
        if char in "“«":
            depth += 1
        elif char in "”»":
            depth -= 1
        elif char == '"':
            after_space = index == 0 or text[index - 1] in " ([{—–-"
            before_space = index + 1 == len(text) or text[index + 1] == " "
            # Spaced on both sides (a tokenised feed: `"love, " "big holiday "`), it closes an open
            # straight quotation and opens one otherwise.
            opens = (after_space and not before_space) or (after_space and before_space and not straight_open)
            depth += 1 if opens else -1
            straight_open = opens
    return depth


def _join_open_quotes(sentences: list[str]) -> list[str]:
    """Join a sentence that opens a quotation with the ones that follow until the quotation closes."""
    joined: list[str] = []
    index = 0
    while index < len(sentences):
        current = sentences[index]
        end = index
        if _quote_depth(current) > 0:
            candidate = current
            for ahead in range(index + 1, min(index + MAX_QUOTE_SENTENCES, len(sentences))):
                candidate = f"{candidate} {sentences[ahead]}"
                if _quote_depth(candidate) <= 0:
                    current, end = candidate, ahead
                    break
        joined.append(current)
        index = end + 1
    return joined


def _merge_fragments(pieces: list[str]) -> list[str]:
    """Drop empty pieces and glue pieces without any word character onto the previous sentence."""
    sentences: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        if sentences and not _HAS_WORD_CHAR.search(piece):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences
