"""A loopback receiver for alerts that checks them the way DingTalk and a SOAR tool would."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Receiver:
    """``mode``: ``ok``, ``310000`` (robot rejects), ``500``, or ``hang`` (never answers in time)."""

    robot_secret: str
    webhook_secret: str
    mode: str = "ok"
    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0
    delivery_ids: list[str] = field(default_factory=list)  # the X-Dingscan-Delivery of every attempt
    release: threading.Event = field(default_factory=threading.Event)

    def verify_robot(self, query: dict[str, list[str]]) -> bool:
        """DingTalk's documented check: sign == base64(HMAC-SHA256(secret, "{timestamp}\\n{secret}"))
        after URL-decoding, with the timestamp (ms) within an hour of now."""
        timestamp, sign = query["timestamp"][0], query["sign"][0]
        expected = base64.b64encode(
            hmac.new(
                self.robot_secret.encode(), f"{timestamp}\n{self.robot_secret}".encode(), hashlib.sha256
            ).digest()
        ).decode()
        fresh = abs(time.time() * 1000 - int(timestamp)) < 3600 * 1000
        return fresh and hmac.compare_digest(sign, expected)

    def verify_webhook(self, headers: Any, body: bytes) -> bool:
        timestamp = headers["X-Dingscan-Timestamp"]
        mac = hmac.new(self.webhook_secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
        fresh = abs(time.time() - int(timestamp)) < 300
        return fresh and hmac.compare_digest(headers["X-Dingscan-Signature"], "sha256=" + mac.hexdigest())


@contextmanager
def receiving(receiver: Receiver, port: int = 0) -> Iterator[Receiver]:
    """Serve on ``port`` (0: a free one), so a test can bring a dead receiver back at its address."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            receiver.attempts += 1
            receiver.delivery_ids.append(self.headers["X-Dingscan-Delivery"])
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if receiver.mode == "hang":
                receiver.release.wait(5)
                return
            if receiver.mode == "500":
                self._answer(500, {})
                return
            target = urlsplit(self.path)
            if target.path == "/robot/send":
                query = parse_qs(target.query)
                if receiver.mode == "310000" or not receiver.verify_robot(query):
                    self._answer(200, {"errcode": 310000, "errmsg": "sign not match"})
                    return
                receiver.received.append({"robot": json.loads(body), "token": query["access_token"][0]})
                self._answer(200, {"errcode": 0, "errmsg": "ok"})
            else:
                if not receiver.verify_webhook(self.headers, body):
                    self._answer(401, {})
                    return
                receiver.received.append({"webhook": json.loads(body)})
                self._answer(200, {})

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.release.set()
        server.shutdown()
        server.server_close()
        thread.join()
