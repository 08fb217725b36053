"""Shared fixtures; and a guard that fails any test trying to reach a host other than this one."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


def _is_loopback(address: object) -> bool:
    """True for 127.0.0.0/8, ::1, localhost and Unix sockets."""
    if isinstance(address, (str, bytes)):
        return True  # AF_UNIX path
    host = address[0] if isinstance(address, tuple) else address
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach the network: connecting anywhere but loopback is an error."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guarded(method):  # type: ignore[no-untyped-def]
        def connect(self: socket.socket, address: object):  # type: ignore[no-untyped-def]
            if not _is_loopback(address):
                raise RuntimeError(f"test tried to reach the network: {address!r}")
            return method(self, address)

        return connect

    monkeypatch.setattr(socket.socket, "connect", guarded(real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", guarded(real_connect_ex))


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Caches (tiktoken's files, model answers) go to a folder of this test run, never ~/.cache."""
    previous = os.environ.get("SUMMARIZER_CACHE_DIR")
    os.environ["SUMMARIZER_CACHE_DIR"] = str(tmp_path_factory.mktemp("summarizer-cache"))
    yield
    if previous is None:
        os.environ.pop("SUMMARIZER_CACHE_DIR", None)
    else:
        os.environ["SUMMARIZER_CACHE_DIR"] = previous


@pytest.fixture(autouse=True)
def _no_llm_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    """`auto` must pick the extractive engine in tests unless a test configures an endpoint."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry waits of milliseconds (the LLM engine's retry layer reads these at call time)."""
    from summarizer.engines.llm import constants

    monkeypatch.setattr(constants, "BACKOFF_INITIAL_S", 0.01)
    monkeypatch.setattr(constants, "BACKOFF_MAX_S", 0.02)
    monkeypatch.setattr(constants, "BACKOFF_JITTER_S", 0.0)
    monkeypatch.setattr(constants, "RETRY_AFTER_CAP_S", 0.05)


@pytest.fixture
def every_report_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every report goes to the model, however short: the tests of the model's calls use reports of
    a few sentences, each of which would otherwise be its own summary, with no call."""
    from summarizer.engines.llm import constants

    monkeypatch.setattr(constants, "OWN_SUMMARY_MAX_SENTENCES", 0)


@pytest.fixture
def seeds_dir() -> Path:
    """The five seed articles shipped with the project."""
    return SEEDS
