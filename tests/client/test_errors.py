"""Answers that must not be retried: each becomes one request and one typed, readable error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest
import respx
from dingtalk_fakes import (
    FakeSleep,
    api_fail,
    api_ok,
    oapi_fail,
    oapi_ok,
    ok_for,
    url_of,
)

from dingscan.client import DingTalkClient, Endpoint
from dingscan.client import endpoints as ep
from dingscan.client.errors import (
    AccessSuspended,
    BadRequest,
    CredentialsRejected,
    DingTalkError,
    IpBanned,
    IpNotWhitelisted,
    MalformedResponse,
    NotEnabled,
    NotFound,
    OutOfScope,
    PermissionDenied,
    QuotaExhausted,
)

Answer = Callable[[], httpx.Response]


@dataclass(frozen=True)
class Final:
    endpoint: Endpoint
    answer: Answer
    error: type[DingTalkError]
    code: str
    reason_has: tuple[str, ...] = ()


def _ban_page() -> httpx.Response:
    return httpx.Response(
        200,
        text="<!DOCTYPE html><html><head><title>访问被拒绝</title></head><body>deny</body></html>",
        headers={"content-type": "text/html; charset=utf-8"},
    )


def _punish() -> httpx.Response:
    return httpx.Response(
        200, json={"status": 1111, "wait": 5, "source": "x5", "punish": "deny", "uuid": "u-1"}
    )


ADMINS, SCOPES, APPS, LEAVERS = ep.ADMIN_LIST, ep.AUTH_SCOPES, ep.ALL_APPS, ep.LEAVE_RECORDS
FINAL = {
    "60011 no permission": Final(
        ADMINS, lambda: oapi_fail(60011, "没有调用该接口的权限"), PermissionDenied, "60011",
        ("qyapi_get_member", "/topapi/user/listadmin"),
    ),
    "88 wrapping sub_code 60011": Final(
        ADMINS,
        lambda: oapi_fail(88, "ding talk error[subcode=60011]", sub_code="60011", sub_msg="没有调用该接口的权限"),
        PermissionDenied, "60011", ("qyapi_get_member", "/topapi/user/listadmin"),
    ),
    "88 with numeric sub_code": Final(
        ADMINS, lambda: oapi_fail(88, "鉴权异常", sub_code=60011), PermissionDenied, "60011", ("qyapi_get_member",)
    ),
    # errcode 88 whose sub-code is only in errmsg (no sub_code/sub_msg fields), written after the
    # example on DingTalk's error-code page (服务端错误码, errcode 88 鉴权异常).
    "88 with the sub-code only in errmsg": Final(
        ADMINS, lambda: oapi_fail(88, "ding talk error[subcode=60011,submsg=没有调用该接口的权限]"),
        PermissionDenied, "60011", ("qyapi_get_member", "/topapi/user/listadmin"),
    ),
    "88 with no sub-code anywhere": Final(ADMINS, lambda: oapi_fail(88, "鉴权异常"), DingTalkError, "88"),
    "43007 needs authorisation": Final(
        ADMINS, lambda: oapi_fail(43007, "需要授权"), PermissionDenied, "43007", ("qyapi_get_member",)
    ),
    "api AccessTokenPermissionDenied": Final(
        APPS, lambda: api_fail(403, "Forbidden.AccessDenied.AccessTokenPermissionDenied"),
        PermissionDenied, "Forbidden.AccessDenied.AccessTokenPermissionDenied", ("qyapi_get_microapp_list",),
    ),
    "api realmControl": Final(
        APPS, lambda: api_fail(403, "forbidden.accessDenied.realmControl"), PermissionDenied,
        "forbidden.accessDenied.realmControl",
    ),
    "90020 quota": Final(
        SCOPES, lambda: oapi_fail(90020, "调用次数超限"), QuotaExhausted, "90020",
        ("/auth/scopes was refused", "monthly API call quota"),
    ),
    "api ApiCountLimitForOrg": Final(
        APPS, lambda: api_fail(403, "Forbidden.AccessDenied.ApiCountLimitForOrg"), QuotaExhausted,
        "Forbidden.AccessDenied.ApiCountLimitForOrg",
    ),
    "40035 bad parameter": Final(ADMINS, lambda: oapi_fail(40035, "不合法的参数"), BadRequest, "40035", ("dingscan bug",)),
    "400002 bad parameter": Final(ADMINS, lambda: oapi_fail(400002, "无效的参数"), BadRequest, "400002"),
    "api invalidParameter": Final(
        LEAVERS, lambda: api_fail(400, "invalidParameter.startTime"), BadRequest, "invalidParameter.startTime"
    ),
    "50004 out of scope": Final(ADMINS, lambda: oapi_fail(50004, "部门不在授权范围"), OutOfScope, "50004", ("通讯录 scope",)),
    "60121 not found": Final(ADMINS, lambda: oapi_fail(60121, "找不到该用户"), NotFound, "60121"),
    "90001 suspended": Final(ADMINS, lambda: oapi_fail(90001, "您的服务器调用钉钉开放平台所有接口的请求都被暂时禁用了"), AccessSuspended, "90001"),
    "40089 bad credentials": Final(
        ADMINS, lambda: oapi_fail(40089, "不合法的corpId或corpSecret"), CredentialsRejected, "40089",
        ("DINGSCAN_APP_SECRET",),
    ),
    "60020 ip not allowed": Final(
        ADMINS, lambda: oapi_fail(60020, "访问ip不在白名单之中"), IpNotWhitelisted, "60020", ("allow-list",)
    ),
    "api IpNotInWhiteList": Final(
        APPS, lambda: api_fail(403, "Forbidden.AccessDenied.IpNotInWhiteList"), IpNotWhitelisted,
        "Forbidden.AccessDenied.IpNotInWhiteList",
    ),
    "oapi punish deny": Final(ADMINS, _punish, IpBanned, "punish", ("5 minutes",)),
    "api punish deny": Final(APPS, _punish, IpBanned, "punish"),
    "oapi html ban page": Final(ADMINS, _ban_page, IpBanned, "ip-ban"),
    "api html ban page": Final(APPS, _ban_page, IpBanned, "ip-ban"),
    "oapi malformed json": Final(
        ADMINS, lambda: httpx.Response(200, text='{"errcode":0,"result":['), MalformedResponse, "malformed", ("not JSON",)
    ),
    "api malformed json": Final(APPS, lambda: httpx.Response(200, text='{"appList":'), MalformedResponse, "malformed"),
    "oapi json array": Final(ADMINS, lambda: httpx.Response(200, json=[1, 2]), MalformedResponse, "malformed", ("JSON list",)),
    "api json array": Final(APPS, lambda: httpx.Response(200, json=[]), MalformedResponse, "malformed"),
    "oapi empty body": Final(ADMINS, lambda: httpx.Response(200), MalformedResponse, "malformed", ("empty body",)),
    "api empty body": Final(APPS, lambda: httpx.Response(200), MalformedResponse, "malformed", ("empty body",)),
    "api corpNotOpenHrm": Final(
        LEAVERS, lambda: api_fail(400, "corpNotOpenHrm", "企业未开通智能人事"), NotEnabled, "corpNotOpenHrm",
        ("not available on this tenant",),
    ),
}  # fmt: skip


def route_for(router: respx.MockRouter, endpoint: Endpoint) -> respx.Route:
    return router.route(method=endpoint.method, url=url_of(endpoint))


@pytest.mark.parametrize("case", FINAL.values(), ids=FINAL.keys())
async def test_final_answer_is_one_request_and_a_typed_error(
    case: Final, dingtalk: respx.MockRouter, client: DingTalkClient, sleep: FakeSleep
) -> None:
    route = route_for(dingtalk, case.endpoint).mock(side_effect=lambda request: case.answer())

    with pytest.raises(case.error) as raised:
        await client.call(case.endpoint)

    assert route.call_count == 1
    assert sleep.delays == []
    assert client.stats.retries == 0
    error = raised.value
    assert error.code == case.code
    assert error.endpoint is case.endpoint
    assert str(error) == error.reason
    for words in case.reason_has:
        assert words in error.reason


async def test_permission_error_names_the_missing_permission_point_and_the_endpoint(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route_for(dingtalk, ep.USER_LIST).mock(
        return_value=oapi_fail(88, "ding talk error", sub_code="60011", sub_msg="没有调用该接口的权限")
    )

    with pytest.raises(PermissionDenied) as raised:
        await client.call(ep.USER_LIST, body={"dept_id": 1})

    assert raised.value.reason == (
        "app lacks permission qyapi_get_department_member for /topapi/v2/user/list (error 60011)"
    )
    assert raised.value.request_id == "15s9in2w1yat9"


async def test_new_host_error_keeps_the_request_id(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route_for(dingtalk, ep.ALL_APPS).mock(
        return_value=api_fail(403, "Forbidden.AccessDenied.AccessTokenPermissionDenied")
    )

    with pytest.raises(PermissionDenied) as raised:
        await client.call(ep.ALL_APPS)

    assert raised.value.request_id == "30EE8654-1111"


async def test_non_fatal_error_does_not_stop_other_calls(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route_for(dingtalk, ep.ADMIN_LIST).mock(return_value=oapi_fail(60011, "没有调用该接口的权限"))
    route_for(dingtalk, ep.ALL_APPS).mock(return_value=api_ok(appList=[]))

    with pytest.raises(PermissionDenied):
        await client.call(ep.ADMIN_LIST)

    assert await client.call(ep.ALL_APPS) == {"appList": []}


# --- the monthly quota ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exhausting", "answer", "next_counted"),
    [
        (ep.AUTH_SCOPES, lambda: oapi_fail(90020, "调用次数超限"), ep.ALL_APPS),
        (ep.ALL_APPS, lambda: api_fail(403, "Forbidden.AccessDenied.ApiCountLimitForOrg"), ep.AUTH_SCOPES),
    ],
    ids=["90020", "ApiCountLimitForOrg"],
)
async def test_exhausted_quota_fails_later_counted_calls_without_a_request(
    exhausting: Endpoint,
    answer: Answer,
    next_counted: Endpoint,
    dingtalk: respx.MockRouter,
    client: DingTalkClient,
) -> None:
    route_for(dingtalk, exhausting).mock(side_effect=lambda request: answer())
    counted = route_for(dingtalk, next_counted).mock(side_effect=lambda request: ok_for(next_counted))
    uncounted = route_for(dingtalk, ep.USER_LIST).mock(
        return_value=oapi_ok(result={"list": [], "has_more": False})
    )
    assert next_counted.counted and not ep.USER_LIST.counted

    with pytest.raises(QuotaExhausted):
        await client.call(exhausting)
    with pytest.raises(QuotaExhausted) as raised:
        await client.call(next_counted)
    await client.call(ep.USER_LIST, body={"dept_id": 1})

    assert not counted.called
    assert uncounted.call_count == 1
    assert raised.value.endpoint is next_counted
    assert f"{next_counted.path} was not called" in raised.value.reason


async def test_the_call_that_received_90020_is_not_said_to_be_uncalled(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route_for(dingtalk, ep.AUTH_SCOPES).mock(return_value=oapi_fail(90020, "调用次数超限"))

    with pytest.raises(QuotaExhausted) as raised:
        await client.call(ep.AUTH_SCOPES)

    assert "was not called" not in raised.value.reason
    assert raised.value.reason.startswith("/auth/scopes was refused: ")


# --- fatal answers: the scan stops ------------------------------------------------------------

FATAL = {key: case for key, case in FINAL.items() if case.error.fatal}


@pytest.mark.parametrize("case", FATAL.values(), ids=FATAL.keys())
async def test_fatal_answer_makes_every_later_call_fail_fast(
    case: Final, dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route_for(dingtalk, case.endpoint).mock(side_effect=lambda request: case.answer())
    other = ep.ORG_AUTH_INFO
    other_route = route_for(dingtalk, other).mock(return_value=api_ok(orgName="测试"))

    with pytest.raises(case.error):
        await client.call(case.endpoint)
    sent = len(dingtalk.calls)
    with pytest.raises(case.error):
        await client.call(other)
    with pytest.raises(case.error):
        await client.call(case.endpoint)

    assert len(dingtalk.calls) == sent
    assert not other_route.called


async def test_rejected_app_credentials_at_the_token_endpoint_are_fatal(
    dingtalk: respx.MockRouter, token_route: respx.Route, client: DingTalkClient, sleep: FakeSleep
) -> None:
    token_route.side_effect = lambda request: api_fail(
        400, "invalidClientIdOrSecret", "无效的clientId或clientSecret"
    )
    admins = route_for(dingtalk, ep.ADMIN_LIST)

    with pytest.raises(CredentialsRejected) as raised:
        await client.call(ep.ADMIN_LIST)
    with pytest.raises(CredentialsRejected):
        await client.call(ep.ALL_APPS)

    assert token_route.call_count == 1
    assert not admins.called
    assert sleep.delays == []
    assert "DINGSCAN_APP_KEY" in raised.value.reason


# --- lenient parsing --------------------------------------------------------------------------


async def test_errcode_zero_as_a_string_is_success(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route_for(dingtalk, ep.ADMIN_LIST).mock(
        return_value=httpx.Response(200, json={"errcode": "0", "errmsg": "ok", "result": [{"userid": "u1"}]})
    )

    assert (await client.call(ep.ADMIN_LIST))["result"] == [{"userid": "u1"}]


async def test_errcode_as_a_string_is_still_classified(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route_for(dingtalk, ep.ADMIN_LIST).mock(return_value=oapi_fail("60011", "没有调用该接口的权限"))

    with pytest.raises(PermissionDenied):
        await client.call(ep.ADMIN_LIST)


async def test_oapi_answer_without_errcode_is_success(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route_for(dingtalk, ep.ADMIN_SCOPE).mock(return_value=httpx.Response(200, json={"dept_ids": [1]}))

    assert await client.call(ep.ADMIN_SCOPE, body={"userid": "u1"}) == {"dept_ids": [1]}


async def test_unknown_codes_are_plain_errors_and_not_retried(
    dingtalk: respx.MockRouter, client: DingTalkClient, sleep: FakeSleep
) -> None:
    route = route_for(dingtalk, ep.ADMIN_LIST).mock(return_value=oapi_fail(123456, "新的错误"))

    with pytest.raises(DingTalkError) as raised:
        await client.call(ep.ADMIN_LIST)

    assert type(raised.value) is DingTalkError
    assert raised.value.reason == "/topapi/user/listadmin answered error 123456: 新的错误"
    assert route.call_count == 1
    assert sleep.delays == []
