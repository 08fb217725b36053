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

import functools
import hashlib
import json
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import ConfigError
from ..disk_cache import not_yet_known
from .base import Embedded, Similarity, Thresholds
from .vector_cache import VectorCache, text_key

__all__ = ["SemanticSimilarity", "SimilarityUnavailableError"]

# Texts embedded, cached and reported at a time (about 4 s of passes on 2 cores): a feed of 5,000
# articles embeds its ledes in 90 s, which a person should see go by.
EMBEDDED_PER_SLICE = 256


class SimilarityUnavailableError(ConfigError):
    """The semantic model cannot be loaded (a dependency or a model file is missing or damaged)."""


class SemanticSimilarity(Similarity):
    """Cosine of MiniLM sentence embeddings; rows are dense float32."""

    name = "semantic"
    # Calibrated on the 150 labelled dev pairs of bench/calibration (bench/RESULTS.md). MiniLM ranks
    # pairs by topic more than by fact: its cosine needs 0.80 before "same fact" is right 9 times in
    # 10 (weighted precision 0.93; 0.65 at 0.65), so whole sentences link only from there, where
    # TF-IDF links from 0.45. The topic-level uses (figures about one event, a refutation and the
    # report it refutes, "no other source says anything close") are where it beats TF-IDF, and
    # they keep the looser cut-offs.
    thresholds = Thresholds(
        same_fact=0.8,
        # Two reports of one speaker's words, one bearing the other out (`align.linking`): Lavrov on
        # the air-safety deal, "agreed to restore" / "willing to reinstate", scores 0.75; the Pope on
        # heaven for pets 0.77 and 0.79. All 4 labelled pairs that name one speaker on both sides are
        # one fact (bench/calibration); the speaker and the support test do the rest.
        same_speaker_fact=0.65,
        # Renderings of one remark score 0.94 (two translations of Putin's "level of trust") and
        # 0.78 (one quote carrying a sentence more); two remarks of one press conference ("we
        # frankly discussed ..." / "we're not getting along ...") 0.62.
        same_quote=0.7,
        verbatim=0.97,
        short_quote_context=0.5,
        # Pairs below this are never materialised. MiniLM puts most sentences of one story at 0.3
        # or more to each other, so a floor of 0.3 kept millions of pairs for 200 reports of one
        # event (709 MB, 18 s); at 0.5 (the lowest cut-off that reads these pairs) 383 MB, 9.8 s,
        # and the same briefs on the dev sets.
        floor=0.5,
        related_topic=0.35,
        exclusive_ceiling=0.5,
        # Adjusted Rand index on the Multi-News dev pile (bench/cluster_quality.py): 0.92 at 0.50,
        # 0.89 at 0.55, 0.79 at 0.45 and at 0.60.
        same_event=0.5,
    )

    def __init__(self, *, cache_dir: Path | None = None, use_disk_cache: bool = True) -> None:
        # Only the model's card is read here: when every sentence is in the vector cache (a second
        # run over the same articles), ONNX Runtime is never started (0.3 s saved on the seeds).
        self._card = _model_card()
        self._memory: dict[bytes, np.ndarray] = {}
        self._disk = VectorCache(self._card.model_id, self._card.dimensions, cache_dir) if use_disk_cache else None
        self._pending: _PendingEmbedding | None = None
        self._pending_lock = threading.Lock()

    def prepare(self, texts: Sequence[str], *, on_embedded: Embedded | None = None) -> None:
        """Start embedding the texts not cached yet; `vectors` waits for them.

        The model is loaded here, before this returns, so a model that cannot load is known now
        (the caller falls back to lexical similarity). The passes then run in the background: ONNX
        Runtime releases the GIL, so what the run does next in Python goes on meanwhile.
        """
        self._wait_for_pending()
        missing = self._missing({text_key(text): text for text in texts})
        if not missing:
            return
        pending = _PendingEmbedding(functools.partial(self._compute, on_embedded=on_embedded), missing, _load_model())
        with self._pending_lock:
            self._pending = pending
        pending.start()

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text; each distinct text embedded at most once."""
        self._wait_for_pending()
        keys = [text_key(text) for text in texts]
        missing = self._missing(dict(zip(keys, texts)))
        if missing:
            self._compute(missing, _load_model())
        if not keys:
            return np.zeros((0, self._card.dimensions), dtype=np.float32)
        return np.stack([self._memory[key] for key in keys])

    def _missing(self, wanted: dict[bytes, str]) -> dict[bytes, str]:
        """The texts (by key) in neither the memory nor the disk cache; cached ones move to memory."""
        return not_yet_known(wanted, self._memory, self._disk.get if self._disk is not None else None)

    def _compute(self, missing: dict[bytes, str], model: _Model, *, on_embedded: Embedded | None = None) -> None:
        # In slices, each cached as it is done: a long embedding says how far it has got, and one
        # interrupted keeps what it did (every vector depends on its text alone, see `embed`).
        keys = list(missing)
        for start in range(0, len(keys), EMBEDDED_PER_SLICE):
            part = keys[start : start + EMBEDDED_PER_SLICE]
            fresh = dict(zip(part, model.embed([missing[key] for key in part])))
            self._memory.update(fresh)
            if self._disk is not None:
                self._disk.put(fresh.items())
            if on_embedded is not None:
                on_embedded(start + len(part), len(keys))

    def _wait_for_pending(self) -> None:
        """Wait for the background embedding, if any, and raise what it raised. Every thread that
        asks waits (the alignment and the engine ask at once), so none embeds the texts again."""
        with self._pending_lock:
            pending = self._pending
        if pending is None:
            return
        pending.result()
        with self._pending_lock:
            if self._pending is pending:
                self._pending = None


class _PendingEmbedding:
    """One background thread embedding texts into the similarity's memory (see `prepare`)."""

    def __init__(self, compute: Callable[[dict[bytes, str], _Model], None], missing: dict[bytes, str],
                 model: _Model) -> None:
        self._error: BaseException | None = None

        def run() -> None:
            try:
                compute(missing, model)
            except BaseException as exc:  # handed to the thread that waits for the vectors
                self._error = exc

        self._thread = threading.Thread(target=run, name="summarizer-embedding")

    def start(self) -> None:
        self._thread.start()

    def result(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


class _Model:
    """The ONNX session and the tokenizer, loaded once per process."""

    def __init__(self, folder: Any, card: _ModelCard | None = None) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise SimilarityUnavailableError(
                f"semantic similarity needs {exc.name}: pip install onnxruntime tokenizers "
                "(or use --similarity lexical)") from exc
        card = card or _read_card(folder)  # the shipped model's card is read once per process (_model_card)
        blobs = {name: folder.joinpath(name).read_bytes() for name in card.files}
        self.dimensions = card.dimensions
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # warnings about the graph are ours to act on, not the user's
        # One thread per forward pass, and as many passes at once as there are cores (embed): a
        # single short sentence does not keep two threads busy, two sentences side by side do
        # (seeds: 0.97 s with two threads per pass, 0.66 s with two passes at once).
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        # ONNX Runtime builds the session without the GIL (0.08 s), so it is built on another core
        # while the files' hashes are checked and the tokenizer is read (0.04 s, a cold run's wait).
        with ThreadPoolExecutor(1) as pool:
            session = pool.submit(onnxruntime.InferenceSession, blobs["model.onnx"], options,
                                  providers=["CPUExecutionProvider"])
            for name, expected in card.files.items():
                if hashlib.sha256(blobs[name]).hexdigest() != expected:
                    raise SimilarityUnavailableError(
                        f"the semantic model's {name} is damaged (its sha256 is not the one in MANIFEST.json); "
                        "reinstall the package, or use --similarity lexical")
            self.tokenizer = Tokenizer.from_str(blobs["tokenizer.json"].decode("utf-8"))
            self.session = session.result()
        # The fast path is kept only if it gives the probe sentences of MANIFEST.json the likeness
        # the exact products gave them (see EXACT_INT8_PRODUCTS).
        if card.probe is not None and not self._probe_holds(card.probe):
            options.add_session_config_entry(EXACT_INT8_PRODUCTS, "1")
            self.session = onnxruntime.InferenceSession(blobs["model.onnx"], options,
                                                        providers=["CPUExecutionProvider"])

    def _pass(self, ids: list[int]) -> np.ndarray:
        """One text's vector: one forward pass."""
        batch = np.array([ids], dtype=np.int64)
        return np.asarray(self.session.run(None, {"input_ids": batch, "attention_mask": np.ones_like(batch)})[0][0])

    def _probe_holds(self, probe: Probe) -> bool:
        """Whether this session gives the probe sentences the exact products' cosine."""
        first, second = (self._pass(encoding.ids) for encoding in self.tokenizer.encode_batch(list(probe.texts)))
        return abs(float(first @ second) - probe.cosine) <= PROBE_TOLERANCE

    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors of texts, in their order, one forward pass per text.

        One at a time on purpose: the int8 model quantises its activations with one scale per
        tensor, so a sentence embedded in a batch comes out differently with other neighbours
        (up to 0.04 per component on the seeds). A vector must depend on its text alone, or the
        same articles would align differently with a warm cache than with a cold one. The passes
        run side by side, one per core, which gains back what batches would (seeds: 0.6 s).
        """
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(texts)

        def embed_rows(rows: range) -> None:
            for row in rows:
                out[row] = self._pass(encodings[row].ids)

        # ONNX Runtime releases the GIL while it runs, and one session serves several threads.
        workers = min(self.workers, len(texts))
        if workers <= 1:
            embed_rows(range(len(texts)))
        else:
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(embed_rows, [range(start, len(texts), workers) for start in range(workers)]))
        return out


# Exact int8 products on every CPU. ONNX Runtime's fast path on an x86 CPU without VNNI multiplies the
# model's unsigned 8-bit activations by its signed weights in pairs summed to 16 bits. With full 8-bit
# weights those sums saturated, and the vectors differed from a VNNI CPU's by enough to move a brief
# (a pair of dev sentences at cosine 0.638 on one machine scored 0.661 on the other, and the seeds
# aligned differently, so the recorded LLM requests no longer matched). The weights are therefore
# quantised to a 7-bit range (scripts/build_minilm.py), whose pairs cannot saturate: the fast path is
# exact there, as on a VNNI CPU, at the fast path's speed (this option, the unsigned-by-unsigned path,
# had cost 1.75x per pass). The option is kept for a CPU whose fast path still misses the probe of
# MANIFEST.json (`_Model`).
EXACT_INT8_PRODUCTS = "session.x64quantprecision"
# The probe's cosine came out the same to within 1e-7 on a VNNI CPU, an emulated Haswell and an
# emulated Skylake server (AVX-512 without VNNI); saturating products had put it 0.023 off. (Other
# sentences can still differ a little from one CPU to another: an activation quantised again falls
# the other side of a rounding boundary.)
PROBE_TOLERANCE = 1e-4


@dataclass(frozen=True)
class Probe:
    """Two sentences and their cosine under the exact int8 products (MANIFEST.json's check)."""

    texts: tuple[str, str]
    cosine: float


@dataclass(frozen=True)
class _ModelCard:
    """What MANIFEST.json says of the model: enough to key its vectors without loading it."""

    model_id: str
    dimensions: int
    files: dict[str, str]  # file name -> sha256
    probe: Probe | None = None


def _read_card(folder: Any) -> _ModelCard:
    manifest = json.loads(folder.joinpath("MANIFEST.json").read_text(encoding="utf-8"))
    files = {str(name): str(digest) for name, digest in manifest["files"].items()}
    # The cache key names the model and how it is run: "1" embedded one text per pass (vectors
    # cached when texts were batched depend on their neighbours), "2" also with exact int8 products
    # (`_Model`: vectors cached by a CPU whose sums saturated are not reused).
    probe = manifest.get("check", {}).get("probe")
    return _ModelCard(model_id="minilm-" + files["model.onnx"][:16] + "-2", dimensions=int(manifest["dimensions"]),
                      files=files,
                      probe=Probe(texts=tuple(probe["texts"]), cosine=float(probe["cosine"])) if probe else None)


@cache
def _model_card() -> _ModelCard:
    """The shipped model's card, read once."""
    try:
        return _read_card(_model_folder())
    except (OSError, KeyError, ValueError) as exc:
        raise _unreadable(exc) from exc


def _model_folder() -> Any:
    return resources.files(__package__).joinpath("minilm")


@cache
def _load_model() -> _Model:
    """The model shipped in minilm/, loaded on first use."""
    try:
        return _Model(_model_folder(), _model_card())
    except (OSError, KeyError, ValueError) as exc:
        raise _unreadable(exc) from exc


def _unreadable(exc: Exception) -> SimilarityUnavailableError:
    return SimilarityUnavailableError(
        f"the semantic model's files cannot be read ({exc}); reinstall the package, or use --similarity lexical")
