"""Every fault kind on both hosts, and how faults pick their calls."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest
from emulator_support import Serve
from raw_dingtalk import RawDingTalk, demo_tenant

from dingscan.emulator import Emulator, Fault

USERS = "/topapi/v2/user/list"
USERS_BODY = {"dept_id": 3, "cursor": 0, "size": 10}
APPS = "/v1.0/microApp/allApps"


def _old(dt: RawDingTalk) -> httpx.Response:
    return dt.oapi(USERS, USERS_BODY)


def _new(dt: RawDingTalk) -> httpx.Response:
    return dt.api("GET", APPS)


@pytest.mark.parametrize(
    ("kind", "errcode", "status", "code"),
    [
        ("errcode_-1", -1, 500, "systemError"),
        ("throttle_app", 90018, 403, "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi"),
        ("throttle_global", 90002, 403, "Forbidden.AccessDenied.QpsLimitForApi"),
        ("quota", 90020, 403, "Forbidden.AccessDenied.ApiCountLimitForOrg"),
        ("permission", 88, 403, "Forbidden.AccessDenied.AccessTokenPermissionDenied"),
        ("permission_plain", 60011, 403, "Forbidden.AccessDenied.AccessTokenPermissionDenied"),
        ("token_expired", 42001, 400, "InvalidAuthentication"),
    ],
)
def test_dingtalk_error_faults_answer_in_each_hosts_shape(
    dt: RawDingTalk, kind: Any, errcode: int, status: int, code: str
) -> None:
    assert dt.token  # fetched before every path is faulted
    dt.emu.add_fault(Fault(kind, times=2))
    old = _old(dt)
    assert old.status_code == 200 and old.json()["errcode"] == errcode
    new = _new(dt)
    assert new.status_code == status and new.json()["code"] == code
    assert _old(dt).json()["errcode"] == 0


def test_global_throttle_message_has_the_real_shape(dt: RawDingTalk) -> None:
    dt.emu.add_fault(Fault("throttle_global", path=USERS))
    errmsg = _old(dt).json()["errmsg"]
    assert "所有请求都被暂时禁用了" in errmsg and f"apiPath({USERS})" in errmsg and "处罚将在" in errmsg


def test_permission_fault_wraps_60011_in_88(dt: RawDingTalk) -> None:
    dt.emu.add_fault(Fault("permission", path=USERS))
    body = _old(dt).json()
    assert body["sub_code"] == "60011" and body["sub_msg"] == "没有调用该接口的权限"


@pytest.mark.parametrize("status", [500, 502, 503])
def test_http_error_faults_answer_a_gateway_page(dt: RawDingTalk, status: int) -> None:
    dt.emu.add_fault(Fault(f"http_{status}", times=2))  # type: ignore[arg-type]
    for answer in (_old(dt), _new(dt)):
        assert answer.status_code == status and answer.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("kind", ["reset", "truncated"])
def test_broken_connections_fail_in_the_transport(dt: RawDingTalk, kind: Any) -> None:
    assert dt.token
    dt.emu.add_fault(Fault(kind, times=2))
    for call in (_old, _new):
        with pytest.raises(httpx.TransportError):
            call(dt)
    assert _old(dt).status_code == 200
    statuses = [c.status for c in dt.emu.calls[1:3]]
    assert statuses == ([None, None] if kind == "reset" else [200, 200])


def test_malformed_json_is_200_with_an_unparsable_body(dt: RawDingTalk) -> None:
    dt.emu.add_fault(Fault("malformed_json", path=USERS))
    answer = _old(dt)
    assert answer.status_code == 200
    with pytest.raises(ValueError):
        answer.json()


def test_wrong_shape_breaks_the_documented_structure(dt: RawDingTalk) -> None:
    dt.emu.add_fault(Fault("wrong_shape", times=2))
    old = _old(dt).json()
    assert old["errcode"] == 0 and "result" not in old
    assert _new(dt).json()["appList"] == "unexpected"


def test_ip_bans_are_answered_without_a_dingtalk_envelope(dt: RawDingTalk) -> None:
    dt.emu.add_fault(Fault("ip_ban_html", path=USERS))
    page = _old(dt)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    dt.emu.add_fault(Fault("ip_ban_json", path=APPS))
    ban = _new(dt).json()
    assert ban["status"] == 1111 and ban["punish"] == "deny" and ban["wait"] == 5 and ban["uuid"]


def test_empty_200_has_no_body(dt: RawDingTalk) -> None:
    dt.emu.add_fault(Fault("empty_200", path=APPS))
    answer = _new(dt)
    assert answer.status_code == 200 and answer.content == b""


def test_timeout_holds_the_answer_back_then_answers_normally(dt: RawDingTalk) -> None:
    dt.emu.add_fault(Fault("timeout", path=USERS, times=2, delay=0.3))
    with pytest.raises(httpx.ReadTimeout):
        dt.http.post(
            f"{dt.emu.oapi_url}{USERS}", params={"access_token": dt.token}, json=USERS_BODY, timeout=0.1
        )
    started = time.perf_counter()
    assert _old(dt).json()["errcode"] == 0
    assert time.perf_counter() - started >= 0.3


def test_stop_does_not_wait_for_a_pending_timeout(http: httpx.Client) -> None:
    emulator = Emulator(demo_tenant(), faults=[Fault("timeout", path="/gettoken")]).start()
    outcome: list[object] = []

    def call() -> None:
        try:
            outcome.append(http.get(f"{emulator.oapi_url}/gettoken"))
        except httpx.TransportError as error:
            outcome.append(error)

    caller = threading.Thread(target=call)
    caller.start()
    time.sleep(0.1)
    started = time.perf_counter()
    emulator.stop()
    caller.join()
    assert time.perf_counter() - started < 1
    assert isinstance(outcome[0], httpx.TransportError)


def test_after_skips_calls_and_times_bounds_the_faulted_ones(dt: RawDingTalk) -> None:
    dt.emu.add_fault(Fault("errcode_-1", path=USERS, after=1, times=2))
    assert [_old(dt).json()["errcode"] for _ in range(4)] == [0, -1, -1, 0]


def test_times_none_faults_forever_until_cleared(dt: RawDingTalk) -> None:
    dt.emu.add_fault(Fault("http_503", path="/topapi/v2/*", times=None))
    assert [_old(dt).status_code for _ in range(3)] == [503, 503, 503]
    assert dt.oapi("/topapi/user/listadmin").status_code == 200
    dt.emu.clear_faults()
    assert _old(dt).status_code == 200


def test_token_endpoints_are_faulted_only_when_named(serve: Serve) -> None:
    dt = serve(faults=[Fault("http_503", times=None)])
    assert dt.fetch_token()
    dt.emu.clear_faults()
    dt.emu.add_fault(Fault("http_503", path="/gettoken"))
    assert dt.http.get(f"{dt.emu.oapi_url}/gettoken").status_code == 503


def test_unknown_fault_kinds_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        Fault("http_418")  # type: ignore[arg-type]
