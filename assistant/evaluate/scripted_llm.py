"""A scripted OpenAI-compatible chat server on loopback: the only fake in the project.

It stands where the model provider would, so tests reach it through the real `openai` and
`langchain-openai` clients over real HTTP:

    with ScriptedLLM() as llm:
        llm.script(llm.reply({"answer": "..."}), {"status": 429}, {"delay": 3, "content": "late"})
        client = openai.OpenAI(base_url=llm.base_url, api_key="x", max_retries=0)
        ...
        llm.requests  # every JSON body posted to /v1/chat/completions, in order

Each POST /v1/chat/completions records its body, then consumes one step of the script:

    {"content": str}   a completion (SSE chunks of a few characters if the request streams)
    {"status": 429|500|503|...}  that status with an OpenAI-style error body ("message" optional);
                       429 also carries `retry-after: 0`
    {"delay": s, ...}  wait s seconds first, then do the rest of the step (other requests and
                       shutdown are not held up)
    {"malformed": True}  200 with a body that is not JSON (stream: an SSE event whose data is not JSON)
    {"empty": True}    a completion whose content is "" (stream: no content deltas)
    {"drop": True}     close the connection without sending any response bytes
    {"no_role": True, "content": str}  a stream whose deltas never carry a `role` (as some
                       OpenAI-compatible servers send); a completion without one in its message
    (queue empty)      500, "no scripted reply left"

Built on the standard library's ThreadingHTTPServer (one thread per connection, HTTP/1.1
keep-alive, streams sent with chunked transfer encoding), so it starts in milliseconds.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CHUNK_CHARS = 4  # characters of content per streamed delta

_ERROR_TYPES = {
    400: ("invalid_request_error", None), 401: ("authentication_error", "invalid_api_key"),
    404: ("invalid_request_error", "not_found"), 429: ("requests", "rate_limit_exceeded"),
    500: ("server_error", "internal_error"), 503: ("server_error", "service_unavailable"),
}


class ScriptedLLM:
    """Start with `with ScriptedLLM() as llm:`; `llm.base_url` is "http://127.0.0.1:<port>/v1"."""

    def __init__(self, model: str = "scripted") -> None:
        self.model = model
        self.requests: list[dict] = []
        self.base_url = ""
        self._steps: deque[dict] = deque()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- scripting -------------------------------------------------------------------------
    def script(self, *steps: dict) -> None:
        """Replace the queue of steps; each chat request consumes one, in order."""
        with self._lock:
            self._steps = deque(dict(s) for s in steps)

    @staticmethod
    def reply(content: str | dict) -> dict:
        """A normal step; a dict is sent as its JSON text (what a model in JSON mode returns)."""
        return {"content": content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)}

    @property
    def pending(self) -> int:
        """Steps not consumed yet."""
        with self._lock:
            return len(self._steps)

    def _take(self, body: Any) -> dict | None:
        with self._lock:
            self.requests.append(body)
            return self._steps.popleft() if self._steps else None

    # --- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> ScriptedLLM:
        self._closing.clear()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.llm = self
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="scripted-llm", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._closing.set()  # wakes handlers sleeping on a "delay"
        server.shutdown()
        server.server_close()
        server.close_connections()
        assert self._thread is not None
        self._thread.join(timeout=2)

    def _sleep(self, seconds: float) -> None:
        self._closing.wait(seconds)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    llm: ScriptedLLM

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connections: set[socket.socket] = set()
        self.handlers: set[threading.Thread] = set()
        self.conn_lock = threading.Lock()

    def close_connections(self) -> None:
        """Shut every open client socket so keep-alive handler threads end, then wait for them."""
        with self.conn_lock:
            conns, threads = list(self.connections), list(self.handlers)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        deadline = time.monotonic() + 2
        for t in threads:
            t.join(timeout=max(0.0, deadline - time.monotonic()))

    def handle_error(self, request: Any, client_address: Any) -> None:  # clients hang up; stay quiet
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # small header + body writes would otherwise wait ~40 ms for ACKs
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.conn_lock:
            self.server.connections.add(self.connection)
            self.server.handlers.add(threading.current_thread())

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.conn_lock:
                self.server.connections.discard(self.connection)
                self.server.handlers.discard(threading.current_thread())

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output clean
        pass

    # --- routing -----------------------------------------------------------------------------
    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/v1/models":
            llm = self.server.llm
            self._json(200, {"object": "list", "data": [
                {"id": llm.model, "object": "model", "created": 0, "owned_by": "scripted-llm"}]})
        else:
            self._error(404, f"Unknown path {self.path}")

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._error(404, f"Unknown path {self.path}")
            return
        try:
            body = json.loads(raw)
        except ValueError:
            body = {"invalid_json": raw.decode("utf-8", "replace")}
        llm = self.server.llm
        step = llm._take(body)  # recorded before the step is acted on
        if step is None:
            self._error(500, "no scripted reply left")
            return
        if step.get("delay"):
            llm._sleep(float(step["delay"]))
            if llm._closing.is_set():
                self._drop()
                return
        stream = isinstance(body, dict) and body.get("stream") is True
        try:
            self._act(step, body if isinstance(body, dict) else {}, stream)
        except OSError:  # the client gave up (e.g. its timeout fired during a delay)
            self.close_connection = True

    def _act(self, step: dict, body: dict, stream: bool) -> None:
        status = int(step.get("status", 200))
        if step.get("drop"):
            self._drop()
        elif status != 200:
            self._error(status, step.get("message"))
        elif step.get("malformed"):
            if stream:
                self._sse([b"data: {\"id\": \"chatcmpl-broken\", \"choices\": [\n\n", b"data: [DONE]\n\n"])
            else:
                self._send(200, b'{"id": "chatcmpl-broken", "choices": [ this is not json',
                           "application/json")
        else:
            content = "" if step.get("empty") else str(step.get("content", ""))
            (self._stream if stream else self._complete)(content, body, role=not step.get("no_role"))

    # --- responses -----------------------------------------------------------------------------
    def _send(self, status: int, data: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _json(self, status: int, obj: Any, headers: dict | None = None) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode(), "application/json", headers)

    def _error(self, status: int, message: str | None = None) -> None:
        etype, code = _ERROR_TYPES.get(status, ("server_error" if status >= 500 else "invalid_request_error", None))
        message = message or f"Scripted error {status}"
        self._json(status, {"error": {"message": message, "type": etype, "param": None, "code": code}},
                   {"retry-after": "0"} if status == 429 else None)

    def _drop(self) -> None:
        """Close the TCP connection without a single response byte."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _complete(self, content: str, body: dict, role: bool = True) -> None:
        prompt, completion = _tokens(json.dumps(body.get("messages", []))), _tokens(content)
        self._json(200, {
            "id": _new_id(), "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model") or self.server.llm.model, "system_fingerprint": None,
            "choices": [{"index": 0, "message": {**({"role": "assistant"} if role else {}), "content": content,
                                                 "refusal": None},
                         "logprobs": None, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                      "total_tokens": prompt + completion},
        })

    def _stream(self, content: str, body: dict, role: bool = True) -> None:
        cid, created, model = _new_id(), int(time.time()), body.get("model") or self.server.llm.model

        def chunk(delta: dict, finish: str | None = None, **extra: Any) -> bytes:
            obj = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                   "system_fingerprint": None,
                   "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}], **extra}
            return b"data: " + json.dumps(obj, ensure_ascii=False).encode() + b"\n\n"

        events = [chunk({"role": "assistant", "content": "", "refusal": None})] if role else []
        events += [chunk({"content": content[i:i + CHUNK_CHARS]}) for i in range(0, len(content), CHUNK_CHARS)]
        events.append(chunk({}, "stop"))
        if (body.get("stream_options") or {}).get("include_usage"):
            prompt, completion = _tokens(json.dumps(body.get("messages", []))), _tokens(content)
            usage = {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
            events.append(b"data: " + json.dumps({"id": cid, "object": "chat.completion.chunk", "created": created,
                                                   "model": model, "choices": [], "usage": usage}).encode() + b"\n\n")
        events.append(b"data: [DONE]\n\n")
        self._sse(events)

    def _sse(self, events: list[bytes]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for event in events:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


_ids = iter(range(1, 1 << 62))
_ids_lock = threading.Lock()


def _new_id() -> str:
    with _ids_lock:
        return f"chatcmpl-scripted-{next(_ids)}"


def _tokens(text: str) -> int:
    """A rough token count for `usage` (about four characters a token)."""
    return max(1, len(text) // 4) if text else 0
