"""Access tokens on both hosts (dingtalk-api.md §2)."""

from __future__ import annotations

import time

import httpx
from emulator_support import Serve
from raw_dingtalk import RawDingTalk

from dingscan.emulator import Emulator


def test_gettoken_returns_the_same_token_while_it_is_valid(dt: RawDingTalk) -> None:
    first = dt.http.get(
        f"{dt.emu.oapi_url}/gettoken", params={"appkey": dt.emu.app_key, "appsecret": dt.emu.app_secret}
    )
    assert first.status_code == 200
    body = first.json()
    assert body["errcode"] == 0 and body["expires_in"] == 7200
    assert dt.fetch_token() == body["access_token"]


def test_bad_credentials_are_40089_on_oapi_and_invalid_client_on_api(
    emu: Emulator, http: httpx.Client
) -> None:
    old = http.get(f"{emu.oapi_url}/gettoken", params={"appkey": emu.app_key, "appsecret": "wrong"})
    assert old.status_code == 200 and old.json()["errcode"] == 40089
    new = http.post(
        f"{emu.api_url}/v1.0/oauth2/accessToken", json={"appKey": emu.app_key, "appSecret": "wrong"}
    )
    assert new.status_code == 400 and new.json()["code"] == "invalidClientIdOrSecret"


def test_new_token_endpoint_wants_a_json_body(emu: Emulator, http: httpx.Client) -> None:
    credentials = {"appKey": emu.app_key, "appSecret": emu.app_secret}
    form = http.post(f"{emu.api_url}/v1.0/oauth2/accessToken", data=credentials)
    assert form.status_code == 400 and form.json()["code"] == "Missingbody"
    good = http.post(f"{emu.api_url}/v1.0/oauth2/accessToken", json=credentials)
    assert good.status_code == 200 and set(good.json()) == {"accessToken", "expireIn"}


def test_a_token_from_either_host_works_on_both(dt: RawDingTalk) -> None:
    credentials = {"appKey": dt.emu.app_key, "appSecret": dt.emu.app_secret}
    new_token = dt.http.post(f"{dt.emu.api_url}/v1.0/oauth2/accessToken", json=credentials).json()[
        "accessToken"
    ]
    assert dt.oapi("/topapi/user/listadmin", token=new_token).json()["errcode"] == 0
    old_token = dt.fetch_token()
    assert dt.api("GET", "/v1.0/microApp/allApps", token=old_token).status_code == 200


def test_expired_tokens_are_42001_and_invalid_authentication_until_refreshed(dt: RawDingTalk) -> None:
    stale = dt.token
    dt.emu.expire_tokens()
    assert dt.oapi("/topapi/user/listadmin", token=stale).json()["errcode"] == 42001
    answer = dt.api("GET", "/v1.0/microApp/allApps", token=stale)
    assert answer.status_code == 400 and answer.json()["code"] == "InvalidAuthentication"
    fresh = dt.fetch_token()
    assert fresh != stale
    assert dt.oapi("/topapi/user/listadmin", token=fresh).json()["errcode"] == 0


def test_tokens_expire_after_their_ttl(serve: Serve) -> None:
    dt = serve(token_ttl=0.2)
    token = dt.token
    time.sleep(0.3)
    assert dt.oapi("/topapi/user/listadmin", token=token).json()["errcode"] == 42001


def test_missing_and_unknown_tokens(emu: Emulator, http: httpx.Client) -> None:
    missing = http.post(f"{emu.oapi_url}/topapi/user/listadmin", json={})
    assert missing.json()["errcode"] == 41001
    unknown = http.post(f"{emu.oapi_url}/topapi/user/listadmin", params={"access_token": "nope"}, json={})
    assert unknown.json()["errcode"] == 40014
    no_header = http.get(f"{emu.api_url}/v1.0/microApp/allApps")
    assert no_header.status_code == 400 and no_header.json()["code"] == "InvalidAuthentication"
