"""The one vcrpy configuration, shared by the cassette tests and scripts/record_cassettes.py.

Requests are matched on method, URL and body, so concurrent calls replay deterministically
whatever order they are made in. Secrets never reach a cassette: request headers that carry keys
are dropped before recording, and so are response headers that name accounts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import vcr

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
