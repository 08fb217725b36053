"""Semantic similarity: all-MiniLM-L6-v2 sentence embeddings, run by ONNX Runtime (no torch).

The model files ship with the package (`minilm/`, built by scripts/build_minilm.py from the
published weights, their hashes in MANIFEST.json and checked at load). Sentences are embedded once:
the texts of a call are de-duplicated, and vectors are kept in memory for the run and on disk
across runs (`vector_cache`). Batches are sorted by length and padded to their longest sentence
only, so a batch of short sentences costs what short sentences cost.

Paraphrases score high here where TF-IDF scores them low ("restore the air safety agreement" and
"resume a deal to avoid incidents in Syrian airspace"), but contradictions look like paraphrases
too (cosine ~0.8): a conflict is found by comparing aligned sentences, never by distance.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import ConfigError
from .base import Similarity, Thresholds
from .vector_cache import VectorCache, text_key

__all__ = ["SemanticSimilarity", "SimilarityUnavailableError"]

# Sentences per forward pass: measured on 2 cores, 16 is the fastest (8 to 32 within 5%).
BATCH_SENTENCES = 16


class SimilarityUnavailableError(ConfigError):
    """The semantic model cannot be loaded (a dependency or a model file is missing or damaged)."""


class SemanticSimilarity(Similarity):
    """Cosine of MiniLM sentence embeddings; rows are dense float32."""

    name = "semantic"
    # Provisional, not yet calibrated: bench/calibrate.py finds "same fact" precision of 0.53 at 0.60,
    # 0.65 at 0.65 and 0.93 at 0.80 on the labelled dev pairs, where TF-IDF reaches 0.97 at 0.25.
    # Alignment is to be recalibrated for this similarity (or a mix of both) before it is the default.
    thresholds = Thresholds(
        same_fact=0.62,
        same_quote=0.62,
        verbatim=0.97,
        short_quote_context=0.35,
        floor=0.3,
        related_topic=0.35,
        exclusive_ceiling=0.5,
    )

    def __init__(self, *, cache_dir: Path | None = None, use_disk_cache: bool = True) -> None:
        self._model = _load_model()
        self._memory: dict[bytes, np.ndarray] = {}
        self._disk = VectorCache(self._model.model_id, self._model.dimensions, cache_dir) if use_disk_cache else None

    def prepare(self, texts: Sequence[str]) -> None:
        """Embed every text now: the alignment and the engine then read them from memory."""
        self.vectors(texts)

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text; each distinct text embedded at most once."""
        keys = [text_key(text) for text in texts]
        missing = {key: text for key, text in zip(keys, texts) if key not in self._memory}
        if missing and self._disk is not None:
            self._memory.update(self._disk.get(list(missing)))
            missing = {key: text for key, text in missing.items() if key not in self._memory}
        if missing:
            computed = self._model.embed(list(missing.values()))
            fresh = dict(zip(missing, computed))
            self._memory.update(fresh)
            if self._disk is not None:
                self._disk.put(fresh.items())
        if not keys:
            return np.zeros((0, self._model.dimensions), dtype=np.float32)
        return np.stack([self._memory[key] for key in keys])


class _Model:
    """The ONNX session and the tokenizer, loaded once per process."""

    def __init__(self, folder: Any) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise SimilarityUnavailableError(
                f"semantic similarity needs {exc.name}: pip install onnxruntime tokenizers "
                "(or use --similarity lexical)") from exc
        manifest = json.loads(folder.joinpath("MANIFEST.json").read_text(encoding="utf-8"))
        blobs = {name: folder.joinpath(name).read_bytes() for name in manifest["files"]}
        for name, expected in manifest["files"].items():
            if hashlib.sha256(blobs[name]).hexdigest() != expected:
                raise SimilarityUnavailableError(
                    f"the semantic model's {name} is damaged (its sha256 is not the one in MANIFEST.json); "
                    "reinstall the package, or use --similarity lexical")
        self.model_id = "minilm-" + manifest["files"]["model.onnx"][:16]
        self.dimensions = int(manifest["dimensions"])
        self.tokenizer = Tokenizer.from_str(blobs["tokenizer.json"].decode("utf-8"))
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # warnings about the graph are ours to act on, not the user's
        options.intra_op_num_threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0
        self.session = onnxruntime.InferenceSession(blobs["model.onnx"], options, providers=["CPUExecutionProvider"])

    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors of texts, in their order; batches of similar length so padding stays short."""
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for start in range(0, len(order), BATCH_SENTENCES):
            batch = order[start : start + BATCH_SENTENCES]
            length = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), length), dtype=np.int64)
            mask = np.zeros((len(batch), length), dtype=np.int64)
            for row, i in enumerate(batch):
                tokens = encodings[i].ids
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1
            out[batch] = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return out


@cache
def _load_model() -> _Model:
    """The model shipped in minilm/, loaded on first use."""
    try:
        return _Model(resources.files(__package__).joinpath("minilm"))
    except (OSError, KeyError, ValueError) as exc:
        raise SimilarityUnavailableError(
            f"the semantic model's files cannot be read ({exc}); reinstall the package, or use --similarity lexical"
        ) from exc
