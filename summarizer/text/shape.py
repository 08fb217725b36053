"""The shape of a sentence: whether it is whole, whether it can be read out of its article (no
opening pronoun whose referent is in another sentence, no "he said" for a speaker), and whether it
is the writer's own voice.

Alignment words a fact by a member that stands on its own, the extractive engine prefers such
sentences, and `text.readable` builds the lede's and the exclusives' test on these.
"""

from __future__ import annotations

import re

from .claims import outside_quotes

__all__ = ["MAX_SENTENCE_WORDS", "bare_quotation", "in_writers_voice", "leans_on_previous", "quotes_balanced",
           "stands_alone", "whole_sentence"]

# Opening words that need the sentence before them to be understood.
# A possessive is a pronoun too: "His wife was arrested ...", "Its shares fell ..." say whose only
# with the sentence before.
_PRONOUN_OPENERS = frozenset({"he", "she", "it", "they", "this", "that", "we", "i", "his", "her", "its", "their"})
_OPENING_CONJUNCTIONS = frozenset({"and", "but", "so", "yet", "or"})
# "Some are part of an ecosystem ...", "Others are accidental visitors ...": a quantifier standing
# for a noun of the sentence before, as a pronoun does ("Some officials said ..." names its noun).
_QUANTIFIERS = frozenset({"some", "others", "many", "most", "both", "several", "these", "those", "all", "few"})
_VERBS_AFTER_QUANTIFIER = frozenset(
    "are were is was have had will would can could may might must should say said remain remained".split())
# "Instead, the show made him play black jeopardy ...", "However, previous studies have suggested
# ...", "Then came a break in the case.": a sentence that opens by setting itself against the one
# before it, or following on from it, says what it says only after that sentence. Alone in the
# lede it would be read against whatever item came before it. "Still" only with its comma ("Still
# photographs of the launch ..."). Measured on the dev set (the lede): -0.08 ROUGE-1, -0.04 ROUGE-2.
_ANSWERING_THE_ONE_BEFORE = re.compile(
    r"^\W*(?:(?:instead|however|yet|nevertheless|nonetheless|otherwise|then|thus|therefore|even so|"
    r"by contrast|in contrast|on the other hand|as a result)\b(?!-)|still,"
    # ... or adds to it: "Also, a cure for AIDS, probably, but also the Led Zeppelin thing.",
    # "Additionally, he lost his parents' condo ..." (with the comma: "Also present were ...").
    r"|(?:also|additionally|moreover|furthermore|in addition|besides|plus|what's more|what’s more),)",
    re.IGNORECASE)
# A phrase set off by a comma before the subject ("Unfortunately, this means ...", "In Somaliland,
# he also had been accused ...", "After that, it probably will go ..."): the subject after it is
# read as a sentence's opening word. A clause of its own before the comma may name whom the
# pronoun stands for ("When officers arrived, they found ...", "If the news was real, it would
# have been a treat ..."), unless its subject is a pronoun too ("And if that proves true, it ...").
# Not inside a quotation: there "I" and "we" are the speaker's (`" at the time, i didn't know what i
# would do with the milk, " remembers anderson.`).
_OPENING_PHRASE = re.compile(r"^[^\w\"“‘']*(?P<phrase>\w[^,\"“”‘’()]{0,59}?),\s+(?P<rest>\S.*)", re.DOTALL)
_MAX_OPENING_PHRASE_WORDS = 6
_SUBORDINATORS = frozenset("when whenever if as once while because since before after until although though "
                           "unless whether where".split())
# A bare quotation: nothing outside the quote marks. An apostrophe inside ("world’s") is not a
# closing mark, so only double marks bound it (and single curly ones taken greedily).
_QUOTE_ONLY = re.compile(r"^(?:“[^“”]*”|\"[^\"]*\"|‘.*’)[.!?]?$")
# "It was the eighth time that ...", "It is not clear when ...": a dummy subject, not a pronoun that
# needs the sentence before; the clause it stands for follows within a few words. Not "It was not
# operated by the government" nor "It is where the olympics were held" (what was, what is?): those
# name no referent, and on the Multi-News dev articles they were most of the sentences that "It is"
# or "It was" opens.
_DUMMY_IT = re.compile(r"^[Ii]t (?:is|was|has been|had been|will be|would be)(?: not| also| still| now)?"
                       r"(?: [\w'-]+,?){1,5}? (?:that|whether|when|if|how|why|who|what|where|since)\b")
# "..., he said." names no one: out of its article the reader cannot tell who spoke.
_PRONOUN_SPEAKER = re.compile(r"[,”\"]\s*(?:he|she|they|we)\s+"
                              r"(?:said|says|added|adds|told|warned|insisted|noted|explained|explains|wrote|writes)\b")
# Shorter sentences rarely carry a fact of their own ("He said so.").
_MIN_CLEAR_WORDS = 6
# "But Putin suggested that they have worsened instead.": a "they" with nothing before it that it
# could stand for (a plural, a body of people, two names joined) stands for something of another
# sentence. Only "they": a singular "their" ("the owner ... a dent in their pocket") and a "them" of
# what follows ("By turning to tony bosch to help them ..., major league baseball ...") are common.
_THEY = re.compile(r"\bthey\b", re.IGNORECASE)
_PLURAL_WORD = re.compile(r"[a-z-]{2,}[^s\W]s")
_NOT_PLURAL = frozenset("was has does says this thus plus news always perhaps whereas".split())
_BODIES = frozenset("and both people police children men women staff crew team group government family company "
                    "public media couple administration committee council board party audience crowd".split())


# A whole sentence opens on a word, a figure or an opening quote or bracket, and ends on a full stop
# or an exclamation mark (closing quotes and brackets aside; not on an ellipsis, see _TRAILING_OFF).
# Text cut off in the source ("One: i don't get why romney would step on") or the tail of a
# parenthesis (") everyone's favorite messed-up meth saga") is a fragment.
_WHOLE_SENTENCE = re.compile(r"^[\w\"\u201c\u2018'(\[].*[.!\u2026][\s\"\u201d\u2019')\]]*$", re.DOTALL)


# A label and its colon ("release date: 2009-12-18 running length: 2: 41 mpaa classification:
# pg-13 ... cast: ... director: ..."): a fact box scraped into the text reads as one long sentence.
# Prose has one or two ("Update: writing for slate, ..."); the dev set's fact boxes have 9 and 13.
_LABEL = re.compile(r"\b[a-z][a-z.'-]*(?: [a-z][a-z.'-]*)?:\s", re.IGNORECASE)
MAX_LABELS = 3
# Six figures in a row ("2001 110,299 117,662 2002 113,094 113,777 ..."): a table scraped into the
# text. Prose separates its figures by words; on the dev set no sentence has more than 3 in a row
# but that one table (30).
_FIGURE_RUN = re.compile(r"(?:(?<!\S)[$\u20ac\u00a3]?\d[\d,.:%-]*\s+){5}[$\u20ac\u00a3]?\d")


# A feed's teaser cut at its word limit ends on an ellipsis: "... has been sentenced to one...",
# "... the first such deal with the self-governing...". An article's own sentence ends on a stop.
_TRAILING_OFF = ("...", "\u2026")
# ... or runs on into the story, which the lower-cased feed did not capitalise: "Ferguson says he is
# stepping... ferguson, host of " the late late show " since 2005, told ...", "... where police
# engaged... a clandestine grave on the outskirts of a mexican city ...", "... in the criminal case
# against reed,... an obsession with the wild west compelled ..."). Outside quotes (where an
# ellipsis marks words left out of a remark); on the dev sets all 9 such sentences are teasers.
_TEASER_RUN_ON = re.compile(r"[\w,;:](?:\.\.\.|\u2026)\s*[a-z]")


# A note about the page itself, which says what changed in the article rather than what happened:
# "clarification: elizabeth thomas is 5-feet tall.", "Correction: this post previously listed the
# ...", "Editor's note: this story was updated at 1: 55 p.m."; or a picture's credit run into the
# text ("Photo: montgomery county sheriff's offi bobby martin was sentenced ..."); or a link to
# another page or its time stamp ("More: christmas comes early to colerain twp.", "SEE ALSO: This
# Terrifying Robot Was Developed By Google", "Uploaded By: JoshPalerLin", "Updated: 5: 15 p.m.").
# Not "Update:", which adds to the story ("Update: writing for slate, jamelle bouie details why the
# sketch ...").
_PAGE_NOTE = re.compile(r"^\W*(?:corrections?|clarifications?|editor[\u2019']?s? note|photos?|images?|pictures?"
                        r"|more|related|see also|read more|read full story|uploaded by|source|updated)\s*:",
                        re.IGNORECASE)


# More words than this is text the splitter found no end in (a page without punctuation, a list),
# not a sentence. The dev sets' longest sentence has 107 words.
MAX_SENTENCE_WORDS = 250


def whole_sentence(text: str) -> bool:
    """A sentence of the story, not a fragment: opens where a sentence opens and ends where a
    statement ends, and is no fact box of labelled values, table of figures, note about the page,
    teaser run into the story or run of text with no end found. Its brackets close where they open:
    one left open ("( there is no way of knowing his exact weight because ...") begins an aside of
    several sentences, one closed but never opened ends it."""
    stripped = text.strip()
    return (_WHOLE_SENTENCE.match(stripped) is not None and not stripped.endswith(_TRAILING_OFF)
            and stripped.count("(") == stripped.count(")") and stripped.count("[") == stripped.count("]")
            and len(stripped.split()) <= MAX_SENTENCE_WORDS
            and len(_LABEL.findall(text)) <= MAX_LABELS and _FIGURE_RUN.search(text) is None
            and _PAGE_NOTE.match(stripped) is None and _TEASER_RUN_ON.search(outside_quotes(stripped)) is None)


# "My heart died along with him", "I'll leave that for future historians", "They know this is where
# I was born" (a quotation that runs on from the sentence before, its marks there): whose voice it
# is, a reader out of the article cannot say. "I", "me", "my" anywhere; "we" and "our" at the
# opening, as later in a sentence they are often everyone's ("a show we are all nostalgic for").
# Measured on the dev set (the lede): -0.1 ROUGE-1, -0.1 ROUGE-2. Later "we" is someone's when it
# did something: "..., we have independently confirmed", "when we dropped the a-bomb", "after 1.7
# million miles we've learned a lot", "we identified and characterized" (4 of the 6 dev lede items
# with a later "we"; ROUGE 45.75 / 14.64 / 29.15 -> 45.78 / 14.64 / 29.10). Not "us": the US in a
# lower-cased feed. A publication speaking of itself is the same voice: "Everything you read on
# this site is based on fact", "When writing stories for this blog, we let the news sizzle ..." (a
# site's about page, quoted by a fact-checker).
_FIRST_PERSON = re.compile(r"\b(?:i|me|my)\b|^\W*(?:\S+\s+){0,3}?(?:we|our)\b"
                           r"|\bwe(?:\s*[\u2019']\s*(?:ve|d)|\s+(?:\w+ly\s+)?(?:have|had|did|were|\w+ed))\b"
                           r"|\bthis (?:site|website|blog|page|newsletter|podcast)\b", re.IGNORECASE)


# An order to the reader where a sentence opens: "Follow The Daily Dot on Twitter.", "Share it in
# the comments.", "(See "Chelyabinsk Meteor: The Animated Movie.")", "Go back to about a minute
# twenty and watch Paul Rudd full-on tackle the asshole!", "Tweet '#6DaysOfDarkness' including your
# plan ...". On the dev sets every sentence opening on one of these verbs is one. Not "Like" ("Like
# ahab with his white whale, ex-harrisburg mayor ..." is a comparison), nor "Get", which opens
# titles as often ("Get Out won the Oscar for ...").
_TO_THE_READER = re.compile(
    r"^[\s(\[]*(?:go|keep|watch|click|read|see|check|tweet|share|follow|subscribe|scroll|listen|visit|download|"
    r"bookmark|enjoy|imagine|join|sign up|stay tuned|don[\u2019']t miss|let[\u2019']s|let us|tell us|"
    r"send us|email us)\b(?!-)", re.IGNORECASE)  # not "Follow-up tests showed ...", "Check-in opens ..."


def in_writers_voice(text: str) -> bool:
    """Whether the sentence is the writer speaking, outside its quotes: as "I" or "we" (an aside, a
    post or a letter quoted without marks) or to the reader ("Share it in the comments."). Neither
    the lede nor the list of what one source alone reports can say whose voice that is, or state it
    as news."""
    return _FIRST_PERSON.search(outside_quotes(text)) is not None or _TO_THE_READER.match(text) is not None


def bare_quotation(text: str) -> bool:
    """Whether the sentence is a quotation and nothing else (`_QUOTE_ONLY`)."""
    return _QUOTE_ONLY.match(text.strip()) is not None


def stands_alone(text: str) -> bool:
    """Readable out of its article: a full clause that does not open on a pronoun or inside a quote,
    with its speaker named, and not a bare quotation."""
    text = text.strip()
    clear = _is_clear(text) or (_DUMMY_IT.match(text) is not None and _is_clear("The" + text[2:]))
    return (clear and not bare_quotation(text) and not _PRONOUN_SPEAKER.search(text)
            and not _they_without_referent(text))


def _they_without_referent(text: str) -> bool:
    """Whether "they" (outside quotes) has no word before it that it could stand for (`_THEY`)."""
    if _THEY.search(text) is None:  # most sentences: no quotes to blank out
        return False
    told = outside_quotes(text)
    found = _THEY.search(told)
    if found is None:
        return False
    before = re.findall(r"[a-z][a-z-]*", told[: found.start()].lower())
    return not any(word in _BODIES or (_PLURAL_WORD.fullmatch(word) and word not in _NOT_PLURAL) for word in before)


def leans_on_previous(text: str) -> bool:
    """Readable right after the sentence before it, though not alone: a full clause with its quotes
    balanced that opens on a pronoun, a quantifier standing for a noun ("Some are ...") or a word
    answering that sentence ("Instead, ..."), attributes its words to "he" or "she", or is a bare
    quote."""
    text = text.strip()
    return len(text.split()) >= _MIN_CLEAR_WORDS and quotes_balanced(text) and not stands_alone(text)


def _is_clear(text: str) -> bool:
    """A full clause of some length, quotes balanced, not opening on a pronoun, on a quantifier
    that stands for a noun or on a word that answers the sentence before."""
    words = text.split()
    # "But he was firm that ...": the pronoun after an opening conjunction is still the subject.
    opening = words[1:] if words and words[0].lower() in _OPENING_CONJUNCTIONS else words
    # "It's a stunning ruling", "They're in the DNA": the pronoun before its contraction.
    first = re.split(r"['\u2019]", opening[0].strip("\"\u201c'").lower(), maxsplit=1)[0] if opening else ""
    second = opening[1].lower() if len(opening) > 1 else ""
    standing_for_a_noun = first in _QUANTIFIERS and (second in _VERBS_AFTER_QUANTIFIER or first == "others")
    return (len(words) >= _MIN_CLEAR_WORDS and quotes_balanced(text) and first not in _PRONOUN_OPENERS
            and not standing_for_a_noun and _ANSWERING_THE_ONE_BEFORE.match(text) is None
            and not _pronoun_after_opening_phrase(text))


def _pronoun_after_opening_phrase(text: str) -> bool:
    """Whether the subject after an opening phrase set off by a comma (`_OPENING_PHRASE`) is a
    pronoun that nothing before it in the sentence stands for."""
    found = _OPENING_PHRASE.match(text)
    if found is None:
        return False
    phrase = found.group("phrase").lower().split()
    if len(phrase) > _MAX_OPENING_PHRASE_WORDS:
        return False
    rest = found.group("rest")
    subject = re.split(r"['\u2019]", rest.split()[0].strip("\"\u201c'").lower(), maxsplit=1)[0]
    if subject not in _PRONOUN_OPENERS or _DUMMY_IT.match(rest[:1].upper() + rest[1:]) is not None:
        return False
    opening = phrase[1:] if phrase[0] in _OPENING_CONJUNCTIONS and len(phrase) > 1 else phrase
    own_subject = len(opening) >= 3 and opening[0] in _SUBORDINATORS and opening[1] not in _PRONOUN_OPENERS
    return not own_subject


def quotes_balanced(text: str) -> bool:
    """Whether every quotation the text opens it also closes (curly marks paired, straight marks even)."""
    return text.count("\u201c") == text.count("\u201d") and text.count('"') % 2 == 0
