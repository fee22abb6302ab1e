"""One attempt at delivering an alert, and how it failed: never, surely, or maybe.

A request that never reached the receiver (no connection, a connect timeout) can be repeated
freely. One that reached it and got no clear answer (a read timeout, a reply that is not what
the channel answers) may have been acted on: it is "maybe delivered". Every attempt carries the
same delivery id (header ``X-Dingscan-Delivery`` and the body), so a receiver de-duplicates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from dingscan.client.limits import Pacer

DELIVERY_HEADER = "X-Dingscan-Delivery"


class NotDelivered(Exception):
    """An attempt failed; ``retry``: another could succeed; ``maybe``: the receiver may have it."""

    def __init__(self, message: str, *, retry: bool, maybe: bool = False) -> None:
        super().__init__(message)
        self.retry = retry
        self.maybe = maybe


@dataclass
class SendContext:
    """What channels share for a whole run: the environment secrets are read from, and paced
    queues (one per DingTalk robot, shared by every tenant)."""

    environ: Mapping[str, str]
    pacers: dict[str, Pacer] = field(default_factory=dict)


async def post(
    http: httpx.AsyncClient, url: str, body: bytes, delivery_id: str, headers: Mapping[str, str]
) -> httpx.Response:
    """POST ``body`` as JSON; a failure is a :class:`NotDelivered` saying if it may have landed."""
    sent = {"Content-Type": "application/json", DELIVERY_HEADER: delivery_id, **headers}
    try:
        response = await http.post(url, content=body, headers=sent)
    except (httpx.ConnectTimeout, httpx.PoolTimeout):
        raise NotDelivered("cannot connect in time", retry=True) from None
    except httpx.TimeoutException:
        raise NotDelivered("no answer in time", retry=True, maybe=True) from None
    except httpx.TransportError as exc:
        raise NotDelivered(f"cannot connect ({type(exc).__name__})", retry=True) from None
    if response.status_code >= 500 or response.status_code == 429:
        raise NotDelivered(f"HTTP {response.status_code}", retry=True)
    if response.status_code >= 300:
        raise NotDelivered(f"HTTP {response.status_code}", retry=False)
    return response


def json_answer(response: httpx.Response) -> dict[str, Any]:
    """The receiver's JSON answer; a 2xx answer that is not JSON was accepted by *something*."""
    try:
        value = response.json()
    except ValueError:
        raise NotDelivered("answer is not JSON", retry=False, maybe=True) from None
    return value if isinstance(value, dict) else {}
