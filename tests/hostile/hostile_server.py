"""A malicious server on loopback: the emulator behind it, every answer up for rewriting.

Each :class:`HostileProxy` fronts one emulator host. Requests pass up unchanged; ``rewrite``
may change an answer (status, headers, body) on its way back, and ``takeover`` may answer a
request itself on the raw socket (dripping bytes, streaming a huge body, a gzip bomb).
"""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from dingscan.emulator import Emulator
from dingscan.settings import Settings

#: The app secret of the tenant the hostile tests scan (tests/hostile/conftest.py).
SECRET = "hostile-canary-secret-5e8a1c"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


Rewrite = Callable[[str, Answer], Answer]  # (request path, upstream answer) -> answer to send
Takeover = Callable[[str, BaseHTTPRequestHandler], bool]  # True: the request was answered


@dataclass
class HostileProxy:
    upstream: str
    rewrite: Rewrite | None = None
    takeover: Takeover | None = None
    seen_headers: list[dict[str, str]] = field(default_factory=list)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, proxy: HostileProxy) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.proxy = proxy


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no 40 ms per answer

    def do_GET(self) -> None:
        proxy = self.server.proxy
        proxy.seen_headers.append({k.lower(): v for k, v in self.headers.items()})
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        upstream = httpx.URL(proxy.upstream)
        path = self.path.split("?", 1)[0].removeprefix(upstream.path.rstrip("/"))  # the API path
        if proxy.takeover is not None and proxy.takeover(path, self):
            self.close_connection = True
            return
        connection = http.client.HTTPConnection(upstream.host, upstream.port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "accept-encoding")}
        connection.request(self.command, self.path, body=body or None, headers=headers)
        reply = connection.getresponse()
        answer = Answer(reply.status, dict(reply.getheaders()), reply.read())
        connection.close()
        if proxy.rewrite is not None:
            answer = proxy.rewrite(path, answer)
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            if name.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    do_POST = do_GET  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: request lines carry access tokens."""


@contextmanager
def serve(proxy: HostileProxy) -> Iterator[str]:
    """The proxy's base URL (with the upstream's path prefix), served until the block ends."""
    server = _Server(proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}{httpx.URL(proxy.upstream).path.rstrip('/')}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def hostile_settings(
    emu: Emulator, oapi: HostileProxy | None = None, api: HostileProxy | None = None, **overrides: Any
) -> Iterator[Settings]:
    """Settings for a scan of ``emu`` through the given proxies (a host without one is direct)."""
    oapi = oapi or HostileProxy(emu.oapi_url)
    api = api or HostileProxy(emu.api_url)
    with serve(oapi) as oapi_url, serve(api) as api_url:
        yield emu.scanner_settings(
            **({"oapi_url": oapi_url, "api_url": api_url, "qps": 1000.0, "timeout": 5.0} | overrides)
        )


def oapi_error(path: str, errcode: int, errmsg: str) -> Rewrite:
    """The old-host answers for ``path`` replaced by this error (``errmsg`` as JSON text)."""

    def rewrite(request_path: str, answer: Answer) -> Answer:
        if request_path != path:
            return answer
        body = f'{{"errcode": {errcode}, "errmsg": "{errmsg}", "request_id": "x"}}'
        return Answer(200, {"Content-Type": "application/json"}, body.encode())

    return rewrite
