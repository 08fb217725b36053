"""Marks a scrape leaves inside the prose, cut out before the text is split into sentences.

Datelines where a story starts ("MOSCOW (Reuters) - ", "Beirut, lebanon — "), agency and picture
credits and page marks where a sentence starts ("( cnn ) -- ", "Buy photo ", "Advertisement "), and
credits run inline into a paragraph (an embedded post's, a picture's controls, "gary wolstenholme /
redferns / getty"). `cleaning` classifies whole lines; this module works within a line.
"""

from __future__ import annotations

import re

from ..text.terms import STOPWORDS

__all__ = ["DATELINE", "LETTER", "split_at_inline_credits", "strip_credits", "strip_dateline"]

# "MOSCOW (Reuters) -", "KYIV, Ukraine (AP) —", "MOSCOW:": an all-caps place, optionally a
# country and an agency in brackets, then a dash or colon before the first sentence.
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)*(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?)"
    r"\s*(?:\((?P<agency>[^()]{1,40})\))?\s*(?:--|[-–—:])\s+(?=\S)"
)
LETTER = re.compile(r"[^\W\d_]")  # a letter of any script: not a digit, not an underscore


# A dateline with no agency, as a feed in sentence case or lower case writes it ("Beirut, lebanon —
# in the hills ...", "Stockholm — the world's top ...", "Commerce, mich. — in a speech ...", "21
# july 2011 – for many months ...", "Colerain township, ohio ( wkrc ) - police say ..."): a place (or
# date) of one to three words, maybe a region after a comma and a local outlet in brackets, then a
# spaced dash. Left in, it opened lede items ("Hong kong — google withdrew ..."); the
# full stop of "mich." even split it off as a sentence of its own, and the sentence after, opening
# on the dash, read as a fragment. Prose opens that way too, so the place holds no function word
# ("Forget the rain forest — your home ...") and, without a region, its dash opens no aside that a
# dash later in the sentence closes ("Arthropods — a huge group that includes insects ... — have
# been living ...").
# "File -" opens a picture's caption, not a story.
_PLAIN_DATELINE = re.compile(r"(?P<place>[\w'\u2019./]+(?: [\w'\u2019./]+){0,2}(?:, [\w'\u2019.]+(?: [\w'\u2019.]+)?)?)"
                             r"(?: \( ?[\w.&'-]+(?: [\w.&'-]+){0,2} ?\))? (?:--|[-\u2013\u2014]) (?=[\w\"\u201c])")
_DASH = re.compile(r" (?:--|[-\u2013\u2014]) ")
_NOT_A_PLACE = STOPWORDS | {"file"}


def strip_dateline(paragraph: str) -> str:
    """Remove a leading dateline ("MOSCOW (Reuters) - ", "Stockholm — ") from the first paragraph
    of a story."""
    match = DATELINE.match(paragraph)
    if match is None or not LETTER.search(match.group("place")):
        return _strip_plain_dateline(paragraph)
    rest = paragraph[match.end() :]
    # Only a dateline if what follows still reads as a sentence start.
    return rest if rest[:1].isupper() or rest[:1] in "“\"'‘" else paragraph


def _strip_plain_dateline(text: str) -> str:
    """`text` without the dateline of no agency (`_PLAIN_DATELINE`) it opens with, if it does; the
    sentence after takes the capital the dateline opened with."""
    end = _plain_dateline_end(text, 0)
    if end is None:
        return text
    rest = text[end:]
    return rest[0].upper() + rest[1:] if text[:1].isupper() and rest[:1].islower() else rest


def _plain_dateline_end(text: str, at: int) -> int | None:
    """Where the dateline of no agency that starts at `at` ends, if one does."""
    match = _PLAIN_DATELINE.match(text, at)
    if match is None or not LETTER.search(match.group("place")):
        return None
    if any(word.strip(".,") in _NOT_A_PLACE for word in match.group("place").lower().split()):
        return None
    if "," in match.group("place"):  # "Commerce, mich.": a place and its region
        return match.end()
    # One word or a few, then a dash: an aside if a dash after it closes one ("Arthropods — a huge
    # group ... — have been"), not if the dashes after it pair up ("Computerworld - the fbi ...
    # left 28 people -- including lanza himself -- dead.").
    sentence = re.split(r"(?<=[.!?])\s", text[match.end() :], maxsplit=1)[0]
    return None if len(_DASH.findall(sentence)) % 2 else match.end()


# An agency's credit or dateline where a sentence starts, in any case: a feed that runs captions and
# stories into one line leaves "( associated press ) iguala, mexico ( ap ) — a clandestine grave
# ..." or "( cnn ) -- the winter storm ...". Only these agencies' marks in brackets, followed by a
# dash (a dateline) or alone in brackets (a credit), and only at a sentence's start.
_AGENCIES = r"(?:ap|afp|reuters|cnn|upi|dpa|associated press)"
# A dateline's place: a few words, then maybe a state, country or date after a comma ("harrisburg,
# pa.", "MOGADISHU, Sept 5"); a full stop only there, so that no sentence end is taken for one.
_PLACE = r"[\w'\u2019-]+(?:[ -][\w'\u2019-]+){0,3}(?:,\s[\w'\u2019.-]+(?:\s[\w'\u2019.-]+){0,3})?"
_DATELINE = rf"{_PLACE}\s*\(\s*{_AGENCIES}\s*\)\s*(?:--|[-\u2013\u2014])+\s+"
# Any other short round bracket where a sentence starts is a photo credit or a caption's source, run
# into the text by the scrape: "( rj sangosti, the denver post ) centennial — authorities began
# ...", "( photo: tbi ) ...", "( kutv ) a vernal man ..."; a square one only when it names a picture
# ("[ photo/xinhua ] xi ' an - china launched ..."): "[Plant] and the other members ..." is the
# writer's word put in for a pronoun, part of the sentence. Only a bracket of a few words, no
# sentence's end inside (a full stop only in one that ends on "photo": "( u.s. Department of state
# photo ) for about a decade it operated unhindered ..."), with a sentence after it.
_LEADING_BRACKET = (r"(?:\(\s*[^()\[\].!?]{1,60}?\s*\)"
                    r"|\(\s*[^()\[\]!?]{1,60}?\s(?:photo|photograph|image|picture)s?\s*\)"
                    r"|\[[^\[\]().!?]{0,40}?(?:photo|image|video|credit|/)[^\[\]().!?]{0,40}?\])"
                    r"\s+(?=(?:\S+\s+){4}\S)")
# A picture's sale or agency mark where the text starts: "Buy photo howell – more than 200 dogs ...";
# a page's marker run into the next paragraph: "Story continued below he tweeted the font ...",
# "Advertisement the survey found 579 species ..." (only before a word that opens a sentence:
# "Advertisement spending rose" is news), "Advertisement continue reading the main story denver —
# ..."; or the time of an update: "Updated 2: 00 p.m. Eastern washington u.s. defenses could ...",
# "Updated: wednesday, 8: 29 a.m. In response to the drug report, ..."; or Medium's author widget:
# "Chris urmson blocked unblock follow following may 11, 2015 unlisted about 33,000 people die ...".
_SENTENCE_START = r"(?=(?:the|a|an|he|she|it|they|we|this|that|these|those|in|on|at|for|after|but|and|as|when|while)\b)"
_PAGE_MARK = (r"(?:(?:buy|ap) photo\s+|story continue[sd] below\s+"
              rf"|advertisement\s+(?:continue reading the main story\s+|{_SENTENCE_START})"
              r"|updated\s*:?\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
              r"\d{1,2}:\s?\d\d\s*[ap]\.?\s?m\.?(?:\s+(?:eastern|et|edt|est|pacific|pt|pdt|pst|gmt|bst|utc))?"
              r"\s*:?\s+"
              r"|[\w'\u2019.-]+(?:\s+[\w'\u2019.-]+){0,3}?\s+blocked\s+unblock\s+follow\s+following\s+"
              r"(?:[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}\s+)?(?:unlisted\s+)?(?:\d+\s+min\s+read\s+)?)")
_CREDIT_OR_DATELINE = re.compile(
    rf"(?:(?<=^)|(?<=[.!?\"\u201d)]\s))"
    rf"(?:\(\s*{_AGENCIES}\s*\)\s*(?:(?:--|[-\u2013\u2014])\s+)?(?:{_DATELINE})?|{_DATELINE}|{_LEADING_BRACKET}|{_PAGE_MARK})"
    rf"(?=\S)", re.IGNORECASE)
_MARK_WORDS = re.compile(r"photo|story continue|advertisement|updated|unblock", re.IGNORECASE)  # a cheap test first


def strip_credits(paragraph: str) -> str:
    """The paragraph without agency credits, datelines, photo credits and picture or page marks at
    the starts of its sentences."""
    if "(" not in paragraph and "[" not in paragraph and not _MARK_WORDS.search(paragraph):
        return paragraph  # most paragraphs: no mark to look for
    kept: list[str] = []
    end = 0
    for match in _CREDIT_OR_DATELINE.finditer(paragraph):
        kept.append(paragraph[end : match.start()])
        # The story's own dateline may follow the mark: "( the washington post ) charlotte — it
        # isn't often ...", "Advertisement continue reading the main story denver — patrick ...".
        end = _plain_dateline_end(paragraph, match.end()) or match.end()
    return "".join(kept) + paragraph[end:]


# The credit that closes an embedded post, as a scrape leaves it inline: "... should i use?
# pic.twitter.com/sroigwdgr6 — rick wolff ( @rickwolff ) april 14, 2015 hillvetica maintains ...".
# The article goes on after it, so it ends a paragraph: left inline, it glued the article's next
# sentence to the post and opened it with a web address.
_EMBED_CREDIT = re.compile(
    r"\s*(?:pic\.twitter\.com/\w+\s*)?(?:--|[-\u2013\u2014])\s*[^()\u2014]{1,60}?\(\s*@\w{1,30}\s*\)\s*"
    r"[a-z]+\.?\s+\d{1,2}\s*,?\s*\d{4}\s*", re.IGNORECASE)


# A picture's caption controls and credit where a scrape of NPR leaves them, between the headline
# and the story: "... vatican commission says enlarge this image toggle caption gregorio borgia/ap
# gregorio borgia/ap furthering a thaw in relations ...". The credit is one or two "name/agency".
_PICTURE_CONTROLS = re.compile(
    r"\s*enlarge this image\s+(?:toggle caption\s+)?(?:(?:[^\s/]+\s+){0,3}[^\s/]+/[^\s/]+\s+){0,2}", re.IGNORECASE)
# A picture's credit run into the text: names parted by slashes, the last a picture agency ("... found
# dead at 50 gary wolstenholme / redferns / getty dave brockie, frontman for ...", "reuters/ivan
# sekretarev/pool/lucas jackson/file photos moscow ( reuters ) - ..."). What comes before it is a
# headline or a caption, what follows the story. Each name is a few words, the first at most three
# (a photographer's or a studio's): "and/or" or "24/7" end in no agency. With one slash only a
# picture agency ends it ("Kevin Winter/Getty Images"): "a joint Reuters/AFP investigation", "the
# Getty/Corbis deal" are prose.
_PICTURE_AGENCY = (r"(?:getty\s+images|redferns|wireimage|filmmagic|shutterstock|file\s+photos?"
                   r"|(?:ap|afp|epa)\s+photo)")
_ANY_AGENCY = rf"(?:{_PICTURE_AGENCY}|getty|corbis|reuters|ap|afp|epa)"
_CREDIT_WORD = r"[\w'\u2019&-]+"  # no punctuation: a credit does not run across a sentence's end
_CREDITED_NAME = rf"{_CREDIT_WORD}(?:\s+{_CREDIT_WORD}){{0,3}}"
_FIRST_CREDITED_NAME = rf"{_CREDIT_WORD}(?:\s+{_CREDIT_WORD}){{0,2}}"
_SLASH_CREDIT = re.compile(
    rf"\s*{_FIRST_CREDITED_NAME}\s*/\s*(?:(?:{_CREDITED_NAME}\s*/\s*)+{_ANY_AGENCY}|{_PICTURE_AGENCY})\b[.;,]?\s*",
    re.IGNORECASE)
# ... or after the Guardian's label, names parted by slashes whatever the last one is ("... two days
# later. Photograph: brook lapping/kessler prod/bbc israel has made public ..."). The last name is
# one word: the story goes on after it. Only that label ("Photograph:", "Composite:",
# "Illustration:"): after "Photo:" a credit may be anything ("Photo: courtesy micheal brown /
# courtesy micheal brown lamar high school seniors ..."), and its end cannot be told.
_NAME_WORD = r"(?!(?:and|or)\b)[^\W\d_][\w'\u2019&-]*"  # a letter first: "a 50/50 split", "and/or" are prose
_LABELLED_SLASH_CREDIT = re.compile(
    rf"\s*\b(?:photograph|composite|illustration)\s*:\s*(?:{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}\s*/\s*)+"
    rf"{_NAME_WORD}\b[.;,]?\s*", re.IGNORECASE)
# ... or in brackets, where a sentence of the caption runs into the story: "... to make their
# remaining time with him happy ( photo: provided by the allen family ) colerain police arrested
# two teens ...". Only a bracket that says it is a picture's credit: "the funds (provided by the
# state) were spent ..." is prose, so "Claire davis ( provided by arapahoe county sheriff's office
# ) the senior was shot ..." stays as it is.
_BRACKETED_CREDIT = re.compile(
    r"\s*\(\s*(?:(?:photo|image|picture)s?\s*:\s*|(?:photo|image|picture)s?\s+by\s+"
    r"|courtesy(?:\s+of\s+|\s*:\s*)|credit\s*:\s*)[^()]{1,60}\)\s*", re.IGNORECASE)
# Each inline credit, with a word the paragraph must hold for it to be looked for.
_INLINE_CREDITS = ((_EMBED_CREDIT, "@"), (_PICTURE_CONTROLS, "enlarge this image"), (_SLASH_CREDIT, "/"),
                   (_BRACKETED_CREDIT, "("), (_LABELLED_SLASH_CREDIT, "/"))


def split_at_inline_credits(paragraph: str) -> list[str]:
    """The paragraph cut where an embedded post's credit, a picture's controls or its credit stand,
    left out."""
    pieces = [paragraph]
    for pattern, needed in _INLINE_CREDITS:
        if needed in paragraph.lower():  # most paragraphs: nothing to look for
            pieces = [part for piece in pieces for part in pattern.split(piece) if part.strip()]
    return pieces
