"""Envelopes, routing and call records of the two hosts (dingtalk-api.md §1.1)."""

from __future__ import annotations

import threading
import time

import httpx
from raw_dingtalk import RawDingTalk, demo_tenant

from dingscan.emulator import Emulator


def test_old_host_success_and_error_are_both_http_200_envelopes(dt: RawDingTalk) -> None:
    ok = dt.oapi("/topapi/user/listadmin")
    assert ok.status_code == 200
    body = ok.json()
    assert body["errcode"] == 0 and body["errmsg"] == "ok" and body["request_id"]
    assert isinstance(body["result"], list)
    failed = dt.oapi("/topapi/v2/department/get", {"dept_id": 999})
    assert failed.status_code == 200 and failed.json()["errcode"] == 60003


def test_old_host_accepts_form_bodies(dt: RawDingTalk) -> None:
    answer = dt.http.post(
        f"{dt.emu.oapi_url}/topapi/v2/user/list",
        params={"access_token": dt.token},
        data={"dept_id": "3", "cursor": "0", "size": "2", "contain_access_limit": "true"},
    ).json()
    assert answer["errcode"] == 0 and len(answer["result"]["list"]) == 2


def test_new_host_answers_plain_objects_and_http_errors(dt: RawDingTalk) -> None:
    ok = dt.api(
        "GET", "/v1.0/contact/organizations/authInfos", params={"targetCorpId": dt.emu.tenant.corp_id}
    )
    assert ok.status_code == 200 and "errcode" not in ok.json()
    assert ok.json() == {
        "orgName": "Harbour Fintech Ltd",
        "licenseOrgName": "Harbour Fintech Limited",
        "registrationNum": "71234567",
        "legalPerson": "Chan Tai Man",
        "authLevel": 1,
    }
    assert ok.headers["x-acs-request-id"]
    failed = dt.api("GET", "/v1.0/contact/orgAccounts/status", params={"userId": "nobody"})
    assert failed.status_code == 400
    assert set(failed.json()) == {"code", "requestid", "message"}
    assert failed.json()["requestid"] == failed.headers["x-acs-request-id"]


def test_unknown_paths_follow_each_host(dt: RawDingTalk) -> None:
    old = dt.oapi("/topapi/no/such/api").json()
    assert old["errcode"] == 22 and "sub_msg" in old
    new = dt.api("GET", "/v1.0/no/such/api")
    assert new.status_code == 404 and new.json()["code"] == "InvalidAction.NotFound"


def test_a_path_on_the_wrong_host_is_404(dt: RawDingTalk) -> None:
    assert dt.http.get(f"{dt.emu.oapi_url}/v1.0/microApp/allApps").status_code == 404
    assert dt.api("POST", "/topapi/v2/user/list", json={"dept_id": 1}).status_code == 404
    assert dt.api("GET", "/gettoken").status_code == 404


def test_every_call_is_recorded_with_its_outcome(dt: RawDingTalk) -> None:
    dt.oapi("/topapi/user/listadmin")
    dt.oapi("/topapi/v2/department/get", {"dept_id": 999})
    dt.api("GET", "/v1.0/microApp/allApps")
    calls = [(c.host, c.method, c.path, c.status, c.code) for c in dt.emu.calls]
    assert calls == [
        ("oapi", "GET", "/gettoken", 200, 0),
        ("oapi", "POST", "/topapi/user/listadmin", 200, 0),
        ("oapi", "POST", "/topapi/v2/department/get", 200, 60003),
        ("api", "GET", "/v1.0/microApp/allApps", 200, None),
    ]


def test_ports_are_ephemeral_and_distinct(emu: Emulator) -> None:
    assert emu.oapi_url.startswith("http://127.0.0.1:") and emu.api_url.startswith("http://127.0.0.1:")
    assert emu.oapi_url != emu.api_url
    with Emulator(emu.tenant) as other:
        assert {other.oapi_url, other.api_url}.isdisjoint({emu.oapi_url, emu.api_url})


def test_stopping_is_quick_and_leaves_no_threads(http: httpx.Client) -> None:
    before = set(threading.enumerate())
    emulator = Emulator(demo_tenant()).start()
    http.get(f"{emulator.oapi_url}/gettoken")  # leaves a keep-alive connection open
    started = time.perf_counter()
    emulator.stop()
    assert time.perf_counter() - started < 1
    assert set(threading.enumerate()) <= before
