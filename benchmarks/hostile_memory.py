"""Peak memory of a scan against a hostile server: a huge answer and a gzip bomb.

Run: python benchmarks/hostile_memory.py [--answer-mb 500] [--bomb-mb 1024] [--limit-gb 5]

A loopback server plays both DingTalk hosts: it issues a token, answers the first directory call
(``department/listsub``) with the hostile body and refuses everything else. Each case runs
``dingscan scan`` in a child process under an address-space limit (so a regression cannot take
the shared machine down with it) and prints the child's peak RSS, exit code and last line of
stderr. Cases: a plain answer of ``--answer-mb`` MB, the same while recording a bundle, and a
gzip bomb of about 1 MB that inflates to ``--bomb-mb`` MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MiB = 1024 * 1024
HOSTILE_PATH = "/topapi/v2/department/listsub"
HEAD, TAIL = b'{"errcode": 0, "result": [', b"]}"


class Hostile(ThreadingHTTPServer):
    daemon_threads = True
    answer_mb = 500
    bomb = b""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Hostile

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = self.path.split("?", 1)[0]
        if path == "/v1.0/oauth2/accessToken":
            self._answer(b'{"accessToken": "benchmark-token", "expireIn": 7200}')
        elif path == HOSTILE_PATH and self.server.bomb:
            self._answer(self.server.bomb, encoding="gzip")
        elif path == HOSTILE_PATH:
            self._stream(self.server.answer_mb)
        else:
            self._answer(b'{"errcode": 60011, "errmsg": "no permission"}')

    do_GET = do_POST  # noqa: N815

    def _answer(self, body: bytes, encoding: str | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, megabytes: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(HEAD) + megabytes * MiB + len(TAIL)))
        self.end_headers()
        try:
            self.wfile.write(HEAD)
            for _ in range(megabytes):
                self.wfile.write(b" " * MiB)
            self.wfile.write(TAIL)
        except OSError:
            self.close_connection = True  # the client stopped reading: what it should do

    def log_message(self, format: str, *args: object) -> None:
        pass


def gzip_bomb(megabytes: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [compressor.compress(HEAD)]
    parts += [compressor.compress(b" " * MiB) for _ in range(megabytes)]
    return b"".join([*parts, compressor.compress(TAIL), compressor.flush()])


def run_case(name: str, url: str, limit_gb: float, *extra: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DINGSCAN_")}
    env |= {
        "DINGSCAN_APP_KEY": "benchmark",
        "DINGSCAN_APP_SECRET": "benchmark-secret",
        "DINGSCAN_OAPI_URL": url,
        "DINGSCAN_API_URL": url,
        "DINGSCAN_RETRY_ATTEMPTS": "1",
    }
    limit = int(limit_gb * 1024**3)

    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    started = time.monotonic()
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "dingscan", "scan", "--quiet", *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=bounded,
    )
    stderr = child.stderr.read() if child.stderr else b""
    _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not a running maximum
    child.returncode = os.waitstatus_to_exitcode(status)
    last = (stderr.decode(errors="replace").strip().splitlines() or [""])[-1][:110]
    print(
        f"{name:<26} peak RSS {usage.ru_maxrss / 1024:6.0f} MiB  exit {child.returncode:>3}  "
        f"{time.monotonic() - started:5.1f} s  {last}"
    )


@contextmanager
def serve(answer_mb: int, bomb: bytes) -> Iterator[str]:
    server = Hostile(("127.0.0.1", 0), Handler)
    server.answer_mb, server.bomb = answer_mb, bomb
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answer-mb", type=int, default=500)
    parser.add_argument("--bomb-mb", type=int, default=1024)
    parser.add_argument("--limit-gb", type=float, default=5.0, help="address-space limit of each scan")
    parser.add_argument("--case", choices=["answer", "record", "bomb"], action="append")
    args = parser.parse_args()
    cases = args.case or ["answer", "record", "bomb"]
    for case in cases:
        bomb = gzip_bomb(args.bomb_mb) if case == "bomb" else b""
        label = (
            f"gzip bomb {len(bomb) // 1024} KB->{args.bomb_mb} MB" if bomb else f"{args.answer_mb} MB answer"
        )
        with serve(args.answer_mb, bomb) as url, tempfile.TemporaryDirectory() as tmp:
            record = ["--record", str(Path(tmp) / "bundle")] if case == "record" else []
            run_case(label + (" +record" if record else ""), url, args.limit_gb, *record)


if __name__ == "__main__":
    main()
