"""An OpenAI-compatible chat-completions server with scripted replies and injected faults.

No model is reachable from CI, so tests and demos talk to this over real HTTP. Stdlib only:
importing it must stay cheap and must not pull in openai, litellm, textual or pydantic.

    with StubServer() as stub:
        stub.script(Reply.json({"verdict": "covered"}), Reply.rate_limited(retry_after=1))
        client = openai.OpenAI(base_url=stub.base_url, api_key="sk-test", max_retries=0)
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import re
import signal
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qsl, urlencode, urlsplit

FAULTS = frozenset(
    {"drop_mid_stream", "malformed_json", "empty_body", "http_error", "close_immediately"}
)

# Credentials are recorded redacted and never logged: a key must not leak into test output.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "api-key", "x-api-key"})
SECRET_QUERY = frozenset({"key", "api_key", "api-key", "token", "access_token"})

# OpenAI-style (type, code) per status; anything else >= 500 is a server_error.
_ERROR_KINDS: dict[int, tuple[str, str]] = {
    400: ("invalid_request_error", "invalid_request"),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("permission_error", "forbidden"),
    404: ("invalid_request_error", "not_found"),
    405: ("invalid_request_error", "method_not_allowed"),
    429: ("rate_limit_error", "rate_limit_exceeded"),
    503: ("server_error", "overloaded"),
}

# What the CLI answers once its script is spent: fixed and JSON-looking, so the app can be
# demoed end to end without a model.
DEMO_ANSWER: dict[str, Any] = {
    "key_points": [],
    "misconceptions": [],
    "feedback": "This is the stub server's fixed demo answer; no model was called.",
    "follow_ups": [],
}
_RUBRIC_ITEM = re.compile(r"^- ([a-z0-9]+(?:-[a-z0-9]+)*) \[(?:core|deep)|^- (e\d+): ", re.M)


def demo_reply(body: dict[str, Any]) -> Reply:
    """The demo answer, judging every rubric item the prompt lists (all missed), so a grade
    through the stub is a grade: the app works end to end, and says no model was called."""
    messages = body.get("messages") or [{}]
    prompt = str(messages[-1].get("content", ""))
    ids = [a or b for a, b in _RUBRIC_ITEM.findall(prompt.split("# Misconceptions")[0])]
    judged = [{"id": i, "reasoning": "demo", "quote": "", "verdict": "missed"} for i in ids]
    field = "expected_points" if ids and ids[0].startswith("e") else "key_points"
    return Reply.json(DEMO_ANSWER | {field: judged})


@dataclass
class Reply:
    """One scripted answer to one chat-completions request."""

    content: str = ""  # the assistant text (or, for an error, the error message)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before responding
    chunk_delay: float = 0.0  # seconds between streamed chunks
    chunk_size: int = 8  # characters per streamed delta
    fault: str | None = None  # one of FAULTS
    finish_reason: str = "stop"  # "length" simulates a truncated answer

    def __post_init__(self) -> None:
        if self.fault is not None and self.fault not in FAULTS:
            raise ValueError(f"unknown fault {self.fault!r}; faults: {', '.join(sorted(FAULTS))}")
        if not 100 <= self.status <= 599:
            raise ValueError(f"status must be 100-599, not {self.status}")
        if self.chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")
        if self.delay < 0 or self.chunk_delay < 0:
            raise ValueError("delays cannot be negative")

    @property
    def is_error(self) -> bool:
        return self.fault == "http_error" or self.status >= 400

    @property
    def error_status(self) -> int:
        return self.status if self.status >= 400 else 500

    @classmethod
    def rate_limited(cls, retry_after: float = 1, message: str = "Rate limit reached") -> Reply:
        return cls(
            content=message,
            status=429,
            headers={"Retry-After": str(retry_after)},
            fault="http_error",
        )

    @classmethod
    def server_error(
        cls, status: int = 500, message: str = "The server had an error processing the request"
    ) -> Reply:
        return cls(content=message, status=status, fault="http_error")

    @classmethod
    def json(cls, obj: Any, **kwargs: Any) -> Reply:
        return cls(content=json.dumps(obj, ensure_ascii=False), **kwargs)


Responder = Callable[[dict[str, Any]], "Reply | str"]


def _as_reply(value: Reply | str) -> Reply:
    return Reply(value) if isinstance(value, str) else value


class StubServer:
    """A real HTTP server on a background thread; port 0 picks a free port."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        models: Sequence[str] = ("stub-model",),
        latency: float = 0.0,
        default: Reply | str | Responder | None = None,
        log: bool = False,
    ) -> None:
        self.host = host
        self.models = list(models)
        self.latency = latency  # added before every response
        # used when the script is empty: a Reply, a str, or a callable (request_json) -> Reply
        self.default: Reply | str | Responder = default if default is not None else "stub reply"
        self.log = log  # one line per request on stderr (the CLI); never headers or bodies
        self.requests: list[dict[str, Any]] = []
        self._requested_port = port
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._ids = itertools.count(1)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> Self:
        if self._server is not None:
            raise RuntimeError("stub server already running")
        self._stopping.clear()
        self._server = _Server((self.host, self._requested_port), self)
        # a short poll interval keeps stop() prompt
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="stub-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, cut open connections and in-flight delays, join every thread."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        for handler in server.drop_connections():
            handler.join(timeout=2)
        server.server_close()
        if thread is not None:
            thread.join(timeout=2)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("stub server not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    # -- script -----------------------------------------------------------------------------

    def script(self, *replies: Reply | str) -> Self:
        """Queue replies, consumed in order, one per chat-completions request."""
        with self._lock:
            self._queue.extend(_as_reply(r) for r in replies)
        return self

    @property
    def pending(self) -> int:
        """Scripted replies not yet consumed."""
        with self._lock:
            return len(self._queue)

    def reset(self) -> None:
        """Forget queued replies and recorded requests."""
        with self._lock:
            self._queue.clear()
            self.requests.clear()

    # -- used by the handler ----------------------------------------------------------------

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        default = self.default
        return _as_reply(default(body) if callable(default) else default)

    def _record(self, method: str, path: str, headers: Message, body: Any) -> None:
        entry = {
            "method": method,
            "path": _redact_path(path),
            "headers": {name: _redact(name, value) for name, value in headers.items()},
            "json": body,
        }
        with self._lock:
            self.requests.append(entry)

    def _pause(self, seconds: float) -> bool:
        """Sleep unless stop() is called meanwhile; False means stop and hang up."""
        if seconds <= 0:
            return not self._stopping.is_set()
        return not self._stopping.wait(seconds)

    def _completion_id(self) -> str:
        return f"chatcmpl-stub-{next(self._ids)}"


def _redact(name: str, value: str) -> str:
    if name.lower() not in SECRET_HEADERS:
        return value
    scheme, sep, _ = value.partition(" ")
    return f"{scheme} ***" if sep else "***"


def _redact_path(path: str) -> str:
    parts = urlsplit(path)
    if not parts.query:
        return path
    query = [(k, "***" if k.lower() in SECRET_QUERY else v) for k, v in parse_qsl(parts.query)]
    return f"{parts.path}?{urlencode(query)}"


def _tokens(text: str) -> int:
    """A rough count (characters / 4, at least 1): enough for usage bookkeeping."""
    return max(1, (len(text) + 3) // 4)


def _prompt_text(body: dict[str, Any]) -> str:
    texts: list[str] = []
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            texts.append(content)
        elif isinstance(content, list):  # content parts
            texts.extend(p.get("text", "") for p in content if isinstance(p, dict))
    return "\n".join(t for t in texts if isinstance(t, str))


def _error_body(status: int, message: str) -> dict[str, Any]:
    kind, code = _ERROR_KINDS.get(
        status, ("server_error", "server_error") if status >= 500 else ("invalid_request_error", "")
    )
    return {"error": {"message": message, "type": kind, "param": None, "code": code or None}}


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # never keeps the interpreter alive; stop() joins the threads itself

    def __init__(self, address: tuple[str, int], stub: StubServer) -> None:
        self.stub = stub
        self._guard = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._handlers: list[threading.Thread] = []
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        # like ThreadingMixIn, but tracking threads and sockets so stop() can end them
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name="stub-server-conn",
            daemon=True,
        )
        with self._guard:
            self._handlers = [t for t in self._handlers if t.is_alive()]
            self._handlers.append(thread)
            self._connections.add(request)
        thread.start()

    def shutdown_request(self, request: Any) -> None:
        with self._guard:
            self._connections.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> list[threading.Thread]:
        """Wake every handler blocked on its socket; return the threads to join."""
        with self._guard:
            connections, handlers = list(self._connections), list(self._handlers)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        return handlers

    def handle_error(self, request: Any, client_address: Any) -> None:
        # a peer hanging up mid-response is routine here (faults, stop()); anything else is a bug
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a benchmark should measure the client, not TCP
    server_version = "interviewer-stub"
    disable_nagle_algorithm = True  # small writes would otherwise wait for delayed ACKs
    timeout = 60  # an idle keep-alive connection frees its thread eventually
    server: _Server

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    do_PUT = do_DELETE = do_PATCH = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.stub.log:  # the request line only: no headers, no bodies
            sys.stderr.write(f"stub: {format % args}\n")

    # -- routing ----------------------------------------------------------------------------

    def _dispatch(self) -> None:
        stub = self.server.stub
        try:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        except ValueError:
            self.close_connection = True
            self._send_error(400, "invalid Content-Length")
            return
        body: Any = None
        bad_json = False
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:  # includes invalid UTF-8
                bad_json = True
        stub._record(self.command, self.path, self.headers, body)
        if not stub._pause(stub.latency):
            self.close_connection = True
            return
        path = urlsplit(self.path).path.rstrip("/")
        if path == "/v1/models" and self.command == "GET":
            self._send_json(200, {"object": "list", "data": [_model(m) for m in stub.models]})
        elif path.startswith("/v1/models/") and self.command == "GET":
            name = path.removeprefix("/v1/models/")
            if name in stub.models:
                self._send_json(200, _model(name))
            else:
                self._send_error(404, f"The model {name!r} does not exist")
        elif path == "/v1/chat/completions":
            if self.command != "POST":
                self._send_error(405, f"Method {self.command} not allowed; use POST")
            elif bad_json or not isinstance(body, dict):
                self._send_error(400, "We could not parse the JSON body of your request.")
            elif not isinstance(body.get("messages"), list) or not body["messages"]:
                self._send_error(400, "'messages' must be a non-empty array")
            else:
                self._chat(body)
        else:
            self._send_error(404, f"Unknown request URL: {self.command} {self.path}")

    # -- chat completions -------------------------------------------------------------------

    def _chat(self, body: dict[str, Any]) -> None:
        stub = self.server.stub
        reply = stub._next_reply(body)
        if not stub._pause(reply.delay) or reply.fault == "close_immediately":
            self.close_connection = True  # the socket closes with no response at all
            return
        if reply.is_error:
            message = reply.content or f"stub error {reply.error_status}"
            self._send_error(reply.error_status, message, reply.headers)
            return
        if reply.fault == "empty_body":
            self._send_bytes(200, b"", "application/json", reply.headers)
            return
        model = str(body.get("model") or stub.models[0])
        prompt_tokens = _tokens(_prompt_text(body))
        completion_tokens = _tokens(reply.content)
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
        cid = stub._completion_id()
        if body.get("stream") is True:
            options = body.get("stream_options")
            include_usage = isinstance(options, dict) and options.get("include_usage") is True
            self._stream(reply, cid, model, usage if include_usage else None)
            return
        completion = {
            "id": cid,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "system_fingerprint": "stub",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.content},
                    "logprobs": None,
                    "finish_reason": reply.finish_reason,
                }
            ],
            "usage": usage,
        }
        data = _dumps(completion)
        if reply.fault == "malformed_json":
            data = data[: len(data) // 2]  # a truncated object: 200 but not JSON
        if reply.fault == "drop_mid_stream":
            # promise the whole body, send half, hang up
            self._send_head(200, "application/json", reply.headers, length=len(data))
            self.wfile.write(data[: len(data) // 2])
            self.close_connection = True
            return
        self._send_bytes(200, data, "application/json", reply.headers)

    def _stream(self, reply: Reply, cid: str, model: str, usage: dict[str, int] | None) -> None:
        stub = self.server.stub
        created = int(time.time())

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            event: dict[str, Any] = {
                "id": cid,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "system_fingerprint": "stub",
                "choices": [
                    {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
                ],
            }
            if usage is not None:
                event["usage"] = None  # as OpenAI does: only the last chunk carries usage
            return event

        text, size = reply.content, reply.chunk_size
        pieces = [text[i : i + size] for i in range(0, len(text), size)]
        events = [chunk({"role": "assistant", "content": ""})]
        events += [chunk({"content": piece}) for piece in pieces]
        events.append(chunk({}, reply.finish_reason))
        if usage is not None:
            events.append({**chunk({}), "choices": [], "usage": usage})
        payloads = [b"data: " + _dumps(e) + b"\n\n" for e in events]
        if reply.fault == "malformed_json":
            payloads.insert(1, b'data: {"id": "' + cid.encode() + b'", "choices": [{\n\n')
        drop_after = 1 + max(1, len(pieces) // 2) if reply.fault == "drop_mid_stream" else None

        # chunked encoding, so a cut-off stream is an error to the client, not a short reply
        self._send_head(200, "text/event-stream; charset=utf-8", reply.headers, length=None)
        for i, payload in enumerate(payloads):
            if i == drop_after:
                return  # no [DONE], no final chunk: the socket just closes
            if i and not stub._pause(reply.chunk_delay):
                return
            self._write_chunk(payload)
        self._write_chunk(b"data: [DONE]\n\n")
        self._write_chunk(b"")  # end of the chunked body

    # -- low-level writes -------------------------------------------------------------------

    def _send_head(
        self, status: int, content_type: str, headers: dict[str, str], length: int | None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length is None:  # a stream: chunked, and the connection ends with it
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
        else:
            self.send_header("Content-Length", str(length))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _send_bytes(
        self, status: int, data: bytes, content_type: str, headers: dict[str, str]
    ) -> None:
        self._send_head(status, content_type, headers, length=len(data))
        self.wfile.write(data)

    def _send_json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        self._send_bytes(status, _dumps(obj), "application/json", headers or {})

    def _send_error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send_json(status, _error_body(status, message), headers)

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()


def _model(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": 0, "owned_by": "interviewer-stub"}


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


# -- script files and the command line --------------------------------------------------------


def load_script(path: str | Path) -> list[Reply]:
    """A JSON list of replies: objects with Reply's fields, or plain strings (the content).

    A non-string `content` is serialised as JSON, so a file can hold the grader's answer as an
    object. Raises ValueError naming the file and the reply at fault.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON: {exc}") from exc
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list of replies")
    names = {f.name for f in fields(Reply)}
    replies: list[Reply] = []
    for number, item in enumerate(data, 1):
        where = f"{path}: reply {number}"
        if isinstance(item, str):
            replies.append(Reply(item))
            continue
        if not isinstance(item, dict):
            raise ValueError(f"{where}: expected an object or a string")
        unknown = sorted(set(item) - names)
        if unknown:
            raise ValueError(f"{where}: unknown field {unknown[0]!r}; fields: {', '.join(names)}")
        item = dict(item)
        if "content" in item and not isinstance(item["content"], str):
            item["content"] = json.dumps(item["content"], ensure_ascii=False)
        if "headers" in item:
            if not isinstance(item["headers"], dict):
                raise ValueError(f"{where}: headers must be an object")
            item["headers"] = {str(k): str(v) for k, v in item["headers"].items()}
        try:
            replies.append(Reply(**item))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{where}: {exc}") from exc
    return replies


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops as cleanly as Ctrl-C


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    script: str | Path | None = None,
    latency: float = 0.0,
) -> int:
    """Serve until Ctrl-C (or SIGTERM); scripted replies first, then DEMO_ANSWER."""
    replies = load_script(script) if script else []
    on_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if on_main else None
    try:
        with StubServer(host, port, latency=latency, default=demo_reply, log=True) as stub:
            stub.script(*replies)
            print(f"stub server on {stub.base_url} (Ctrl-C to stop)", flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(3600)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The server's options, shared by `python -m interviewer.llm.stub` and the CLI."""
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8765, help="port to bind; 0 picks a free one (default 8765)"
    )
    parser.add_argument(
        "--script", metavar="FILE", help="JSON list of replies to give first, in order"
    )
    parser.add_argument(
        "--latency", type=float, default=0.0, metavar="SECONDS", help="added before every response"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m interviewer.llm.stub",
        description="An OpenAI-compatible stub server for tests and demos.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return serve(args.host, args.port, script=args.script, latency=args.latency)
    except (OSError, ValueError) as exc:
        print(f"stub: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
