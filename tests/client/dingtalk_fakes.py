"""DingTalk on the wire, faked: the answers both hosts give, and a sleep that only takes notes.

Shared by the client tests (imported as ``dingtalk_fakes``; pytest puts this folder on the path).
Every answer is a fresh :class:`httpx.Response`, so one builder can serve a route many times.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from dingscan.client import DingTalkClient, Endpoint, Host
from dingscan.client.hosts import DEFAULT_API_URL, DEFAULT_OAPI_URL, HostMap

OAPI = DEFAULT_OAPI_URL
API = DEFAULT_API_URL
TOKEN_URL = f"{API}/v1.0/oauth2/accessToken"

APP_KEY = "dingtestappkey"
APP_SECRET = "app-secret-GT-lsu-4b1d9e7c0f"
TOKEN = "token-one-96fc7a7a5e1d4c3b"
TOKEN_2 = "token-two-fw8ef8we8f76e6f7"

#: The ``make_client`` fixture: keyword overrides for :class:`DingTalkClient` -> a client.
MakeClient = Callable[..., DingTalkClient]


class FakeSleep:
    """Stands in for ``asyncio.sleep``: returns at once and remembers every delay asked for."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def url_of(endpoint: Endpoint, hosts: HostMap | None = None) -> str:
    return (hosts or HostMap()).url(endpoint.host, endpoint.path)


def token_answer(token: str = TOKEN, expire_in: int = 7200) -> httpx.Response:
    return httpx.Response(200, json={"accessToken": token, "expireIn": expire_in})


def oapi_ok(**fields: Any) -> httpx.Response:
    """An old-host success: the ``errcode`` envelope around the data."""
    return httpx.Response(200, json={"errcode": 0, "errmsg": "ok", "request_id": "5um7ykyaalsj", **fields})


def oapi_fail(errcode: int | str, errmsg: str = "error", **fields: Any) -> httpx.Response:
    """An old-host error: HTTP 200 with a non-zero ``errcode``."""
    return httpx.Response(
        200, json={"errcode": errcode, "errmsg": errmsg, "request_id": "15s9in2w1yat9", **fields}
    )


def api_ok(**fields: Any) -> httpx.Response:
    """A new-host success: the plain JSON object, request id in a header."""
    return httpx.Response(200, json=fields, headers={"x-acs-request-id": "30EE8654-0000"})


def api_fail(status: int, code: str, message: str = "error") -> httpx.Response:
    """A new-host error: HTTP status plus ``{"code", "message", "requestid"}``."""
    return httpx.Response(
        status,
        json={"code": code, "message": message, "requestid": "30EE8654-1111"},
        headers={"x-acs-request-id": "30EE8654-1111"},
    )


def ok_for(endpoint: Endpoint) -> httpx.Response:
    """A plausible success answer for any endpoint, on the right host's envelope."""
    return oapi_ok(result=[]) if endpoint.host is Host.OAPI else api_ok(appList=[])


def body_of(request: httpx.Request) -> dict[str, Any]:
    return json.loads(request.content) if request.content else {}


def token_in(request: httpx.Request) -> str | None:
    """The access token a request carries, wherever it carries it."""
    return request.url.params.get("access_token") or request.headers.get("x-acs-dingtalk-access-token")
