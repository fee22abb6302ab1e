"""Answers that would cost unbounded memory or time cost one section, never the scan."""

from __future__ import annotations

import asyncio
import gzip
import time
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from hostile_server import Answer, HostileProxy, Takeover, hostile_settings

from dingscan.client import RetryPolicy
from dingscan.emulator import Emulator
from dingscan.engine import load_checks
from dingscan.evidence import read_bundle
from dingscan.exitcodes import ExitCode, exit_code_for
from dingscan.inputs import InputFile, JudgementInputs
from dingscan.policy import Policy
from dingscan.scan import ScanResult, replay_bundle, scan_live

MiB = 1024 * 1024
INPUTS = JudgementInputs(Policy(), InputFile("test", Policy().to_yaml()), None, None)
FAST = RetryPolicy(attempts=2, base_wait=0.001, max_wait=0.01)


@cache
def gzip_bomb() -> bytes:
    """64 MiB of JSON-ish padding in about 64 KB."""
    return gzip.compress(b'{"errcode": 0, "result": {"list": [' + b" " * (64 * MiB) + b"]}}", compresslevel=9)


def answer_with(path: str, headers: dict[str, str], chunks: Callable[[], Iterable[bytes]]) -> Takeover:
    def takeover(request_path: str, handler: BaseHTTPRequestHandler) -> bool:
        if request_path != path:
            return False
        handler.send_response(200)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        try:
            for chunk in chunks():
                handler.wfile.write(chunk)
                handler.wfile.flush()
        except OSError:
            pass  # the client hung up: what it should do
        return True

    return takeover


def huge() -> Iterator[bytes]:
    yield from (b" " * MiB for _ in range(500))  # 500 MB, never all read


def drip() -> Iterator[bytes]:
    for _ in range(1000):
        yield b" "
        time.sleep(0.2)  # each byte well within the read timeout, the whole answer never


async def scan(
    emu: Emulator, oapi: HostileProxy, tmp_path: Path | None = None, **settings: object
) -> ScanResult:
    with hostile_settings(emu, oapi=oapi, **settings) as configured:
        async with asyncio.timeout(30):
            return await scan_live(
                configured, inputs=INPUTS, checks=load_checks(), retry=FAST, record_to=tmp_path
            )


async def test_a_500_mb_answer_fails_only_its_section_and_replays_the_same(
    emu: Emulator, tmp_path: Path
) -> None:
    headers = {"Content-Type": "application/json", "Content-Length": str(500 * MiB)}
    takeover = answer_with("/topapi/role/list", headers, huge)
    result = await scan(emu, HostileProxy(emu.oapi_url, takeover=takeover), tmp_path / "b")
    coverage = result.document.coverage
    assert coverage["roles"].status == "failed"
    assert "larger than 8,192 KiB" in (coverage["roles"].reason or "")
    assert [n for n, c in coverage.items() if c.status == "failed"] == ["roles"]
    assert exit_code_for(result.document) is not ExitCode.FATAL
    replayed = await replay_bundle(read_bundle(tmp_path / "b"), inputs=INPUTS, checks=load_checks())
    assert replayed.document.coverage["roles"] == coverage["roles"]


async def test_a_gzip_bomb_is_not_inflated_past_the_cap(emu: Emulator) -> None:
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    headers["Content-Length"] = str(len(gzip_bomb()))
    takeover = answer_with("/topapi/role/list", headers, lambda: [gzip_bomb()])
    result = await scan(emu, HostileProxy(emu.oapi_url, takeover=takeover))
    assert "larger than 8,192 KiB" in (result.document.coverage["roles"].reason or "")


async def test_a_server_dripping_bytes_trips_the_total_deadline_per_request(emu: Emulator) -> None:
    headers = {"Content-Type": "application/json", "Content-Length": "1000"}
    """The drip sends a byte every 0.2 s, within the 1 s read timeout, for 200 s: "timed out" can
    only come from the total deadline per request (no wall-clock bound: ``scan`` caps it at 30 s)."""
    takeover = answer_with("/topapi/role/list", headers, drip)
    result = await scan(emu, HostileProxy(emu.oapi_url, takeover=takeover), timeout=1.0)
    roles = result.document.coverage["roles"]
    assert roles.status == "failed" and "timed out" in (roles.reason or "")


async def test_cookies_set_by_one_host_are_never_sent(emu: Emulator) -> None:
    def with_cookie(path: str, answer: Answer) -> Answer:
        answer.headers["Set-Cookie"] = "session=stolen; Path=/"
        return answer

    oapi = HostileProxy(emu.oapi_url, rewrite=with_cookie)
    api = HostileProxy(emu.api_url)
    with hostile_settings(emu, oapi=oapi, api=api) as configured:
        await scan_live(configured, inputs=INPUTS, checks=load_checks(), retry=FAST)
    sent = [h for proxy in (oapi, api) for h in proxy.seen_headers if "cookie" in h]
    assert len(oapi.seen_headers) > 1 and len(api.seen_headers) > 1 and sent == []
