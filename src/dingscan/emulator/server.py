"""The emulator itself: two loopback HTTP servers (old and new host) on ephemeral ports.

Each host gets its own ``ThreadingHTTPServer`` so a client configured with two base URLs sees
the same split as against DingTalk, and a path sent to the wrong host gets a 404. Handler
threads are joined on stop; open keep-alive connections are shut down first and injected
delays wake up, so stopping takes well under a second however the emulator is being used.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import sys
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from pydantic import SecretStr

from dingscan.emulator.faults import Fault, FaultBook
from dingscan.emulator.hosts import Host, NewHost, OldHost
from dingscan.emulator.limits import MonthlyQuota, QpsLimiter
from dingscan.emulator.org import Org
from dingscan.emulator.pipeline import Pipeline
from dingscan.emulator.routing import Context
from dingscan.emulator.tenant import Tenant
from dingscan.emulator.tokens import TokenStore
from dingscan.emulator.wire import Call, Reply, Request
from dingscan.settings import Settings

_POLL_SECONDS = 0.02  # how long stop() may wait for each server loop to notice


class _Server(ThreadingHTTPServer):
    """One host. Tracks open connections so ``stop`` can end idle keep-alive reads."""

    daemon_threads = False
    block_on_close = True
    request_queue_size = 128  # socketserver's default of 5 resets bursts of parallel connects

    def __init__(self, host: Host, pipeline: Pipeline, record: Callable[[Call], None], port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.host = host
        self.pipeline = pipeline
        self.record = record
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up is routine here (timeouts, resets); anything else is a bug."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def end_open_connections(self) -> None:
        with self._open_lock:
            for connection in self._open:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as two writes; without this, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every keep-alive call.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_DELETE = do_GET  # noqa: N815

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = Request.parse(self.command, self.path, headers, raw)
        reply = self.server.pipeline.handle(self.server.host, request)
        # Recorded before answering, so a client that has its answer also sees the call.
        status = None if reply.drop else reply.status
        self.server.record(Call(self.server.host.name, request.method, request.path, status, reply.code))
        try:
            self._write(reply)
        except OSError:
            self.close_connection = True

    def _write(self, reply: Reply) -> None:
        if reply.drop:
            # Linger 0: the close becomes a reset, like a connection killed mid-call.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body) + reply.extra_length))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.extra_length:
            self.close_connection = True
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: request lines carry access tokens and app secrets."""


class Emulator:
    """A DingTalk tenant on loopback. Use as a context manager or ``start()``/``stop()``.

    ``now`` freezes the emulator's calendar (every ``*_days_ago`` in the tenant resolves
    against it); ``qps`` is the per-app, per-path limit (None = unlimited); ``monthly_quota``
    caps calls that count against the quota (None = unlimited); ``token_ttl`` is in seconds;
    ``latency`` holds every answer back that many seconds, like the road to DingTalk does.
    ``port`` fixes the old host's port and puts the new host on the next one (0: ephemeral
    ports), so a config file can name the emulator across restarts.
    """

    def __init__(
        self,
        tenant: Tenant,
        *,
        now: datetime | None = None,
        qps: int | None = 20,
        faults: Iterable[Fault] = (),
        token_ttl: float = 7200,
        monthly_quota: int | None = None,
        port: int = 0,
        latency: float = 0.0,
    ) -> None:
        if now is not None and now.tzinfo is None:
            raise ValueError("Emulator(now=...) must be timezone-aware")
        if latency < 0:
            raise ValueError("Emulator(latency=...) must be >= 0")
        self.tenant = tenant
        self.now = now or datetime.now(UTC)
        self._tokens = TokenStore(token_ttl)
        self._quota = MonthlyQuota(monthly_quota)
        self._faults = FaultBook()
        for fault in faults:
            self._faults.add(fault)
        self._stopping = threading.Event()
        context = Context(Org(tenant, self.now), self._tokens)
        self._pipeline = Pipeline(
            context, QpsLimiter(qps), self._quota, self._faults, self._stopping, latency=latency
        )
        self._calls: list[Call] = []
        self._calls_lock = threading.Lock()
        self._servers: dict[str, _Server] = {}
        self._threads: list[threading.Thread] = []
        self._port = port

    # --- lifecycle ----------------------------------------------------------------------------
    def start(self) -> Emulator:
        if self._servers:
            raise RuntimeError("emulator already started")
        self._stopping.clear()
        servers: list[_Server] = []
        try:  # bind both before serving either: a taken port leaves nothing running
            hosts: tuple[Host, ...] = (OldHost(), NewHost())
            for offset, host in enumerate(hosts):
                port = self._port + offset if self._port else 0
                servers.append(_Server(host, self._pipeline, self._record, port))
        except OSError:
            for server in servers:
                server.server_close()
            raise
        for server in servers:
            thread = threading.Thread(
                target=server.serve_forever,
                args=(_POLL_SECONDS,),
                name=f"dingscan-emulator-{server.host.name}",
            )
            thread.start()
            self._servers[server.host.name] = server
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stopping.set()
        for server in self._servers.values():
            server.shutdown()
            server.end_open_connections()
            server.server_close()
        for thread in self._threads:
            thread.join()
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- what clients need --------------------------------------------------------------------
    @property
    def oapi_url(self) -> str:
        return self._server("oapi").url

    @property
    def api_url(self) -> str:
        return self._server("api").url

    def _server(self, name: str) -> _Server:
        if name not in self._servers:
            raise RuntimeError("emulator not started")
        return self._servers[name]

    @property
    def app_key(self) -> str:
        return self.tenant.app.app_key

    @property
    def app_secret(self) -> str:
        return self.tenant.app.app_secret

    def scanner_settings(self, **overrides: Any) -> Settings:
        """Settings for a scan of this emulator (its credentials, tenant and hosts), ``overrides`` on top."""
        values: dict[str, Any] = {
            "app_key": self.app_key,
            "app_secret": SecretStr(self.app_secret),
            "corp_id": self.tenant.corp_id,
            "oapi_url": self.oapi_url,
            "api_url": self.api_url,
        }
        return Settings(**(values | overrides))

    # --- what tests inspect and steer ---------------------------------------------------------
    @property
    def calls(self) -> list[Call]:
        """A snapshot of every call received so far, in order of completion."""
        with self._calls_lock:
            return list(self._calls)

    @property
    def counted_calls(self) -> int:
        return self._quota.used

    def _record(self, call: Call) -> None:
        with self._calls_lock:
            self._calls.append(call)

    def add_fault(self, fault: Fault) -> None:
        self._faults.add(fault)

    def clear_faults(self) -> None:
        self._faults.clear()

    def expire_tokens(self) -> None:
        self._tokens.expire_all()
