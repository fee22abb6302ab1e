"""Per-app QPS limits and the monthly call quota (dingtalk-api.md §12.1)."""

from __future__ import annotations

import asyncio
import time

import httpx
from emulator_support import Serve

SCOPES = "/auth/scopes"
USERS = "/topapi/v2/user/list"
USERS_BODY = {"dept_id": 3, "cursor": 0, "size": 10}


def test_calls_over_the_qps_limit_answer_90018(serve: Serve) -> None:
    dt = serve(qps=5)
    codes = [dt.oapi(USERS, USERS_BODY).json()["errcode"] for _ in range(8)]
    assert codes[:5] == [0] * 5 and set(codes[5:]) == {90018}
    # The limit is per path: another API is unaffected.
    assert dt.oapi("/topapi/user/listadmin").json()["errcode"] == 0
    throttled = [dt.api("GET", "/v1.0/microApp/allApps") for _ in range(6)][-1]
    assert throttled.status_code == 403
    assert throttled.json()["code"] == "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi"


def test_the_qps_window_slides(serve: Serve) -> None:
    dt = serve(qps=2)
    assert [dt.oapi(USERS, USERS_BODY).json()["errcode"] for _ in range(3)] == [0, 0, 90018]
    time.sleep(1.05)
    assert dt.oapi(USERS, USERS_BODY).json()["errcode"] == 0


async def test_concurrent_bursts_are_limited_too(serve: Serve) -> None:
    dt = serve(qps=10)
    token = dt.token
    async with httpx.AsyncClient(base_url=dt.emu.oapi_url) as client:
        answers = await asyncio.gather(
            *(client.post(USERS, params={"access_token": token}, json=USERS_BODY) for _ in range(25))
        )
    codes = [answer.json()["errcode"] for answer in answers]
    assert codes.count(0) == 10 and codes.count(90018) == 15


def test_qps_none_disables_the_limit(serve: Serve) -> None:
    dt = serve(qps=None)
    assert {dt.oapi(USERS, USERS_BODY).json()["errcode"] for _ in range(40)} == {0}


def test_throttled_calls_do_not_use_quota(serve: Serve) -> None:
    dt = serve(qps=2)
    codes = [dt.oapi(SCOPES).json()["errcode"] for _ in range(5)]
    assert codes == [0, 0, 90018, 90018, 90018]
    assert dt.emu.counted_calls == 2


def test_only_non_basic_apis_are_counted(serve: Serve) -> None:
    dt = serve()
    dt.oapi(USERS, USERS_BODY)
    dt.oapi("/topapi/user/listadmin")
    dt.oapi("/topapi/role/list", {"offset": 0, "size": 20})
    dt.oapi("/topapi/extcontact/list", {"offset": 0, "size": 20})
    dt.api(
        "GET", "/v1.0/contact/empLeaveRecords", params={"startTime": "2026-06-01T00:00:00Z", "maxResults": 10}
    )
    assert dt.emu.counted_calls == 0
    dt.oapi(SCOPES)
    dt.oapi("/topapi/union/cooperate/joined/list", {"status": 1})
    dt.api("GET", "/v1.0/microApp/allApps")
    assert dt.emu.counted_calls == 3


def test_exhausted_quota_answers_90020_and_403_but_basic_apis_still_work(serve: Serve) -> None:
    dt = serve(monthly_quota=2)
    assert dt.oapi(SCOPES).json()["errcode"] == 0
    assert dt.api("GET", "/v1.0/microApp/allApps").status_code == 200
    assert dt.oapi(SCOPES).json()["errcode"] == 90020
    refused = dt.api("GET", "/v1.0/microApp/allApps")
    assert (
        refused.status_code == 403 and refused.json()["code"] == "Forbidden.AccessDenied.ApiCountLimitForOrg"
    )
    assert dt.oapi(USERS, USERS_BODY).json()["errcode"] == 0
    assert dt.emu.counted_calls == 2
