"""The cues of web cruft that `cleaning` matches line by line.

Each cue is a general phrasing of site furniture (players, comment widgets, cookie banners,
newsletters, share bars, ads, legal notices, author bios), grouped by category. A *strong* cue
marks a line as cruft even when it reads like prose (a legal notice is a full sentence); a weak cue
only applies to lines that do not already score as body text, so an article sentence that happens
to mention "advertisement" or "subscribe" is kept.
"""

from __future__ import annotations

import re

__all__ = [
    "ABSORBING_CATEGORIES", "BIO", "CONTRIBUTORS", "MARGIN_CATEGORIES", "SENTENCE_CATEGORIES", "find_cue",
    "may_hold_sentence_cue",
]

_I = re.IGNORECASE

# An author bio: a person's name opening a sentence that calls them a journalist of some kind.
# Case-sensitive on purpose: the name must be capitalised.
BIO = re.compile(
    r"^(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})\s+(?:is|was|has been)\s+(?:an?|the)\s+"
    r"(?:[\w-]+,?\s+){0,5}?(?:journalist|reporter|correspondent|editor|writer|columnist|producer|"
    r"contributor|photographer|author|analyst|blogger|presenter|anchor)s?\b"
)
# "With reporting by Reuters, AP and AFP": contributing agencies, not the outlet itself.
CONTRIBUTORS = re.compile(
    r"^\(?(?:with\s+)?(?:additional\s+)?reporting\s+(?:by|from)\s+(?P<names>[^;)]+)", _I
)

_STRONG: dict[str, list[str]] = {
    "player": [
        r"\bno media source (?:is )?currently available\b",
        r"\byour browser does(?: not|n[’']t) support (?:the )?(?:video|audio|html5|this)\b",
        r"\benable javascript to (?:play|view|watch)\b",
        r"\bmedia playback is (?:unsupported|not supported) on your device\b",
    ],
    "comments": [
        r"\bjoin our (?:commenting )?(?:forum|conversation|discussion|community)\b",
        r"\bjoin thought-provoking conversations\b",
        r"\bfollow other [\w.-]+(?: [\w.-]+)? readers\b",
        r"\bthank you for registering\b",
        r"\bplease refresh (?:the page|your browser)\b",
        r"\b(?:log|sign) ?in to (?:comment|reply|join the|leave)\b",
    ],
    "legal": [
        r"\byou could face (?:fines|prosecution|imprisonment|criminal)",
        r"\bto find out more,? click here\b",
        r"\ball rights reserved\b",
        r"^(?:©|\(c\)\s|copyright\s*(?:©\s*)?(?:19|20)\d\d\b)",
        r"\bthis (?:material|article|story) (?:may|must) not be (?:published|broadcast|rewritten|redistributed)\b",
    ],
    "cookies": [
        r"\b(?:we|this (?:web)?site|our (?:web)?site) uses? cookies\b",
        r"\bby (?:continuing to (?:use|browse)|using) (?:this|our) (?:site|website)\b",
    ],
    "newsletter": [
        r"\bsubscribe to our\b",
        r"\bsign up (?:for|to) our\b",
        r"\b(?:delivered|sent) (?:straight |directly )?to your inbox\b",
        r"\bget our .{0,30}?newsletter\b",
        r"\bunlimited (?:digital )?access for (?:just |only )?[$£€]",
        r"\bsubscribe (?:now|today)\b",
    ],
    "promo": [
        # Reader-addressed ads: "Are you in Russia and need ...? Find your country's embassy".
        r"\bfind (?:your|the nearest) .{0,40}?\b(?:embassy|consulate)\b",
        r"\bare you (?:in|travelling|traveling|planning|looking) .{0,60}\?",
        r"\bdownload our .{0,30}?app\b",
        r"\b(?:follow|like) us on (?:facebook|twitter|instagram|x|telegram|linkedin|youtube)\b",
    ],
    "widget": [
        # A page's widgets run into the article by the scrape: a box of bullet points, a video
        # player's buttons and title ("Play Facebook Twitter Embed Aid trucks finally enter ... 2:07"),
        # a link to a video report.
        r"^story highlights\b",
        r"^play facebook twitter (?:embed|google)\b",
        r"^click (?:here )?to (?:view|watch|play|see)\b",
    ],
    "signup": [
        # A site's e-mail sign-up run into the article it heads: "Breaking News Emails Get breaking
        # news alerts and special reports. The news and stories that matter, delivered weekday mornings."
        r"\bget breaking news alerts\b",
        r"\bdelivered (?:every )?weekday mornings\b",
    ],
    "caption": [
        # An agency's photo caption: "FILE - In this Jan. 28, 2014, file photo, ...", "File - smoke pours ..."
        r"^file\s*[-\u2013\u2014]\s",
        r"^file photo\s*[:-]",
        # "In this Nov. 13, 2003, photo William Adams ...", "In this 2011 photo ...", "In this photo, ..."
        r"^in this (?:[a-z]{3,9}\.? \d{1,2}, )?(?:\d{4},? )?(?:file )?photo\b",
        # "This 2011 photo provided by the Free Ghoncheh campaign shows ...", "This undated image ..."
        r"^this (?:undated |(?:[a-z]{3,9}\.? \d{1,2}, )?\d{4},? |file )*(?:photo|image|picture),? "
        r"(?:provided|released|taken|made available|obtained|distributed|shows?)\b",
        # A scraped picture's marks run into the text: "Image copyright AFP Image caption Mexican
        # troops have been guarding ... investigators in Mexico are working ..." (caption and
        # sentence glued, no stop between them), "Media caption ...".
        r"^(?:image|media) (?:copyright|caption)\b",
        # An agency caption's closing date, the weekday and the year with it, which article prose
        # does not write: "Sharon Adams looks through a yearbook ... in Centennial, Colo., on
        # Saturday, Dec. 14, 2013." (9 such sentences on the dev sets, all captions).
        r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),? (?:jan|feb|march|april|may|june|july|aug|"
        r"sept?|oct|nov|dec)[a-z]*\.? \d{1,2},? (?:19|20)\d{2}\s*[.)]?\s*$",
    ],
    "credit": [
        # A caption ending in a photo credit: "... in Moscow. (AFP/Alexander NEMENOV)".
        r"\((?-i:[A-Z][\w.&-]*)(?:\s*(?-i:[A-Z][\w.&-]*)){0,2}(?:\s*(?:photo|images|pictures|pool))?\s*/\s*[^()]{2,60}\)\s*$",
        r"^[•·*-]?\s*\d+\s*x\s*\d+\s+image\b",
        r"\bcontributed (?:reporting )?to this (?:report|story|article)\b",
    ],
    # Margin-only (see MARGIN_CATEGORIES): news prose can say these things about other people.
    "bio": [BIO.pattern],
    "notice": [
        r"\bhas been (?:declared|designated|labell?ed|branded) (?:an? |as an? )?[\"'“‘]?"
        r"(?:undesirable|foreign agent|extremist)",
    ],
}

_WEAK: dict[str, list[str]] = {
    "navigation": [
        r"^accessibility links$",
        r"^(?:skip|jump|go) to (?:the )?(?:main )?(?:content|navigation|search)\b",
        r"^you are here:",
        # A menu: three or more short items separated by bars, chevrons or bullets.
        r"^[^|›»•]{1,30}(?:\s[|›»•]\s[^|›»•]{1,30}){2,}$",
        r"^home(?:\s*[>›»/|·•]\s*|\s+)(?:news|world|politics|business|sports?|opinion|europe|us|uk"
        r"|asia|africa|americas|middle east|tech(?:nology)?|science|health|culture|local)\b",
        r"^(?:breaking news|live|latest(?: news)?|trending(?: now)?|most (?:read|popular|viewed)"
        r"|top stories|related(?: stories| articles| content| coverage| topics)?|recommended(?: for you)?"
        r"|you (?:may|might) also like|editor[’']?s picks?|more (?:from|on|in) .{1,40}|menu|search)$",
    ],
    "player": [
        r"^(?:this )?(?:video|media) (?:is )?(?:currently )?(?:unavailable|not available)\b",
        r"^(?:please wait|loading|buffering)(?:\.{3}|…|\.)?$",
        r"^(?:\d{1,2}:)?\d{1,2}:\d{2}(?:\s+(?:\d{1,2}:)?\d{1,2}:\d{2})*$",
        r"^(?:watch|video|listen|audio|photos?|gallery|in pictures|play video)(?:\s*[:|–—-]\s.*)?$",
    ],
    "comments": [
        r"^join the (?:conversation|discussion|debate)\b",
        r"^community guidelines\b",
        r"^comments? (?:are|have been) (?:closed|disabled)\b",
        r"^\(?\d+\)?\s*(?:users?|people|readers?)?\s*(?:say|said|comments?|replies|reactions)$",
        r"^(?:show|view|load|hide|read) (?:all |more |the )?comments?\b",
        r"^comments?\s*(?:\(\d+\))?$",
        r"^(?:create an account|register|log ?in|sign ?in|sign ?up|subscribe)(?: now| today| here| free)?[.!]?$",
        r"\balready (?:have an account|registered|a subscriber)\b",
    ],
    "cookies": [
        r"^(?:accept|reject|allow) (?:all )?cookies\b",
        r"^(?:cookie|privacy) (?:settings|preferences|consent|policy)\b",
        r"^manage (?:your )?(?:cookie|privacy) (?:settings|preferences|choices)\b",
    ],
    "legal": [
        r"^copyright\b",
        r"^(?:privacy policy|terms (?:of|and) (?:use|service|conditions))\b",
    ],
    "ratings": [
        r"^what the stars mean\b",
        r"[★☆✩✪⭐].*[★☆✩✪⭐]",
        r"^(?:rating|our rating|verdict)\s*:",
    ],
    "share": [
        r"^share (?:this|on|via|the|article|story)\b",
        r"^(?:(?:share|tweet|e-?mail|print|copy link|facebook|twitter|x|whatsapp|linkedin|reddit"
        r"|pinterest|messenger|telegram)\s*[|,/·•]?\s*)+$",
    ],
    "ads": [
        r"^(?:advertisement|advertising|sponsored(?: content)?|promoted(?: content)?|paid (?:content|post)"
        r"|ad|ads by \w+|story continues below(?: advertisement)?|continue reading(?: below)?)$",
        r"^(?:read more|read next|read also|also read|see also|related|more)\s*[:|›»]",
        r"^read (?:more|the full story)\b",
    ],
    "credit": [
        r"^(?:photo|image|picture|video|graphic)s?(?: credits?)?\s*:",
        r"\((?:AP|AFP|Reuters|Getty(?: Images)?|EPA|PA|Shutterstock|Bloomberg|Pool)(?: Photo)?\)\s*$",
        CONTRIBUTORS.pattern,
        r"^\(?(?:writing|editing|compiled|translated) by\b",
    ],
}

# Categories whose blocks usually carry a heading of their own ("Consular assistance in Russia"
# above a promo, a video title above "please wait", the author's name above a bio); a heading
# directly above one of their lines is taken into the block.
ABSORBING_CATEGORIES = frozenset({"player", "promo", "bio", "legal", "notice", "comments"})
# Cues that mark one sentence, not its whole paragraph: a legal notice, a player's message, an
# agency's photo caption ("FILE - In this ... photo, ..."), an e-mail sign-up or a page widget run on
# into the text of an article that arrives as one line. A bio or a promo is a block: the sentences
# beside its cue ("He joined the paper in 2014.") belong to it.
SENTENCE_CATEGORIES = frozenset({"legal", "player", "caption", "signup", "widget"})

# Cues that only count near the top or bottom of a page, where site furniture sits: an author bio
# ("X is an award-winning journalist ...") or a notice about the publisher's legal status. In the
# middle of a story the same words are news about someone ("Y has been declared undesirable").
MARGIN_CATEGORIES = frozenset({"bio", "notice"})

# Strong cues are tried on every line, prose included; a line that contains none of its
# category's words cannot match, and this cheap substring test spares most regex searches.
_STRONG_GATES: dict[str, tuple[str, ...]] = {
    "player": ("media source", "browser", "javascript", "playback"),
    "comments": ("join", "readers", "registering", "refresh", "in to "),
    "bio": (
        "journalist",
        "reporter",
        "correspondent",
        "editor",
        "writer",
        "columnist",
        "producer",
        "contributor",
        "photographer",
        "author",
        "analyst",
        "blogger",
        "presenter",
        "anchor",
    ),
    "notice": ("has been",),
    "legal": ("could face", "click here", "rights reserved", "©", "(c)", "copyright", "not be"),
    "cookies": ("cookie", "continuing to", "by using"),
    "newsletter": ("subscribe", "sign up", "inbox", "newsletter", "unlimited"),
    "promo": ("embassy", "consulate", "are you", "our", "us on"),
    "credit": ("/", "image", "contributed"),
    # Every caption pattern names a picture, a file or a weekday (its closing date).
    "caption": ("file -", "file \u2013", "file \u2014", "photo", "picture", "image", "media c",
                "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "signup": ("breaking news alerts", "weekday mornings"),
    "widget": ("story highlights", "embed", "click"),
}

_Cue = tuple[str, tuple[str, ...], list[re.Pattern[str]], bool]


def _compile(table: dict[str, list[str]], strong: bool) -> list[_Cue]:
    """Compile one cue table into (category, gate words, patterns, strong) entries."""
    return [
        (
            category,
            _STRONG_GATES.get(category, ()) if strong else (),
            [re.compile(p, 0 if p == BIO.pattern else _I) for p in patterns],  # names are capitalised
            strong,
        )
        for category, patterns in table.items()
    ]


_STRONG_CUES = _compile(_STRONG, True)
_ALL_CUES = _STRONG_CUES + _compile(_WEAK, False)


_SENTENCE_GATES = tuple(word for category in sorted(SENTENCE_CATEGORIES) for word in _STRONG_GATES[category])


def may_hold_sentence_cue(text: str) -> bool:
    """Whether a line has a word that a cue of SENTENCE_CATEGORIES needs (a cheap test before its
    sentences are looked at one by one)."""
    lowered = text.lower()
    return any(word in lowered for word in _SENTENCE_GATES)


def find_cue(text: str, *, strong_only: bool = False, in_margin: bool = True) -> tuple[str, str, bool] | None:
    """The first cue matching a stripped line: (category, matched text, strong), or None.

    `strong_only` skips the weak cues (for lines that read as prose); `in_margin=False` skips the
    margin-only categories (for lines in the middle of the page).
    """
    lowered = text.lower()
    for category, gate, patterns, strong in _STRONG_CUES if strong_only else _ALL_CUES:
        if not in_margin and category in MARGIN_CATEGORIES:
            continue
        if gate and not any(word in lowered for word in gate):
            continue
        for pattern in patterns:
            match = pattern.search(text)
            if match:
                return category, match.group(0)[:60], strong
    return None
