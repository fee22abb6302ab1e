"""The read-only guard and how requests are put on the wire (hosts, prefixes, query values)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import respx
from dingtalk_fakes import TOKEN, MakeClient, api_ok, oapi_ok, token_answer, token_in, url_of

from dingscan import __version__
from dingscan.client import DingTalkClient, Endpoint, Host, HostMap
from dingscan.client import endpoints as ep
from dingscan.client.errors import MalformedResponse
from dingscan.client.transport import ReadOnlyTransport, RequestBlocked, route


@pytest.fixture
async def guarded(dingtalk: respx.MockRouter) -> AsyncIterator[httpx.AsyncClient]:
    """A bare httpx client behind the guard, with the default DingTalk hosts."""
    async with httpx.AsyncClient(transport=ReadOnlyTransport(httpx.AsyncHTTPTransport(), HostMap())) as http:
        yield http


# --- what the guard refuses -------------------------------------------------------------------

UNCATALOGUED = {
    "oapi path not in the catalogue": Endpoint(
        "user/create", Host.OAPI, "POST", "/topapi/v2/user/create", "x"
    ),
    "api path not in the catalogue": Endpoint("users", Host.API, "POST", "/v1.0/contact/users", "x"),
    "catalogued api path, write method": Endpoint("allApps", Host.API, "POST", "/v1.0/microApp/allApps", "x"),
    "catalogued api path, delete": Endpoint("allApps", Host.API, "DELETE", "/v1.0/microApp/allApps", "x"),
    "catalogued oapi path, put": Endpoint("listadmin", Host.OAPI, "PUT", "/topapi/user/listadmin", "x"),
    "oapi path sent to the api host": Endpoint("listadmin", Host.API, "POST", "/topapi/user/listadmin", "x"),
}


@pytest.mark.parametrize("endpoint", UNCATALOGUED.values(), ids=UNCATALOGUED.keys())
async def test_request_outside_the_catalogue_is_blocked_before_it_is_sent(
    endpoint: Endpoint, dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    target = dingtalk.route(method=endpoint.method, url=url_of(endpoint)).mock(return_value=oapi_ok())

    with pytest.raises(RequestBlocked) as raised:
        await client.call(endpoint)

    assert not target.called
    assert f"{endpoint.method} {url_of(endpoint)}" in raised.value.reason


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/v1.0/microApp/allApps",
        "http://api.dingtalk.com/v1.0/microApp/allApps",  # scheme downgrade
        "https://api.dingtalk.com:8443/v1.0/microApp/allApps",  # another port
        "https://api.dingtalk.com.evil.example/v1.0/microApp/allApps",
    ],
)
async def test_request_to_another_host_is_blocked_before_it_is_sent(
    url: str, dingtalk: respx.MockRouter, guarded: httpx.AsyncClient
) -> None:
    target = dingtalk.get(url).mock(return_value=api_ok(appList=[]))

    with pytest.raises(RequestBlocked):
        await guarded.get(url)

    assert not target.called


async def test_catalogued_read_passes_the_guard(
    dingtalk: respx.MockRouter, guarded: httpx.AsyncClient
) -> None:
    target = dingtalk.get(url_of(ep.ALL_APPS)).mock(return_value=api_ok(appList=[]))

    response = await guarded.get(url_of(ep.ALL_APPS), params={"x": "1"})

    assert response.status_code == 200
    assert target.called


async def test_blocked_reason_leaves_out_the_query_and_its_token(guarded: httpx.AsyncClient) -> None:
    with pytest.raises(RequestBlocked) as raised:
        await guarded.post("https://oapi.dingtalk.com/topapi/v2/user/delete", params={"access_token": TOKEN})

    assert TOKEN not in raised.value.reason
    assert "POST https://oapi.dingtalk.com/topapi/v2/user/delete" in raised.value.reason


# --- hosts behind a proxy with a path prefix --------------------------------------------------

PROXY = HostMap("https://proxy.example/oapi", "https://proxy.example/api")


async def test_hosts_under_a_proxy_path_prefix_work(
    dingtalk: respx.MockRouter, make_client: MakeClient
) -> None:
    client = make_client(hosts=PROXY)
    token = dingtalk.post("https://proxy.example/api/v1.0/oauth2/accessToken").mock(
        return_value=token_answer()
    )
    admins = dingtalk.post("https://proxy.example/oapi/topapi/user/listadmin").mock(
        return_value=oapi_ok(result=[])
    )
    apps = dingtalk.get("https://proxy.example/api/v1.0/microApp/allApps").mock(
        return_value=api_ok(appList=[])
    )

    await client.call(ep.ADMIN_LIST)
    await client.call(ep.ALL_APPS)

    assert token.call_count == 1
    assert token_in(admins.calls.last.request) == TOKEN
    assert apps.calls.last.request.headers["x-acs-dingtalk-access-token"] == TOKEN


@pytest.mark.parametrize(
    "url",
    [
        "https://proxy.example/topapi/user/listadmin",  # outside both prefixes
        "https://proxy.example/oapi-evil/topapi/user/listadmin",  # a prefix of the prefix is not the prefix
        "https://proxy.example/api/topapi/user/listadmin",  # an oapi path under the api prefix
    ],
)
async def test_proxy_prefix_is_matched_as_a_whole_path_segment(url: str, dingtalk: respx.MockRouter) -> None:
    target = dingtalk.post(url).mock(return_value=oapi_ok(result=[]))

    async with httpx.AsyncClient(transport=ReadOnlyTransport(httpx.AsyncHTTPTransport(), PROXY)) as http:
        with pytest.raises(RequestBlocked):
            await http.post(url)

    assert not target.called


SHARED_ORIGINS = {
    "oapi at the root, api under /api": HostMap("https://proxy.example", "https://proxy.example/api"),
    "api at the root, oapi under /oapi": HostMap("https://proxy.example/oapi", "https://proxy.example"),
    "both at the root": HostMap("https://proxy.example", "https://proxy.example"),
}


@pytest.mark.parametrize("hosts", SHARED_ORIGINS.values(), ids=SHARED_ORIGINS.keys())
async def test_hosts_sharing_one_origin_are_told_apart_by_the_catalogue(
    hosts: HostMap, dingtalk: respx.MockRouter, make_client: MakeClient
) -> None:
    client = make_client(hosts=hosts)
    dingtalk.post(url_of(ep.ACCESS_TOKEN, hosts)).mock(return_value=token_answer())
    admins = dingtalk.post(url_of(ep.ADMIN_LIST, hosts)).mock(return_value=oapi_ok(result=[]))
    apps = dingtalk.get(url_of(ep.ALL_APPS, hosts)).mock(return_value=api_ok(appList=[]))

    await client.call(ep.ADMIN_LIST)
    await client.call(ep.ALL_APPS)

    assert admins.called and apps.called
    assert token_in(admins.calls.last.request) == TOKEN
    assert "access_token" not in apps.calls.last.request.url.params


def test_candidates_split_a_url_into_host_and_api_path() -> None:
    assert PROXY.candidates(httpx.URL("https://proxy.example/oapi/topapi/user/listadmin?access_token=t")) == [
        (Host.OAPI, "/topapi/user/listadmin")
    ]
    assert PROXY.candidates(httpx.URL("https://proxy.example/api/v1.0/microApp/allApps")) == [
        (Host.API, "/v1.0/microApp/allApps")
    ]
    assert PROXY.candidates(httpx.URL("https://elsewhere.example/api/v1.0/microApp/allApps")) == []
    assert HostMap("https://proxy.example/oapi/").url(Host.OAPI, "/auth/scopes") == (
        "https://proxy.example/oapi/auth/scopes"
    )


def test_route_names_the_catalogued_endpoint_a_request_is_for() -> None:
    shared = SHARED_ORIGINS["oapi at the root, api under /api"]
    request = httpx.Request("GET", "https://proxy.example/api/v1.0/microApp/allApps")

    assert route(shared, request) == (ep.ALL_APPS, "/v1.0/microApp/allApps")
    assert route(shared, httpx.Request("POST", "https://proxy.example/api/v1.0/microApp/allApps")) is None


# --- how a request looks on the wire ----------------------------------------------------------


async def test_query_values_are_written_the_way_dingtalk_reads_them(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route = dingtalk.get(url_of(ep.LEAVE_RECORDS)).mock(return_value=api_ok(records=[]))

    await client.call(ep.LEAVE_RECORDS, params={"flag": True, "off": False, "ids": ["a", "乙"], "max": 50})

    params = route.calls.last.request.url.params
    assert params["flag"] == "true"
    assert params["off"] == "false"
    assert params["ids"] == '["a", "乙"]'
    assert params["max"] == "50"


async def test_get_requests_never_carry_a_body(dingtalk: respx.MockRouter, client: DingTalkClient) -> None:
    route = dingtalk.get(url_of(ep.LEAVE_RECORDS)).mock(return_value=api_ok(records=[]))

    await client.call(ep.LEAVE_RECORDS, body={"ignored": 1})

    assert route.calls.last.request.content == b""


async def test_post_bodies_are_json_and_requests_name_dingscan(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route = dingtalk.post(url_of(ep.USER_GET)).mock(return_value=oapi_ok(result={"userid": "u1"}))

    await client.call(ep.USER_GET, body={"userid": "u1", "language": "zh_CN"})

    request = route.calls.last.request
    assert request.headers["content-type"] == "application/json"
    assert request.read() == b'{"userid":"u1","language":"zh_CN"}'
    assert request.headers["user-agent"] == f"dingscan/{__version__}"


async def test_redirects_are_not_followed(dingtalk: respx.MockRouter, client: DingTalkClient) -> None:
    elsewhere = dingtalk.post("https://evil.example/collect")
    dingtalk.post(url_of(ep.ADMIN_LIST)).mock(
        return_value=httpx.Response(302, headers={"location": "https://evil.example/collect"})
    )

    with pytest.raises(MalformedResponse):
        await client.call(ep.ADMIN_LIST)

    assert not elsewhere.called
