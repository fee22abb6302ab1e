"""Replay: serve a bundle's recorded answers to the unchanged client, offline.

Requests are matched by their normal form (host, method, path, query and body without
credentials). Several recorded answers to the same request are served in recorded order (a
throttled attempt, then its successful retry), the last one repeating. A request the bundle does
not hold raises :class:`NotRecorded`, which fails that snapshot section with "not in recording"
instead of crashing the replay.
"""

from __future__ import annotations

from collections import defaultdict, deque

import httpx

from dingscan.client.errors import NotRecorded, OversizedResponse
from dingscan.client.hosts import HostMap
from dingscan.client.transport import route
from dingscan.evidence.exchange import TOO_LARGE, Exchange, normalise_request


class ReplayTransport(httpx.AsyncBaseTransport):
    def __init__(self, exchanges: list[Exchange], hosts: HostMap) -> None:
        self._hosts = hosts
        self._answers: dict[str, deque[Exchange]] = defaultdict(deque)
        for exchange in sorted(exchanges, key=lambda e: e.seq):
            self._answers[exchange.request.key()].append(exchange)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        routed = route(self._hosts, request)
        if routed is None:  # the read-only guard above refuses these before they get here
            raise httpx.UnsupportedProtocol(f"not a DingTalk endpoint: {request.url.path}", request=request)
        endpoint, path = routed
        answers = self._answers.get(normalise_request(endpoint.host, path, request).key())
        if not answers:
            raise NotRecorded("not-recorded", endpoint=endpoint)
        exchange = answers.popleft() if len(answers) > 1 else answers[0]
        if exchange.error is not None and exchange.error.startswith(TOO_LARGE):
            raise OversizedResponse("too-large", exchange.error.removeprefix(TOO_LARGE), endpoint=endpoint)
        if exchange.error == "timeout":
            raise httpx.ReadTimeout("recorded timeout", request=request)
        if exchange.error is not None or exchange.response is None:
            raise httpx.ConnectError(f"recorded {exchange.error}", request=request)
        recorded = exchange.response
        headers = {
            k: v
            for k, v in (("content-type", recorded.content_type), ("x-acs-request-id", recorded.request_id))
            if v is not None
        }
        return httpx.Response(recorded.status, headers=headers, content=recorded.content(), request=request)
