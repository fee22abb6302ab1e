"""The read-only guard at the bottom of the client.

Every request passes through :class:`ReadOnlyTransport` before it reaches the network (or a
recorder, or a replay). A request that is not a catalogued read endpoint on one of the two
configured hosts is refused here, so no code path in dingscan can write to a tenant.
"""

from __future__ import annotations

import httpx

from dingscan.client.endpoints import Endpoint, find_endpoint
from dingscan.client.errors import DingTalkError
from dingscan.client.hosts import HostMap


class RequestBlocked(DingTalkError):
    @property
    def reason(self) -> str:
        return f"dingscan refused to send {self.message}: not a catalogued read-only endpoint"


def route(hosts: HostMap, request: httpx.Request) -> tuple[Endpoint, str] | None:
    """The catalogued endpoint a request is for and its API path, or None when it is not one."""
    for host, path in hosts.candidates(request.url):
        endpoint = find_endpoint(host, request.method, path)
        if endpoint is not None:
            return endpoint, path
    return None


class ReadOnlyTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, hosts: HostMap) -> None:
        self._inner = inner
        self._hosts = hosts

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if route(self._hosts, request) is None:
            raise RequestBlocked("blocked", f"{request.method} {request.url.copy_with(query=None)}")
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
