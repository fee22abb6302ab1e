"""What is retried, how often, and how long the client waits in between."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest
import respx
from dingtalk_fakes import FakeSleep, MakeClient, api_fail, oapi_fail, ok_for, token_answer, url_of

from dingscan.client import DingTalkClient, Endpoint, RetryPolicy
from dingscan.client import endpoints as ep
from dingscan.client.errors import DingTalkError, NetworkError, RateLimited, ServerBusy

Failure = Callable[[], httpx.Response | Exception]


@dataclass(frozen=True)
class Transient:
    """A failure worth retrying, where it happens, and the error it becomes if it persists."""

    endpoint: Endpoint
    fail: Failure
    error: type[DingTalkError]


def _html_502() -> httpx.Response:
    return httpx.Response(
        502, text="<html><body><h1>502 Bad Gateway</h1></body></html>", headers={"content-type": "text/html"}
    )


OAPI_CALL, API_CALL = ep.ADMIN_LIST, ep.ALL_APPS  # one endpoint on each host
NETWORK_FAILURES: dict[type[httpx.TransportError], str] = {
    httpx.ReadTimeout: "timed out",
    httpx.ConnectError: "[Errno 111] Connection refused",
    httpx.RemoteProtocolError: "peer closed connection without sending complete message body",  # truncated
}
TRANSIENT = {
    "oapi -1 busy": Transient(OAPI_CALL, lambda: oapi_fail(-1, "系统繁忙"), ServerBusy),
    "oapi 90018 app qps": Transient(OAPI_CALL, lambda: oapi_fail(90018, "调用频率超限"), RateLimited),
    # errcode 88 with the throttle only inside errmsg (no sub_code field): the shape the DingTalk
    # error-code page (服务端错误码, errcode 88 鉴权异常) shows, with subcode=90018 written into the text.
    "oapi 88 subcode 90018 in errmsg": Transient(
        OAPI_CALL, lambda: oapi_fail(88, "ding talk error[subcode=90018,submsg=调用频率超限]"), RateLimited
    ),
    "oapi 90002 global qps": Transient(
        OAPI_CALL, lambda: oapi_fail(90002, "当前接口的所有请求都被暂时禁用了"), RateLimited
    ),
    "api 403 QpsLimitForAppkeyAndApi": Transient(
        API_CALL, lambda: api_fail(403, "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi"), RateLimited
    ),
    "api 403 QpmLimitForAppkeyAndApi": Transient(
        API_CALL, lambda: api_fail(403, "Forbidden.AccessDenied.QpmLimitForAppkeyAndApi"), RateLimited
    ),
    "api 403 QpsLimitForApi": Transient(
        API_CALL, lambda: api_fail(403, "Forbidden.AccessDenied.QpsLimitForApi"), RateLimited
    ),
    **{
        f"oapi {status} json": Transient(
            OAPI_CALL,
            lambda status=status: httpx.Response(status, json={"errcode": -1, "errmsg": "系统繁忙"}),
            ServerBusy,
        )
        for status in (500, 502, 503)
    },
    **{
        f"api {status} json": Transient(
            API_CALL, lambda status=status: api_fail(status, "systemError"), ServerBusy
        )
        for status in (500, 502, 503)
    },
    **{
        f"{host} {status} text": Transient(
            endpoint, lambda status=status: httpx.Response(status, text="Service Unavailable"), ServerBusy
        )
        for host, endpoint in (("oapi", OAPI_CALL), ("api", API_CALL))
        for status in (500, 502, 503)
    },
    "oapi 502 html page": Transient(OAPI_CALL, _html_502, ServerBusy),  # a gateway error page, not an IP ban
    "api 502 html page": Transient(API_CALL, _html_502, ServerBusy),
    **{
        f"{host} {exc.__name__}": Transient(endpoint, lambda exc=exc, text=text: exc(text), NetworkError)
        for host, endpoint in (("oapi", OAPI_CALL), ("api", API_CALL))
        for exc, text in NETWORK_FAILURES.items()
    },
}


def _serve(*answers: Failure) -> Callable[[httpx.Request], httpx.Response]:
    """A side effect that plays ``answers`` in order and repeats the last one for ever."""
    queue = list(answers)

    def effect(request: httpx.Request) -> httpx.Response:
        answer = (queue.pop(0) if len(queue) > 1 else queue[0])()
        if isinstance(answer, Exception):
            raise answer
        return answer

    return effect


@pytest.mark.parametrize("case", TRANSIENT.values(), ids=TRANSIENT.keys())
async def test_transient_failure_is_retried_then_succeeds(
    case: Transient, dingtalk: respx.MockRouter, make_client: MakeClient, sleep: FakeSleep
) -> None:
    client = make_client(retry=RetryPolicy(attempts=4))
    route = dingtalk.route(method=case.endpoint.method, url=url_of(case.endpoint)).mock(
        side_effect=_serve(case.fail, case.fail, lambda: ok_for(case.endpoint))
    )

    answer = await client.call(case.endpoint)

    assert answer == ok_for(case.endpoint).json()
    assert route.call_count == 3
    assert len(sleep.delays) == 2
    assert all(delay > 0 for delay in sleep.delays)
    assert client.stats.retries == 2


@pytest.mark.parametrize("case", TRANSIENT.values(), ids=TRANSIENT.keys())
async def test_retries_are_bounded_then_the_typed_error_is_raised(
    case: Transient, dingtalk: respx.MockRouter, make_client: MakeClient, sleep: FakeSleep
) -> None:
    client = make_client(retry=RetryPolicy(attempts=3))
    route = dingtalk.route(method=case.endpoint.method, url=url_of(case.endpoint)).mock(
        side_effect=_serve(case.fail)
    )

    with pytest.raises(case.error):
        await client.call(case.endpoint)

    assert route.call_count == 3
    assert len(sleep.delays) == 2


@pytest.mark.parametrize(
    ("endpoint", "fail"),
    [
        (OAPI_CALL, lambda: oapi_fail(90018, "调用频率超限")),
        (API_CALL, lambda: api_fail(403, "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi")),
    ],
    ids=["90018", "QpsLimitForAppkeyAndApi"],
)
async def test_app_throttling_waits_at_least_a_second_each_time(
    endpoint: Endpoint, fail: Failure, dingtalk: respx.MockRouter, make_client: MakeClient, sleep: FakeSleep
) -> None:
    # Even with a tiny base wait, DingTalk's advice (wait >= 1 s) wins.
    client = make_client(retry=RetryPolicy(attempts=5, base_wait=0.01))
    dingtalk.route(method=endpoint.method, url=url_of(endpoint)).mock(side_effect=_serve(fail))

    with pytest.raises(RateLimited) as raised:
        await client.call(endpoint)

    assert not raised.value.global_limit
    assert len(sleep.delays) == 4
    assert all(1.0 <= delay <= 1.5 for delay in sleep.delays), sleep.delays


@pytest.mark.parametrize(
    ("endpoint", "fail"),
    [
        (OAPI_CALL, lambda: oapi_fail(90002, "当前接口的所有请求都被暂时禁用了")),
        (API_CALL, lambda: api_fail(403, "Forbidden.AccessDenied.QpsLimitForApi")),
    ],
    ids=["90002", "QpsLimitForApi"],
)
async def test_global_throttling_backs_off_exponentially_from_one_second(
    endpoint: Endpoint, fail: Failure, dingtalk: respx.MockRouter, make_client: MakeClient, sleep: FakeSleep
) -> None:
    client = make_client(retry=RetryPolicy(attempts=5, base_wait=0.01))
    dingtalk.route(method=endpoint.method, url=url_of(endpoint)).mock(side_effect=_serve(fail))

    with pytest.raises(RateLimited) as raised:
        await client.call(endpoint)

    assert raised.value.global_limit
    assert len(sleep.delays) == 4
    for attempt, delay in enumerate(sleep.delays):  # 1, 2, 4, 8 s plus up to 50% jitter
        assert 2**attempt <= delay <= 1.5 * 2**attempt, sleep.delays


async def test_server_errors_back_off_exponentially_from_the_base_wait(
    dingtalk: respx.MockRouter, make_client: MakeClient, sleep: FakeSleep
) -> None:
    client = make_client(retry=RetryPolicy(attempts=4, base_wait=0.5))
    dingtalk.post(url_of(OAPI_CALL)).mock(side_effect=_serve(lambda: oapi_fail(-1, "系统繁忙")))

    with pytest.raises(ServerBusy):
        await client.call(OAPI_CALL)

    for attempt, delay in enumerate(sleep.delays):  # 0.5, 1, 2 s plus up to 50% jitter
        base = 0.5 * 2**attempt
        assert base <= delay <= 1.5 * base, sleep.delays


async def test_back_off_is_capped_at_max_wait(
    dingtalk: respx.MockRouter, make_client: MakeClient, sleep: FakeSleep
) -> None:
    client = make_client(retry=RetryPolicy(attempts=8, base_wait=1.0, max_wait=3.0))
    dingtalk.post(url_of(OAPI_CALL)).mock(side_effect=_serve(lambda: oapi_fail(90002, "throttled")))

    with pytest.raises(RateLimited):
        await client.call(OAPI_CALL)

    assert len(sleep.delays) == 7
    assert max(sleep.delays) <= 3.0 * 1.5
    assert min(sleep.delays[2:]) >= 3.0  # from the third wait on, the cap is the base


async def test_single_attempt_policy_never_retries(
    dingtalk: respx.MockRouter, make_client: MakeClient, sleep: FakeSleep
) -> None:
    client = make_client(retry=RetryPolicy(attempts=1))
    route = dingtalk.post(url_of(OAPI_CALL)).mock(side_effect=_serve(lambda: oapi_fail(-1, "系统繁忙")))

    with pytest.raises(ServerBusy):
        await client.call(OAPI_CALL)

    assert route.call_count == 1
    assert sleep.delays == []


async def test_transient_token_endpoint_failure_is_retried(
    dingtalk: respx.MockRouter, token_route: respx.Route, client: DingTalkClient, sleep: FakeSleep
) -> None:
    token_route.side_effect = [api_fail(503, "systemError"), token_answer()]
    dingtalk.post(url_of(OAPI_CALL)).mock(side_effect=_serve(lambda: ok_for(OAPI_CALL)))

    assert await client.call(OAPI_CALL) == ok_for(OAPI_CALL).json()

    assert token_route.call_count == 2
    assert len(sleep.delays) == 1


async def test_throttled_calls_are_not_counted_against_the_monthly_quota(
    dingtalk: respx.MockRouter, make_client: MakeClient
) -> None:
    client = make_client()
    dingtalk.get(url_of(ep.ALL_APPS)).mock(
        side_effect=_serve(
            lambda: api_fail(403, "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi"),
            lambda: ok_for(ep.ALL_APPS),
        )
    )

    await client.call(ep.ALL_APPS)

    assert client.stats.sent == 3  # the token, the throttled call, the successful call
    assert client.stats.counted == 1
    assert client.stats.by_endpoint[ep.ALL_APPS.name] == 2
