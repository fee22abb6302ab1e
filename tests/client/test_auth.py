"""Access tokens: how they are fetched, cached, placed on each host and refreshed when rejected."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import respx
from dingtalk_fakes import (
    API,
    APP_KEY,
    APP_SECRET,
    TOKEN,
    TOKEN_2,
    FakeSleep,
    MakeClient,
    api_fail,
    api_ok,
    body_of,
    oapi_fail,
    oapi_ok,
    token_answer,
    token_in,
    url_of,
)

from dingscan.client import DingTalkClient
from dingscan.client import endpoints as ep
from dingscan.client.auth import AccessTokenCache, IssuedToken
from dingscan.client.errors import MalformedResponse, TokenInvalid, TokenUnavailable


def issue(*tokens: str) -> list[httpx.Response]:
    return [token_answer(token) for token in tokens]


# --- fetching and caching ---------------------------------------------------------------------


async def test_token_is_fetched_by_posting_app_key_and_secret_as_json(
    dingtalk: respx.MockRouter, token_route: respx.Route, client: DingTalkClient
) -> None:
    dingtalk.post(url_of(ep.ADMIN_LIST)).mock(return_value=oapi_ok(result=[]))

    await client.call(ep.ADMIN_LIST)

    assert token_route.call_count == 1
    request = token_route.calls.last.request
    assert request.method == "POST"
    assert str(request.url) == f"{API}/v1.0/oauth2/accessToken"
    assert request.headers["content-type"] == "application/json"
    assert body_of(request) == {"appKey": APP_KEY, "appSecret": APP_SECRET}
    assert token_in(request) is None  # the token request itself carries no token


async def test_token_is_cached_across_calls_and_hosts(
    dingtalk: respx.MockRouter, token_route: respx.Route, client: DingTalkClient
) -> None:
    dingtalk.post(url_of(ep.ADMIN_LIST)).mock(return_value=oapi_ok(result=[]))
    dingtalk.get(url_of(ep.ALL_APPS)).mock(return_value=api_ok(appList=[]))

    await client.call(ep.ADMIN_LIST)
    await client.call(ep.ALL_APPS)
    await client.call(ep.ADMIN_LIST)

    assert token_route.call_count == 1


async def test_concurrent_first_calls_fetch_the_token_once(
    dingtalk: respx.MockRouter, token_route: respx.Route, client: DingTalkClient
) -> None:
    async def slow_token(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.01)  # give the other calls time to pile up behind the fetch
        return token_answer()

    token_route.side_effect = slow_token
    route = dingtalk.post(url_of(ep.ADMIN_LIST)).mock(return_value=oapi_ok(result=[]))

    await asyncio.gather(*(client.call(ep.ADMIN_LIST) for _ in range(10)))

    assert token_route.call_count == 1
    assert {token_in(call.request) for call in route.calls} == {TOKEN}


async def test_oapi_calls_carry_the_token_in_the_query_never_in_a_header(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route = dingtalk.post(url_of(ep.ADMIN_LIST)).mock(return_value=oapi_ok(result=[]))

    await client.call(ep.ADMIN_LIST)

    request = route.calls.last.request
    assert request.url.params["access_token"] == TOKEN
    assert "x-acs-dingtalk-access-token" not in request.headers


async def test_api_calls_carry_the_raw_token_in_the_header_never_in_the_query(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route = dingtalk.get(url_of(ep.ORG_AUTH_INFO)).mock(return_value=api_ok(orgName="测试", authLevel=1))

    await client.call(ep.ORG_AUTH_INFO, params={"targetCorpId": "dingcorp"})

    request = route.calls.last.request
    assert request.headers["x-acs-dingtalk-access-token"] == TOKEN  # raw, not JSON-quoted
    assert "access_token" not in request.url.params
    assert request.url.params["targetCorpId"] == "dingcorp"


# --- refresh when rejected ------------------------------------------------------------------


@pytest.mark.parametrize(
    "errcode", ["40001", "40014", "42001", "41001"], ids=["invalid", "illegal", "expired", "missing"]
)
async def test_expired_token_is_refreshed_once_on_the_old_host(
    errcode: str,
    dingtalk: respx.MockRouter,
    token_route: respx.Route,
    client: DingTalkClient,
    sleep: FakeSleep,
) -> None:
    token_route.side_effect = issue(TOKEN, TOKEN_2)
    route = dingtalk.post(url_of(ep.ADMIN_LIST)).mock(
        side_effect=[oapi_fail(int(errcode), "不合法的access_token"), oapi_ok(result=[{"userid": "u1"}])]
    )

    answer = await client.call(ep.ADMIN_LIST)

    assert answer["result"] == [{"userid": "u1"}]
    assert token_route.call_count == 2
    assert [token_in(call.request) for call in route.calls] == [TOKEN, TOKEN_2]
    assert sleep.delays == []  # a refresh is not a back-off
    assert client.stats.retries == 0


@pytest.mark.parametrize(
    ("status", "code"),
    [(401, "InvalidAuthentication"), (400, "InvalidAuthentication"), (401, "Unauthorized")],
)
async def test_rejected_token_is_refreshed_once_on_the_new_host(
    status: int, code: str, dingtalk: respx.MockRouter, token_route: respx.Route, client: DingTalkClient
) -> None:
    token_route.side_effect = issue(TOKEN, TOKEN_2)
    route = dingtalk.get(url_of(ep.ALL_APPS)).mock(
        side_effect=[api_fail(status, code, "不合法的access_token"), api_ok(appList=[])]
    )

    assert await client.call(ep.ALL_APPS) == {"appList": []}

    assert token_route.call_count == 2
    assert [token_in(call.request) for call in route.calls] == [TOKEN, TOKEN_2]


async def test_bare_http_401_without_a_code_also_refreshes_the_token(
    dingtalk: respx.MockRouter, token_route: respx.Route, client: DingTalkClient
) -> None:
    token_route.side_effect = issue(TOKEN, TOKEN_2)
    route = dingtalk.get(url_of(ep.ALL_APPS)).mock(side_effect=[httpx.Response(401), api_ok(appList=[])])

    await client.call(ep.ALL_APPS)

    assert [token_in(call.request) for call in route.calls] == [TOKEN, TOKEN_2]


@pytest.mark.parametrize("host", ["oapi", "api"])
async def test_second_rejection_after_a_refresh_is_raised_not_looped(
    host: str, dingtalk: respx.MockRouter, token_route: respx.Route, client: DingTalkClient
) -> None:
    token_route.side_effect = issue(TOKEN, TOKEN_2, "token-three-never-asked-for")
    if host == "oapi":
        endpoint = ep.ADMIN_LIST
        route = dingtalk.post(url_of(endpoint)).mock(
            side_effect=lambda r: oapi_fail(40014, "不合法的access_token")
        )
    else:
        endpoint = ep.ALL_APPS
        route = dingtalk.get(url_of(endpoint)).mock(
            side_effect=lambda r: api_fail(401, "InvalidAuthentication")
        )

    with pytest.raises(TokenInvalid):
        await client.call(endpoint)

    assert route.call_count == 2
    assert token_route.call_count == 2


async def test_later_calls_use_the_refreshed_token_without_another_refresh(
    dingtalk: respx.MockRouter, token_route: respx.Route, client: DingTalkClient
) -> None:
    token_route.side_effect = issue(TOKEN, TOKEN_2)
    route = dingtalk.post(url_of(ep.ADMIN_LIST)).mock(
        side_effect=[oapi_fail(42001, "access_token超时"), oapi_ok(result=[]), oapi_ok(result=[])]
    )

    await client.call(ep.ADMIN_LIST)
    await client.call(ep.ADMIN_LIST)

    assert token_route.call_count == 2
    assert token_in(route.calls.last.request) == TOKEN_2


async def test_concurrent_calls_seeing_the_same_expired_token_refresh_it_only_once(
    dingtalk: respx.MockRouter, token_route: respx.Route, make_client: MakeClient
) -> None:
    client = make_client()
    calls = 10
    token_route.side_effect = issue(TOKEN, TOKEN_2)
    stale_seen = 0
    all_saw_stale = asyncio.Event()

    async def expire_the_first_token(request: httpx.Request) -> httpx.Response:
        nonlocal stale_seen
        if token_in(request) == TOKEN_2:
            return oapi_ok(result=[])
        stale_seen += 1
        if stale_seen == calls:
            all_saw_stale.set()
        # Hold every rejection until all calls have sent the stale token, so they refresh together.
        await asyncio.wait_for(all_saw_stale.wait(), timeout=5)
        return oapi_fail(42001, "access_token超时")

    route = dingtalk.post(url_of(ep.ADMIN_LIST)).mock(side_effect=expire_the_first_token)

    await asyncio.gather(*(client.call(ep.ADMIN_LIST) for _ in range(calls)))

    assert token_route.call_count == 2  # the first token, then exactly one refresh
    sent = [token_in(call.request) for call in route.calls]
    assert sent.count(TOKEN) == calls
    assert sent.count(TOKEN_2) == calls


async def test_malformed_token_answer_is_reported_as_malformed(
    dingtalk: respx.MockRouter, token_route: respx.Route, client: DingTalkClient
) -> None:
    token_route.side_effect = lambda request: httpx.Response(200, json={"expireIn": 7200})
    route = dingtalk.post(url_of(ep.ADMIN_LIST))

    with pytest.raises(MalformedResponse, match="accessToken"):
        await client.call(ep.ADMIN_LIST)

    assert not route.called


async def test_null_access_token_is_malformed_not_the_string_none(
    dingtalk: respx.MockRouter, token_route: respx.Route, client: DingTalkClient
) -> None:
    token_route.side_effect = lambda request: httpx.Response(
        200, json={"accessToken": None, "expireIn": 7200}
    )
    route = dingtalk.post(url_of(ep.ADMIN_LIST)).mock(return_value=oapi_ok(result=[]))

    with pytest.raises(MalformedResponse):
        await client.call(ep.ADMIN_LIST)

    assert not route.called


async def test_a_token_endpoint_that_cannot_be_reached_halts_the_client_naming_host_and_cause(
    dingtalk: respx.MockRouter, token_route: respx.Route, client: DingTalkClient
) -> None:
    token_route.side_effect = httpx.ConnectError("[Errno 111] Connection refused")
    route = dingtalk.post(url_of(ep.ADMIN_LIST)).mock(return_value=oapi_ok(result=[]))

    with pytest.raises(TokenUnavailable) as raised:
        await client.call(ep.ADMIN_LIST)
    assert raised.value.fatal
    assert raised.value.reason.startswith(
        "could not get an access token from https://api.dingtalk.com (/v1.0/oauth2/accessToken could "
        "not be reached: ConnectError: [Errno 111] Connection refused, 3 tries)"
    )
    assert token_route.call_count == 3  # a few quick tries, not the data calls' five
    with pytest.raises(TokenUnavailable):  # every later call fails at once, unsent
        await client.call(ep.ALL_APPS)
    assert token_route.call_count == 3 and not route.called


# --- the cache on its own, with a clock we control --------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Issuer:
    def __init__(self, expires_in: float = 7200) -> None:
        self.issued = 0
        self.expires_in = expires_in

    async def __call__(self) -> IssuedToken:
        self.issued += 1
        return IssuedToken(f"cached-token-{self.issued:04d}", self.expires_in)


async def test_token_is_reused_until_ten_minutes_before_expiry() -> None:
    clock, issuer = Clock(), Issuer(expires_in=7200)
    cache = AccessTokenCache(issuer, clock=clock)

    first = await cache.get()
    clock.now += 7200 - 600 - 1
    assert await cache.get() == first
    assert issuer.issued == 1

    clock.now += 1  # ten minutes before DingTalk's expiry
    assert await cache.get() != first
    assert issuer.issued == 2


async def test_short_lived_token_is_renewed_at_half_its_lifetime() -> None:
    clock, issuer = Clock(), Issuer(expires_in=600)
    cache = AccessTokenCache(issuer, clock=clock)

    await cache.get()
    clock.now += 299
    await cache.get()
    assert issuer.issued == 1
    clock.now += 1
    await cache.get()
    assert issuer.issued == 2


async def test_refresh_reuses_a_token_another_caller_already_renewed() -> None:
    issuer = Issuer()
    cache = AccessTokenCache(issuer, clock=Clock())
    stale = await cache.get()

    fresh = await cache.refresh(rejected=stale)
    again = await cache.refresh(rejected=stale)

    assert fresh == again != stale
    assert issuer.issued == 2


async def test_refresh_of_the_current_token_fetches_a_new_one() -> None:
    issuer = Issuer()
    cache = AccessTokenCache(issuer, clock=Clock())
    current = await cache.get()

    assert await cache.refresh(rejected=current) != current
    assert issuer.issued == 2
