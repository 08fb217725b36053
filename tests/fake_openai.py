"""A small fake OpenAI-compatible server on 127.0.0.1, for the LLM engine's fault tests and benchmark.

It is a real HTTP server (the openai SDK and its HTTP client run unmodified against it), started on
a free port in a background thread. Its behaviour is scripted:

- `enqueue(reply, ...)` queues replies that are used first, one per chat-completion request, in order;
- `responder` (a function of the recorded request) answers everything else; the default,
  `smart_reply`, writes a valid structured answer for every prompt of the engine (chunk notes that
  quote the request's own sentences, a synthesis built from the evidence refs in the prompt, ...),
  so the happy path works end to end without a model;
- `delay` makes every answer wait (a model "thinking"); a reply's own `delay` overrides it.

Every request is recorded (path, headers, parsed JSON body) so tests can count HTTP requests
exactly, and the server tracks how many requests were open at once (`peak_in_flight`).

    with FakeOpenAI() as fake:
        fake.enqueue(rate_limited(retry_after="1"))
        ...  # point LLMOptions(base_url=fake.url) at it
        assert len(fake.completions) == 2

Stopping interrupts any pending delay and closes kept-alive connections, so no thread outlives it.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from summarizer.text.tokens import count_tokens

CHAT_PATH = "/v1/chat/completions"
MODELS_PATH = "/v1/models"
# The structured answer a prompt asks for, found by the schema title that every system prompt
# embeds (and, in json_schema mode, by response_format.json_schema.name); most specific first.
_STAGE_OF_ANSWER = {
    "SynthesisAnswer": "synthesis",
    "CollapseAnswer": "collapse",
    "SourceSummaryAnswer": "source_summary",
    "ChunkNotesAnswer": "chunk_notes",
}
_SCHEMA_TITLE = re.compile(r'"title"\s*:\s*"(\w+)"')
# The prompts neutralise angle brackets of untrusted text (prompting.as_data); a quote taken back
# from the prompt restores them so it equals the source sentence exactly.
_UNDO_DATA = str.maketrans({"‹": "<", "›": ">"})


@dataclass
class RecordedRequest:
    """One HTTP request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    received_at: float

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The chat messages of a chat-completion request (empty otherwise)."""
        return list(self.body.get("messages", [])) if isinstance(self.body, dict) else []

    @property
    def response_format(self) -> dict[str, Any] | None:
        """The `response_format` parameter sent, if any."""
        return self.body.get("response_format") if isinstance(self.body, dict) else None

    @property
    def stage(self) -> str | None:
        """Which prompt of the engine this is: chunk_notes, source_summary, collapse or synthesis."""
        names: set[str] = set()
        response_format = self.response_format or {}
        schema_name = (response_format.get("json_schema") or {}).get("name")
        if schema_name:
            names.add(schema_name)
        # llama.cpp's variant carries the schema itself (and the prompt then leaves it out).
        names.update(_SCHEMA_TITLE.findall(json.dumps(response_format.get("schema") or {})))
        for message in self.messages:
            if message.get("role") == "system":
                names.update(_SCHEMA_TITLE.findall(str(message.get("content", ""))))
        for answer, stage in _STAGE_OF_ANSWER.items():
            if answer in names:
                return stage
        return None

    @property
    def is_reask(self) -> bool:
        """Whether this request re-asks after an invalid answer (it carries the model's last answer)."""
        return any(message.get("role") == "assistant" for message in self.messages)

    def first_user_text(self) -> str:
        """The original user prompt (a re-ask appends more messages after it)."""
        for message in self.messages:
            if message.get("role") == "user":
                return str(message.get("content", ""))
        return ""


@dataclass(frozen=True)
class Reply:
    """What the server answers to one chat-completion request.

    A 200 reply is a completion whose message text is `content`; any other status is an error
    with the OpenAI-style `error` body (or `raw_body` verbatim). `delay` (seconds) overrides the
    server's default delay; None means "use the server's".
    """

    status: int = 200
    content: str = ""
    finish_reason: str = "stop"
    usage: Mapping[str, int] | None = None
    error: Mapping[str, Any] | None = None
    raw_body: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float | None = None


Responder = Callable[[RecordedRequest], Reply]


# --- replies ---------------------------------------------------------------------------------------


def completion(content: str | Mapping[str, Any], *, finish_reason: str = "stop",
               usage: Mapping[str, int] | None = None, delay: float | None = None) -> Reply:
    """A 200 completion; a mapping is sent as its JSON text."""
    text = content if isinstance(content, str) else json.dumps(content)
    return Reply(content=text, finish_reason=finish_reason, usage=usage, delay=delay)


def api_error(status: int, message: str, *, type: str = "invalid_request_error", code: str | None = None,
              param: str | None = None, headers: Mapping[str, str] | None = None,
              delay: float | None = None) -> Reply:
    """An error in OpenAI's shape: {"error": {"message", "type", "param", "code"}}."""
    return Reply(status=status, error={"message": message, "type": type, "param": param, "code": code},
                 headers=dict(headers or {}), delay=delay)


def rate_limited(retry_after: str | None = "1") -> Reply:
    """429 "slow down", with a Retry-After header (seconds or HTTP date) unless None."""
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return api_error(429, "Rate limit reached for requests", type="requests", code="rate_limit_exceeded",
                     headers=headers)


def quota_exceeded() -> Reply:
    """429 insufficient_quota: the account is out of credit (retrying cannot help)."""
    return api_error(429, "You exceeded your current quota, please check your plan and billing details.",
                     type="insufficient_quota", code="insufficient_quota")


def server_error(status: int = 500) -> Reply:
    """A 5xx failure of the server."""
    return api_error(status, "The server had an error while processing your request.", type="server_error")


def unauthorized() -> Reply:
    """401: the key is wrong."""
    return api_error(401, "Incorrect API key provided: sk-fake***. You can find your API key at "
                     "https://platform.openai.com/account/api-keys.", code="invalid_api_key")


def bad_request(message: str = "'messages' must contain at least one message") -> Reply:
    """400 for something other than the response format."""
    return api_error(400, message, param="messages")


def format_refusal(status: int = 400) -> Reply:
    """What llama.cpp's (Python) server answers to a `json_schema` response_format it cannot take."""
    detail = ("[{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
              "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema', "
              "'ctx': {'expected': \"'text' or 'json_object'\"}}]")
    return api_error(status, detail, param="response_format.type")


# --- the default responder: valid answers built from the prompt itself ---------------------------

_SENTENCE_LINE = re.compile(r"^(\d+) (.*)$", re.M)  # in the article: its id, then the sentence
_NOTE_LINE = re.compile(r"^- (.*?) ((?:\[S\d+\])+)$", re.M)
_REF_LINE = re.compile(r"^\s*- (.*?) ((?:\[\d+:\d+\])+)\s*$")
_REF = re.compile(r"\[(\d+):(\d+)\]")


def _statement(text: str, refs: str) -> dict[str, Any]:
    citations = [{"source": int(s), "sentence": int(n)} for s, n in _REF.findall(refs)][:12]
    return {"text": text.translate(_UNDO_DATA)[:600], "citations": citations}


def answer_chunk_notes(prompt: str, max_notes: int = 4) -> dict[str, Any]:
    """Notes that quote the chunk's first substantial sentences verbatim, each citing its own id."""
    notes = []
    article = prompt.partition("<article>")[2].partition("</article>")[0]
    for sentence_id, text in _SENTENCE_LINE.findall(article):
        if len(text.split()) >= 6:
            notes.append({"text": text.translate(_UNDO_DATA)[:600], "sentences": [int(sentence_id)]})
        if len(notes) == max_notes:
            break
    return {"notes": notes}


def answer_source_summary(prompt: str) -> dict[str, Any]:
    """The notes shown, kept as the summary's statements (at most 12)."""
    statements = [{"text": text.translate(_UNDO_DATA)[:600],
                   "sentences": [int(i) for i in re.findall(r"\d+", ids)][:8]}
                  for text, ids in _NOTE_LINE.findall(prompt)]
    return {"statements": statements[:12]}


def answer_collapse(prompt: str) -> dict[str, Any]:
    """The evidence statements shown, kept as they are (at most 20)."""
    statements = [_statement(m.group(1), m.group(2))
                  for line in prompt.splitlines() if (m := _REF_LINE.match(line))]
    return {"statements": statements[:20]}


def answer_synthesis(prompt: str) -> dict[str, Any]:
    """Sections copied from the prompt: the lede from the summaries, the agreements from the
    alignment's; no disagreement, the alignment's being in the brief already."""
    summaries: list[dict[str, Any]] = []
    agreements: list[dict[str, Any]] = []
    section = "summaries"
    for line in prompt.splitlines():
        if line.startswith("EVIDENCE from matching"):
            section = "evidence"
        elif line == "Agreements:":
            section = "agreements"
        elif line.startswith("Disagreements, each side"):
            section = "disagreements"
        elif match := _REF_LINE.match(line):
            if section == "summaries":
                summaries.append(_statement(match.group(1), match.group(2)))
            elif section == "agreements":
                agreements.append(_statement(match.group(1), match.group(2)))
    return {"summary": summaries[:3], "agreements": agreements[:20], "disagreements": []}


_ANSWERERS: dict[str, Callable[[str], dict[str, Any]]] = {
    "chunk_notes": answer_chunk_notes,
    "source_summary": answer_source_summary,
    "collapse": answer_collapse,
    "synthesis": answer_synthesis,
}


_AT_MOST = re.compile(r"at most (\d+) (?:statements|notes)")


def smart_answer(request: RecordedRequest) -> dict[str, Any]:
    """The structured answer a good model would give to this request (from its original prompt),
    keeping to the "at most N statements" its system prompt asks for."""
    answerer = _ANSWERERS.get(request.stage or "")
    if answerer is None:
        raise ValueError("the fake server does not know what this prompt asks for")
    answer = answerer(request.first_user_text())
    system = " ".join(str(m.get("content", "")) for m in request.messages if m.get("role") == "system")
    limit = _AT_MOST.search(system)
    if limit and request.stage in ("source_summary", "collapse"):
        answer = {key: value[: int(limit.group(1))] for key, value in answer.items()}
    return answer


def smart_reply(request: RecordedRequest) -> Reply:
    """The default responder: a valid answer to every prompt of the engine."""
    return completion(smart_answer(request))


# --- the server ------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer whose handler threads are joined on close (nothing outlives a test)."""

    daemon_threads = False
    block_on_close = True
    fake: FakeOpenAI

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that goes away mid-request (a cancelled call closes its connection) is no error of
        the server's: say nothing, as a real server would; anything else is kept for the test to see."""
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            return
        self.fake.responder_errors.append(repr(error))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's connection pool expects of a real server
    timeout = 30  # a backstop: stop() closes idle connections long before this
    # The headers and the body go out in two writes. With Nagle's algorithm the body waited for
    # the client's delayed ACK of the headers: every answer came about 40 ms after its delay, and
    # the benchmark charged the last one to the engine. Real servers send at once.
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.fake._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        self.server.fake._track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests and the benchmark print what matters themselves."""

    def _read_body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return raw.decode("utf-8", "replace")

    def do_GET(self) -> None:
        fake = self.server.fake
        fake._record(self, None)
        if self.path.rstrip("/") == MODELS_PATH:
            self._send(200, {"object": "list", "data": [{"id": fake.model, "object": "model", "created": 0,
                                                         "owned_by": "fake"}]})
        else:
            self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found", "param": None,
                                       "code": None}})

    def do_POST(self) -> None:
        fake = self.server.fake
        request = fake._record(self, self._read_body())
        if self.path.rstrip("/") != CHAT_PATH:
            self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found", "param": None,
                                       "code": None}})
            return
        fake._enter()
        left = False
        try:
            try:
                reply = fake._reply_for(request)
            except Exception as exc:  # a responder bug shows up as a 500 the test can see
                reply = api_error(500, f"fake server responder failed: {exc!r}", type="server_error")
                fake.responder_errors.append(repr(exc))
            delay = fake.delay if reply.delay is None else reply.delay
            if delay > 0 and fake._stopping.wait(delay):
                return  # stopping: drop the request, as a server going down would
            if reply.status == 200:
                status, body = 200, fake._completion_body(request, reply)
            else:
                status, body = reply.status, (reply.raw_body if reply.raw_body is not None
                                              else {"error": dict(reply.error or {})})
            # Out of flight before the answer goes: once the client has it, it may send the next
            # request at once, and this thread must not still count the answered one then.
            fake._leave()
            left = True
            self._send(status, body, reply.headers)
        finally:
            if not left:
                fake._leave()

    def _send(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            # The client gave up (its timeout) and closed the connection: nothing to answer.
            self.close_connection = True


class FakeOpenAI:
    """The fake server: scripted replies, recorded requests, a count of requests open at once."""

    def __init__(self, responder: Responder | None = None, *, delay: float = 0.0, model: str = "fake-model") -> None:
        self.responder: Responder = responder or smart_reply
        self.delay = delay
        self.model = model
        self.requests: list[RecordedRequest] = []
        self.responder_errors: list[str] = []
        self.in_flight = 0
        self.peak_in_flight = 0
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle

    def start(self) -> FakeOpenAI:
        """Listen on a free port of 127.0.0.1 and serve in a background thread."""
        self._stopping.clear()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fake = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving: interrupt delays, close open connections, join every thread."""
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._httpd.server_close()  # joins the handler threads (block_on_close)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port the server listens on."""
        assert self._httpd is not None, "the fake server is not running"
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """The base URL to give the client (ends in /v1, like a real server's)."""
        return f"http://127.0.0.1:{self.port}/v1"

    # --- scripting and inspection

    def enqueue(self, *replies: Reply) -> None:
        """Replies to use, in order, before the responder answers."""
        with self._lock:
            self._queue.extend(replies)

    @property
    def completions(self) -> list[RecordedRequest]:
        """The chat-completion requests received, in arrival order."""
        with self._lock:
            return [r for r in self.requests if r.method == "POST" and r.path.rstrip("/") == CHAT_PATH]

    def by_stage(self, stage: str) -> list[RecordedRequest]:
        """The chat-completion requests of one prompt (chunk_notes, synthesis, ...)."""
        return [r for r in self.completions if r.stage == stage]

    def reset(self) -> None:
        """Forget the requests received and the in-flight peak (the script queue is kept)."""
        with self._lock:
            self.requests.clear()
            self.peak_in_flight = self.in_flight

    # --- internals, called from handler threads

    def _track(self, connection: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def _record(self, handler: BaseHTTPRequestHandler, body: Any) -> RecordedRequest:
        request = RecordedRequest(method=handler.command, path=handler.path,
                                  headers={k.lower(): v for k, v in handler.headers.items()},
                                  body=body, received_at=time.monotonic())
        with self._lock:
            self.requests.append(request)
        return request

    def _enter(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _reply_for(self, request: RecordedRequest) -> Reply:
        with self._lock:
            queued = self._queue.popleft() if self._queue else None
        return queued if queued is not None else self.responder(request)

    def _completion_body(self, request: RecordedRequest, reply: Reply) -> dict[str, Any]:
        """An OpenAI chat.completion object; usage counted with tiktoken unless the reply gives it."""
        if reply.usage is not None:
            usage = dict(reply.usage)
        else:
            prompt = "\n".join(str(m.get("content", "")) for m in request.messages)
            usage = {"prompt_tokens": count_tokens(prompt), "completion_tokens": count_tokens(reply.content)}
        usage.setdefault("total_tokens", usage.get("prompt_tokens", 0) + usage.get("completion_tokens", 0))
        model = request.body.get("model", self.model) if isinstance(request.body, dict) else self.model
        return {
            "id": f"chatcmpl-fake-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.content},
                         "finish_reason": reply.finish_reason, "logprobs": None}],
            "usage": usage,
        }


def running_fake(responder: Responder | None = None, *, delay: float = 0.0) -> Iterator[FakeOpenAI]:
    """A started server for a pytest fixture (`yield from running_fake()`), stopped afterwards."""
    fake = FakeOpenAI(responder, delay=delay).start()
    try:
        yield fake
    finally:
        fake.stop()
