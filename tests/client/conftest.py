"""Fixtures for the client tests: a respx router standing in for both DingTalk hosts, a token
endpoint that answers, and clients that never really sleep (back-off is recorded instead)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import respx
from dingtalk_fakes import APP_KEY, APP_SECRET, TOKEN_URL, FakeSleep, MakeClient, token_answer
from pydantic import SecretStr

from dingscan.client import DingTalkClient, RetryPolicy


@pytest.fixture
def sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
def dingtalk() -> Iterator[respx.MockRouter]:
    """Both hosts, mocked; a request to anything without a route fails the test."""
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


@pytest.fixture
def token_route(dingtalk: respx.MockRouter) -> respx.Route:
    """``POST /v1.0/oauth2/accessToken``; answers ``TOKEN`` unless a test says otherwise."""
    return dingtalk.post(TOKEN_URL, name="token").mock(side_effect=lambda request: token_answer())


@pytest.fixture
async def make_client(sleep: FakeSleep, token_route: respx.Route) -> AsyncIterator[MakeClient]:
    """Builds clients (closed at teardown): no pacing and a fake sleep unless overridden."""
    clients: list[DingTalkClient] = []

    def make(**overrides: Any) -> DingTalkClient:
        options: dict[str, Any] = {
            "calls_per_second": None,
            "retry": RetryPolicy(attempts=4),
            "sleep": sleep,
            **overrides,
        }
        client = DingTalkClient(APP_KEY, SecretStr(APP_SECRET), **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
def client(make_client: MakeClient) -> DingTalkClient:
    return make_client()
