"""What one answer may cost: a total deadline and a size cap, enforced under everything else.

httpx's timeouts bound each wait for the next bytes, not the whole answer: a server that drips a
byte every few seconds never trips them. And httpx reads and decompresses whatever it is sent: a
500 MB answer or a 1 MB gzip bomb becomes gigabytes in memory. :class:`BoundedTransport` sits
directly above the network (below the recorder, so recordings hold what the client saw) and
reads each answer itself: within ``deadline`` seconds from sending, at most the endpoint's
``max_body`` bytes on the wire and again after decompression. An answer over the cap fails that
call with :class:`~dingscan.client.errors.OversizedResponse` (never retried, so only the
section that needed it fails); one past the deadline is a timeout, retried like any other.
"""

from __future__ import annotations

import asyncio
import zlib

import httpx

from dingscan.client.endpoints import DEFAULT_MAX_BODY
from dingscan.client.errors import OversizedResponse
from dingscan.client.hosts import HostMap
from dingscan.client.transport import route

#: Headers that describe the wire encoding of a body handed on already decoded.
ENCODING_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})
#: zlib window bits per content coding we decode ourselves (with a cap on the output).
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class BoundedTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, hosts: HostMap, *, deadline: float) -> None:
        self._inner = inner
        self._hosts = hosts
        self._deadline = deadline

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        routed = route(self._hosts, request)
        endpoint = routed[0] if routed else None
        limit = endpoint.max_body if endpoint else DEFAULT_MAX_BODY
        try:
            async with asyncio.timeout(self._deadline):
                response = await self._inner.handle_async_request(request)
                try:
                    raw = await _read_raw(response, limit)
                finally:
                    await response.aclose()
            content = decode(raw, response.headers.get("content-encoding", ""), limit)
        except TimeoutError:
            raise httpx.ReadTimeout(
                f"no complete answer within {self._deadline:g} s", request=request
            ) from None
        except _TooLarge:
            raise OversizedResponse("too-large", f"{limit // 1024:,} KiB", endpoint=endpoint) from None
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in ENCODING_HEADERS]
        return httpx.Response(response.status_code, headers=headers, content=content, request=request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class _TooLarge(Exception):
    pass


async def _read_raw(response: httpx.Response, limit: int) -> bytes:
    body = bytearray()
    async for chunk in response.aiter_raw():
        body += chunk
        if len(body) > limit:
            raise _TooLarge
    return bytes(body)


def decode(raw: bytes, content_encoding: str, limit: int) -> bytes:
    """``raw`` with its gzip/deflate codings undone, never more than ``limit`` bytes of output.

    A coding dingscan does not decode (br, zstd) or a corrupt stream is handed on as it came:
    it is not JSON, so the client reports it unreadable, and a recording keeps it byte for byte.
    """
    data = raw
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    for coding in reversed([c for c in codings if c != "identity"]):
        if coding not in _WBITS:
            return raw
        decompressor = zlib.decompressobj(_WBITS[coding])
        try:
            data = decompressor.decompress(data, limit + 1)
        except zlib.error:
            return raw
        if len(data) > limit or decompressor.unconsumed_tail:
            raise _TooLarge
    return data
