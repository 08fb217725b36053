"""Parties that contradict each other, as the sources report them (`parties_dispute`).

Attributed sentences whose stance on one frame ("responsibility", "legality") is assert for some
speakers and deny for others, grouped by what the claims are about (the names and event nouns
next to the stance cue). Each claim is one position, in its own words, citing only itself.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ...models import Citation, Disagreement, Statement
from ...text.claims import attributed_speaker, claim_speaker
from ...text.shape import stands_alone
from ...text.stances import claim_frame, stance, stance_cue_span
from ...text.terms import content_terms
from ..nodes import SentenceNode
from .base import DetectorInput
from .common import EVENT_NOUNS, UnionFind, event_phrase, sort_key

__all__ = ["party_disputes"]

# Claims are about the same thing when the names (or event nouns) next to their stance cues meet:
# cosine cannot tell "Moscow denies [hacking]" from "Moscow denies [the gas attack]" in short
# sentences, the words around "denies" can.
CLAIM_WINDOW_WORDS = 10
# Claims shown per side of a dispute: enough to show who says what, few enough to read.
MAX_CLAIMS_PER_SIDE = 3
# "..., he said": the speaker is named in the sentence before.
_PRONOUN_ATTRIBUTION = ("he said", "she said", "he added", "she added", "he told", "she told",
                        "he insisted", "she insisted", "he warned", "she warned")


def _speaker_with_context(node: SentenceNode, sentences: dict[Citation, str]) -> tuple[str | None, bool]:
    """The claim's speaker, and whether it was named in the sentence itself; for "..., he said" the
    speaker named in the sentence just before (same source) stands in."""
    speaker = claim_speaker(node.text)
    if speaker is not None:
        return speaker, True
    first = node.occurrences[0]
    if first.sentence > 0 and any(p in node.text.lower() for p in _PRONOUN_ATTRIBUTION):
        previous = sentences.get(Citation(source=first.source, sentence=first.sentence - 1))
        return (attributed_speaker(previous) if previous else None), False
    return None, False


_CAPITALISED = re.compile(r"\b[A-Z][\w\u2019'-]*")


def _claim_window(text: str) -> str:
    """The words around the stance cue: where the claim's object is named."""
    span = stance_cue_span(text)
    if span is None:
        return ""
    before = text[: span[0]].split()[-CLAIM_WINDOW_WORDS:]
    after = text[span[1]:].split()[:CLAIM_WINDOW_WORDS]
    return " ".join(before + [text[span[0]:span[1]]] + after)


def _claim_anchors(text: str, parties: set[str]) -> set[str]:
    """Stemmed names and event nouns near the stance cue, minus the names of the parties speaking:
    a claim is about its object ("Assad", "the strike"), and "the US"/"Russia" are in every claim."""
    window = _claim_window(text)
    anchors = set(content_terms(" ".join(_CAPITALISED.findall(window)))) - parties
    anchors.update(t for t in content_terms(window) if any(t.startswith(e) for e in EVENT_NOUNS))
    return anchors


def _components_by_anchor(anchors: dict[int, set[str]]) -> list[list[int]]:
    """Claims sharing an anchor term, as connected components (via an inverted index, not pairs)."""
    components = UnionFind(sorted(anchors))
    first_with: dict[str, int] = {}
    for k in sorted(anchors):
        for term in sorted(anchors[k]):
            if term in first_with:
                components.union(first_with[term], k)
            else:
                first_with[term] = k
    return components.components()


def _majority_sides(claims: dict[int, tuple[str, str, bool]], component: list[int]) -> dict[str, list[int]]:
    """Assert and deny members; a speaker found on both sides keeps only their majority side."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for k in component:
        votes[claims[k][0]][claims[k][1]] += 1
    sides: dict[str, list[int]] = {"assert": [], "deny": []}
    for k in component:
        speaker, position, _explicit = claims[k]
        other = "deny" if position == "assert" else "assert"
        if votes[speaker][position] > votes[speaker][other]:
            sides[position].append(k)
    return sides


def party_disputes(found: DetectorInput) -> list[Disagreement]:
    """Assert-versus-deny clusters of attributed claims on one frame, labelled as parties' dispute."""
    nodes, sources = found.nodes, found.sources
    sentences = {Citation(source=s.id, sentence=i): t for s in sources for i, t in enumerate(s.sentences)}
    claims: dict[str, dict[int, tuple[str, str, bool]]] = defaultdict(dict)  # frame -> node -> claim
    anchors: dict[str, dict[int, set[str]]] = defaultdict(dict)
    for k, node in enumerate(nodes):
        frame, position = claim_frame(node.text), stance(node.text)
        if frame not in ("responsibility", "legality") or position is None:
            continue
        speaker, explicit = _speaker_with_context(node, sentences)
        if speaker is not None:
            claims[frame][k] = (speaker, position, explicit)
    for frame, frame_claims in claims.items():
        parties = {term for speaker, _pos, _explicit in frame_claims.values() for term in content_terms(speaker)}
        parties.add("usa")  # the tokenizer's name for "US"/"U.S.", the commonest party of all
        for k in frame_claims:
            anchors[frame][k] = _claim_anchors(nodes[k].text, parties)
    disagreements = []
    for frame in ("responsibility", "legality"):
        for component in _components_by_anchor(anchors[frame]):
            sides = _majority_sides(claims[frame], component)
            if not sides["assert"] or not sides["deny"]:
                continue
            positions: list[Statement] = []
            for side in ("assert", "deny"):
                # One position per claim, in its own words and citing only itself: a claim worded by
                # one party cannot stand in for another's. Claims that name their speaker and stand
                # on their own come first.
                ranked = sorted(sides[side], key=lambda k: (not claims[frame][k][2],
                                                            not stands_alone(nodes[k].text),
                                                            sort_key(nodes, [k])))
                positions.extend(Statement(text=nodes[k].text, citations=list(nodes[k].occurrences))
                                 for k in ranked[:MAX_CLAIMS_PER_SIDE])
            # Legality is judged of an act (a strike, a raid); responsibility is sought for an attack.
            prefer = ("strik", "raid", "bomb") if frame == "legality" else ("attack",)
            event = event_phrase([_claim_window(nodes[k].text) for k in component], prefer)
            topic = f"Responsibility for {event}" if frame == "responsibility" else f"Legality of {event}"
            disagreements.append(Disagreement(topic=topic, kind="parties_dispute", positions=positions))
    return disagreements
