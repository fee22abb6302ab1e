"""Recording at the transport boundary: every exchange, exactly as the client saw it.

Because the recorder sits below the client, a replay runs the very same client, collector and
checks code as the live scan; only the bytes come from the bundle instead of the network.
Failed exchanges (timeouts, resets) are recorded too, so a replay reproduces retries.
"""

from __future__ import annotations

import itertools

import httpx

from dingscan.client.bounded import ENCODING_HEADERS
from dingscan.client.errors import OversizedResponse
from dingscan.client.hosts import HostMap
from dingscan.client.transport import route
from dingscan.evidence.exchange import TOO_LARGE, Exchange, normalise_request, record_response


class RecordingTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, hosts: HostMap) -> None:
        self._inner = inner
        self._hosts = hosts
        self._seq = itertools.count()
        self.exchanges: list[Exchange] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        routed = route(self._hosts, request)
        if routed is None:  # the read-only guard above refuses these before they get here
            raise httpx.UnsupportedProtocol(f"not a DingTalk endpoint: {request.url.path}", request=request)
        endpoint, path = routed
        recorded = normalise_request(endpoint.host, path, request)
        seq = next(self._seq)
        try:
            response = await self._inner.handle_async_request(request)
            content = await response.aread()
        except OversizedResponse as exc:  # the bounded transport below refused to read it all
            self.exchanges.append(Exchange(seq=seq, request=recorded, error=f"{TOO_LARGE}{exc.message}"))
            raise
        except httpx.TimeoutException:
            self.exchanges.append(Exchange(seq=seq, request=recorded, error="timeout"))
            raise
        except httpx.TransportError as exc:
            self.exchanges.append(
                Exchange(seq=seq, request=recorded, error=f"connection: {type(exc).__name__}")
            )
            raise
        self.exchanges.append(
            Exchange(seq=seq, request=recorded, response=record_response(recorded, response, content))
        )
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in ENCODING_HEADERS]
        return httpx.Response(response.status_code, headers=headers, content=content, request=request)

    async def aclose(self) -> None:
        await self._inner.aclose()
