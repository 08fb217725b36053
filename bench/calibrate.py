"""How well each similarity tells same-fact pairs from pairs that are only about the same event.

Reads bench/calibration/pairs.jsonl (150 hand-labelled pairs from the dev clusters; see the README
there), scores every pair with each similarity of the table and with weighted mixes of the two,
and reports, weighted back to the population the pairs were drawn from:

- the area under the ROC curve (how often a same-fact pair outscores a different-fact pair);
- precision and recall of "same fact" at each threshold, which is where a threshold is chosen;
- the cosine of the pairs that state one claim with opposite stance (contradictions);
- how the support test (text/support.py), which every citation rests on, classifies the same pairs.

    python bench/calibrate.py
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
CALIBRATION = REPO / "bench" / "calibration"

import sys  # noqa: E402

sys.path.insert(0, str(REPO / "bench"))

from results import write_section  # noqa: E402

from summarizer.align.linking import _same_speaker_links  # noqa: E402
from summarizer.align.nodes import build_nodes  # noqa: E402
from summarizer.models import Source  # noqa: E402
from summarizer.text.similarity import get_similarity  # noqa: E402
from summarizer.text.support import check_support  # noqa: E402

SECTION = "## Calibration: same-fact pairs"


def weighted_auc(score: np.ndarray, same: np.ndarray, weight: np.ndarray) -> float:
    """P(score of a same-fact pair > score of a different-fact pair), pairs weighted."""
    positive, negative = score[same], score[~same]
    wp, wn = weight[same], weight[~same]
    wins = sum(w * (wn[negative < s].sum() + 0.5 * wn[negative == s].sum()) for s, w in zip(positive, wp))
    return float(wins / (wp.sum() * wn.sum()))


def precision_recall(score: np.ndarray, same: np.ndarray, weight: np.ndarray, threshold: float) -> tuple[float, float]:
    predicted = score >= threshold
    tp = float((weight * (predicted & same)).sum())
    fp = float((weight * (predicted & ~same)).sum())
    fn = float((weight * (~predicted & same)).sum())
    return (tp / (tp + fp) if tp + fp else 1.0), tp / (tp + fn)


def labelled_pairs() -> tuple[list[dict[str, Any]], dict[str, np.ndarray], np.ndarray]:
    """The labelled pairs, each pair's cosine under each similarity ("lexical", "semantic"), and
    each pair's weight: the pairs its cosine band stands for (bench/calibration/README.md)."""
    rows = [json.loads(line) for line in (CALIBRATION / "pairs.jsonl").open(encoding="utf-8")]
    sampling = json.loads((CALIBRATION / "sampling.json").read_text(encoding="utf-8"))
    texts = [text for row in rows for text in (row["a"], row["b"])]
    scores: dict[str, np.ndarray] = {}
    for name in ("lexical", "semantic"):
        similarity = get_similarity(name)
        vectors = similarity.vectors(texts)  # TF-IDF's IDF is over these 300 sentences
        scores[name] = np.array([float(similarity.cosines_to(vectors[2 * i : 2 * i + 2], 0)[1])
                                 for i in range(len(rows))])
    weight = np.zeros(len(rows))
    for low, high, population in sampling["bands"]:
        band = (scores["semantic"] >= low) & (scores["semantic"] < high)
        weight[band] = population / max(int(band.sum()), 1)
    return rows, scores, weight


def main() -> None:
    rows, scores, weight = labelled_pairs()
    same = np.array([row["same_fact"] for row in rows])
    contradiction = np.array([row["contradiction"] for row in rows])
    mixes = {"lexical": scores["lexical"], "semantic": scores["semantic"]}
    for share in (0.25, 0.5, 0.75):
        mix = share * scores["semantic"] + (1 - share) * scores["lexical"]
        mixes[f"{share:g} semantic + {1 - share:g} lexical"] = mix

    lines = [SECTION, "",
             f"`python bench/calibrate.py`, {time.strftime('%Y-%m-%d')}: {len(rows)} hand-labelled pairs of sentences "
             f"from different articles of one dev cluster ({int(same.sum())} same fact, {int(contradiction.sum())} "
             "contradictions), drawn in bands of MiniLM cosine >= 0.4 and weighted back to the 6,729 pairs they were "
             "drawn from (bench/calibration/README.md). Recall is among pairs MiniLM already finds related.", "",
             "| scored by | AUC, same fact vs not |", "|---|---:|"]
    for name, score in mixes.items():
        lines.append(f"| {name} | {weighted_auc(score, same, weight):.3f} |")
    for name, grid in (("semantic", np.arange(0.45, 0.86, 0.05)), ("lexical", np.arange(0.10, 0.51, 0.05))):
        lines += ["", f"{name}: precision / recall of \"same fact\" at each threshold", "",
                  "| threshold | " + " | ".join(f"{t:.2f}" for t in grid) + " |",
                  "|---|" + "---:|" * len(grid)]
        pr = [precision_recall(scores[name], same, weight, float(t)) for t in grid]
        lines.append("| precision | " + " | ".join(f"{p:.2f}" for p, _ in pr) + " |")
        lines.append("| recall | " + " | ".join(f"{r:.2f}" for _, r in pr) + " |")
    # The support test (text/support.py) as a classifier of the same pairs: a pair is "same fact" for
    # it when either sentence supports the other. Verification and every citation rest on it.
    supports = np.array([check_support(row["a"], row["b"]).supported or check_support(row["b"], row["a"]).supported
                         for row in rows], dtype=float)
    precision, recall = precision_recall(supports, same, weight, 0.5)
    accepted = supports.astype(bool)
    lines += ["", "The support test (text/support.py; either sentence supports the other) on the same pairs: "
              f"{int((accepted & same).sum())} of {int(same.sum())} same-fact pairs accepted and "
              f"{int((accepted & ~same).sum())} of {int((~same).sum())} other pairs (weighted: precision "
              f"{precision:.2f}, recall {recall:.2f}); contradictions accepted "
              f"{int((accepted & contradiction).sum())} of {int(contradiction.sum())}."]
    # The alignment's second way of linking (align/linking._same_speaker_links): below the same-fact
    # cut-off, two sentences that give one named speaker's words and that the support test links.
    semantic = get_similarity("semantic")
    cut = semantic.thresholds.same_fact
    speaker_linked = np.array([
        bool(_same_speaker_links(build_nodes([Source(id=1, path="a", sentences=[row["a"]]),
                                              Source(id=2, path="b", sentences=[row["b"]])]),
                                 {(0, 1): float(scores["semantic"][i])}, semantic))
        for i, row in enumerate(rows)])
    for label, linked in (("the same-fact cut-off alone", scores["semantic"] >= cut),
                          ("... or the same named speaker, close and borne out", (scores["semantic"] >= cut)
                           | speaker_linked)):
        precision, recall = precision_recall(linked.astype(float), same, weight, 0.5)
        lines.append(f"\nLinked by {label} (semantic, {cut:g}; from "
                     f"{semantic.thresholds.same_speaker_fact:g} for one speaker): {int((linked & same).sum())} of "
                     f"{int(same.sum())} same-fact pairs, {int((linked & ~same).sum())} of {int((~same).sum())} "
                     f"others (weighted precision {precision:.2f}, recall {recall:.2f}).")
    lines += ["", "Contradictions (one claim, opposite stance or figures) score like paraphrases: semantic "
              + ", ".join(f"{s:.2f}" for s in sorted(scores["semantic"][contradiction]))
              + "; lexical " + ", ".join(f"{s:.2f}" for s in sorted(scores["lexical"][contradiction])) + "."]
    print("\n".join(lines))
    write_section(SECTION, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
