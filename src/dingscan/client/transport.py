"""The read-only guard at the bottom of the client.

Every request passes through :class:`ReadOnlyTransport` before it reaches the network (or a
recorder, or a replay). A request that is not a catalogued read endpoint on one of the two
configured hosts is refused here, so no code path in dingscan can write to a tenant.
"""

from __future__ import annotations

import httpx

from dingscan.client.endpoints import find_endpoint
from dingscan.client.errors import DingTalkError
from dingscan.client.hosts import HostMap


class RequestBlocked(DingTalkError):
    @property
    def reason(self) -> str:
        return f"dingscan refused to send {self.message}: not a catalogued read-only endpoint"


class ReadOnlyTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, hosts: HostMap) -> None:
        self._inner = inner
        self._hosts = hosts

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        located = self._hosts.locate(request.url)
        if located is None or find_endpoint(located[0], request.method, located[1]) is None:
            raise RequestBlocked("blocked", f"{request.method} {request.url.copy_with(query=None)}")
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
