"""Stage 4, align: cross-source matching of sentences, deterministic, no LLM -> `Alignment`.

    nodes       distinct sentences, each with every place it occurs
    linking     same-fact evidence from the similarity, average-linkage groups
    wording     the wording of a group that its members bear out
    alignment   agreements (>= 2 sources), exclusives (1 source, with evidence of absence)
    detectors   the table of disagreement detectors (figures, quotes, disputes)
"""

from __future__ import annotations

from .alignment import align_sources, compared_texts

__all__ = ["align_sources", "compared_texts"]
