"""The one vcrpy configuration, shared by the cassette tests and scripts/record_cassettes.py.

Requests are matched on method, URL and body, so concurrent calls replay deterministically
whatever order they are made in. Secrets never reach a cassette: request headers that carry keys
are dropped before recording, and so are response headers that name accounts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import vcr

from summarizer.text.similarity.semantic import _model_card
from summarizer.text.similarity.vector_cache import VectorCache

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"
SECRET_HEADERS = (
    "authorization", "api-key", "x-api-key", "openai-organization", "openai-project", "cookie",
)
RESPONSE_HEADERS_DROPPED = ("set-cookie", "openai-organization", "openai-project", "x-request-id")


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """Remove account-identifying headers from a recorded response."""
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in RESPONSE_HEADERS_DROPPED:
            del headers[name]
    return response


def _body_json(request: Any) -> Any:
    body = request.body
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    try:
        return json.loads(body) if body else None
    except ValueError:
        return body


def json_body(r1: Any, r2: Any) -> None:
    """vcrpy matcher: the same JSON body, whatever its key order or spacing."""
    assert _body_json(r1) == _body_json(r2)


def make_vcr(record_mode: str = "none") -> vcr.VCR:
    """A VCR that replays (record_mode "none": a request not in the cassette is an error)."""
    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode=record_mode,
        match_on=("method", "scheme", "host", "port", "path", "query", "json_body"),
        filter_headers=list(SECRET_HEADERS),
        before_record_response=_scrub_response,
        decode_compressed_response=True,
    )
    recorder.register_matcher("json_body", json_body)
    return recorder


# The sentence vectors of a recording go with its cassette. A replay must send the recorded
# requests, which rest on the alignment, which rests on the vectors; and the int8 model's vectors
# differ a little from one CPU to another (a requantised activation that falls the other side of a
# rounding boundary), enough to move a near tie of the lede. Replayed with the recording's own
# vectors, the LLM path is tested the same on every machine.


def vectors_path(name: str) -> Path:
    return CASSETTES / f"{name}.vectors.npz"


def export_vectors(cache_dir: Path, name: str) -> int:
    """Write the vectors a recording run embedded (its cache under `cache_dir`) next to its cassette."""
    card = _model_card()
    cache = VectorCache(card.model_id, card.dimensions, cache_dir / "vectors")
    rows = cache.items()
    cache.close()
    np.savez_compressed(vectors_path(name), model=np.array(card.model_id),
                        keys=np.array([key for key, _ in rows], dtype=f"S{len(rows[0][0])}"),
                        vectors=np.stack([vector for _, vector in rows]))
    return len(rows)


def import_vectors(name: str, cache_dir: Path) -> None:
    """Put a recording's vectors into the vector cache under `cache_dir`."""
    card = _model_card()
    with np.load(vectors_path(name)) as saved:
        if str(saved["model"]) != card.model_id:
            raise AssertionError(f"cassette {name} was recorded with model {saved['model']}, not {card.model_id}: "
                                 "record it again (scripts/record_cassettes.py)")
        cache = VectorCache(card.model_id, card.dimensions, cache_dir / "vectors")
        cache.put(zip((bytes(key) for key in saved["keys"]), saved["vectors"], strict=True))
        cache.close()

