"""A small programmable HTTP server on 127.0.0.1 for fetch and webhook tests (never the
internet). It answers GET and POST; a POST's body is kept on its `Seen`.

    server.route("/a", Reply(200, "<p>one</p>"), Reply(200, "<p>two</p>"))  # changes per hit
    server.route("/old", redirect(301, "/new"))
    server.url("/a")  -> "http://127.0.0.1:PORT/a"
    server.hits("/a") -> the requests seen, with their headers and times

Each route answers with its replies in turn and repeats the last one; a reply may also be
a function of the request. Unknown paths (robots.txt included) answer 404.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Seen:
    path: str  # with the query
    headers: dict[str, str]  # lower-case names
    at: float  # time.monotonic()
    method: str = "GET"
    body: bytes = b""


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"
    delay: float = 0.0  # before the status line
    drip: float = 0.0  # pause between chunks of the body
    chunk: int = 1024
    content_length: bool = True  # False: the body ends when the connection closes
    hang_up: bool = False  # close the connection without answering

    @property
    def data(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


Responder = Reply | Callable[[Seen], Reply]


def redirect(status: int, location: str) -> Reply:
    return Reply(status, headers={"Location": location}, content_type=None)


def conditional(etag: str, body: str, last_modified: str = "") -> Callable[[Seen], Reply]:
    """200 with an ETag, or 304 when the request names that ETag (or the date)."""
    headers = {"ETag": etag} | ({"Last-Modified": last_modified} if last_modified else {})

    def respond(seen: Seen) -> Reply:
        same_tag = seen.headers.get("if-none-match") == etag
        same_date = bool(last_modified) and seen.headers.get("if-modified-since") == last_modified
        if same_tag or same_date:
            return Reply(304, headers=headers, content_type=None)
        return Reply(200, body, headers=headers)

    return respond


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
        reply = self.server.owner.answer(seen)
        # The client may stop reading early: that is what some tests are about.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._send(reply)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        seen = Seen(self.path, headers, time.monotonic(), method="POST", body=body)
        reply = self.server.owner.answer(seen)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._send(reply)

    def _send(self, reply: Reply) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        if reply.hang_up:
            self.close_connection = True
            return
        self.send_response(reply.status)
        data = reply.data
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.content_length:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        for start in range(0, len(data), reply.chunk):
            self.wfile.write(data[start : start + reply.chunk])
            if reply.drip:
                self.wfile.flush()
                time.sleep(reply.drip)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: TestServer


class TestServer:
    __test__ = False  # not a pytest test class

    def __init__(
        self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None, port: int = 0
    ) -> None:
        self._server = _Server((host, port), _Handler)
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self.scheme = "https" if tls is not None else "http"
        self._server.owner = self
        self._routes: dict[str, list[Responder]] = {}
        self._lock = threading.Lock()
        self.requests: list[Seen] = []
        self.host = host
        self.port = self._server.server_address[1]
        # A short poll keeps shutdown (and so each test's teardown) quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> TestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str = "/", host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def route(self, path: str, *replies: Responder) -> None:
        with self._lock:
            self._routes[path] = list(replies)

    def hits(self, path: str) -> list[Seen]:
        with self._lock:
            return [seen for seen in self.requests if urlsplit(seen.path).path == path]

    def answer(self, seen: Seen) -> Reply:
        with self._lock:
            self.requests.append(seen)
            replies = self._routes.get(urlsplit(seen.path).path)
            if not replies:
                return Reply(404, "<p>not here</p>")
            responder = replies.pop(0) if len(replies) > 1 else replies[0]
        return responder(seen) if callable(responder) else responder
