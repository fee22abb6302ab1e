"""The app secret and access tokens stay inside the process: not in reprs, errors or logs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
import structlog
from dingtalk_fakes import (
    APP_KEY,
    APP_SECRET,
    TOKEN,
    TOKEN_2,
    api_fail,
    api_ok,
    oapi_fail,
    oapi_ok,
    token_answer,
    url_of,
)

from dingscan.client import DingTalkClient, Endpoint, Host
from dingscan.client import endpoints as ep
from dingscan.client.auth import IssuedToken
from dingscan.client.errors import DingTalkError
from dingscan.logs import configure_logging
from dingscan.redaction import REDACTED, SECRETS, SecretRegistry

SECRETS_IN_PLAY = (APP_SECRET, TOKEN, TOKEN_2)


@pytest.fixture
def json_logs() -> Iterator[None]:
    """Debug-level JSON logs on stderr for one test; the previous structlog setup comes back after."""
    saved = structlog.get_config()
    configure_logging("debug", "json")
    yield
    structlog.configure(**saved)


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS_IN_PLAY if secret in text]


def views_of(error: DingTalkError) -> list[str]:
    return [str(error), error.reason, repr(error), error.message, str(error.args), str(error.__cause__ or "")]


def test_client_repr_shows_the_app_key_but_not_the_secret(client: DingTalkClient) -> None:
    assert APP_KEY in repr(client)
    assert leaks(repr(client)) == []


def test_issued_token_repr_hides_the_token() -> None:
    issued = IssuedToken(TOKEN, 7200)

    assert TOKEN not in repr(issued)
    assert TOKEN not in str(issued)
    assert "7200" in repr(issued)


async def test_scan_like_sequence_leaks_no_secret_into_logs_or_errors(
    json_logs: None,
    capsys: pytest.CaptureFixture[str],
    dingtalk: respx.MockRouter,
    token_route: respx.Route,
    client: DingTalkClient,
) -> None:
    token_route.side_effect = [token_answer(TOKEN), token_answer(TOKEN_2)]
    dingtalk.post(url_of(ep.ADMIN_LIST)).mock(
        side_effect=[
            oapi_ok(result=[]),
            oapi_fail(-1, "系统繁忙"),
            oapi_fail(90018, "限流"),
            oapi_ok(result=[]),
        ]
    )
    dingtalk.get(url_of(ep.ALL_APPS)).mock(
        side_effect=[api_fail(401, "InvalidAuthentication", "不合法的access_token"), api_ok(appList=[])]
    )
    dingtalk.post(url_of(ep.USER_GET)).mock(side_effect=[httpx.ReadTimeout("timed out"), oapi_ok(result={})])
    dingtalk.post(url_of(ep.ADMIN_SCOPE)).mock(return_value=oapi_fail(60011, "没有调用该接口的权限"))
    dingtalk.get(url_of(ep.LEAVE_RECORDS)).mock(return_value=api_fail(400, "corpNotOpenHrm"))
    dingtalk.get(url_of(ep.AUTH_SCOPES)).mock(return_value=oapi_fail(90020, "调用次数超限"))
    dingtalk.post(url_of(ep.USER_LIST)).mock(return_value=httpx.Response(200, text="<html>deny</html>"))
    errors: list[DingTalkError] = []

    async def call(endpoint: Endpoint, **kwargs: Any) -> None:
        try:
            await client.call(endpoint, **kwargs)
        except DingTalkError as error:
            errors.append(error)

    await call(ep.ADMIN_LIST)  # first token
    await call(ep.ALL_APPS)  # token rejected -> refreshed
    await call(ep.ADMIN_LIST)  # busy, throttled, then fine
    await call(ep.USER_GET, body={"userid": "u1"})  # a timeout, then fine
    await call(ep.ADMIN_SCOPE, body={"userid": "u1"})  # permission missing
    await call(ep.LEAVE_RECORDS)  # feature not enabled
    await call(ep.AUTH_SCOPES)  # quota exhausted
    await call(ep.ALL_APPS)  # ... so this one fails fast
    await call(Endpoint("user/delete", Host.OAPI, "POST", "/topapi/v2/user/delete", "x"))  # blocked
    await call(ep.USER_LIST, body={"dept_id": 1})  # IP banned
    await call(ep.ADMIN_LIST)  # ... so this one fails fast
    captured = capsys.readouterr()

    assert token_route.call_count == 2
    assert len(errors) == 7
    for error in errors:
        for view in views_of(error):
            assert leaks(view) == [], view
    lines = [json.loads(line) for line in captured.err.splitlines() if line.strip()]
    assert {"retrying", "access token rejected, refreshing once"} <= {line["event"] for line in lines}
    assert leaks(captured.err + captured.out) == []
    assert REDACTED not in captured.err  # nothing even had to be scrubbed: no secret was ever logged


async def test_debug_log_has_one_line_per_request_without_secrets(
    json_logs: None,
    capsys: pytest.CaptureFixture[str],
    dingtalk: respx.MockRouter,
    client: DingTalkClient,
) -> None:
    dingtalk.post(url_of(ep.ADMIN_LIST)).mock(side_effect=[oapi_fail(-1, "系统繁忙"), oapi_ok(result=[])])
    await client.call(ep.ADMIN_LIST)

    err = capsys.readouterr().err
    requests = [line for line in map(json.loads, err.splitlines()) if line["event"] == "request"]
    assert [(r["method"], r["path"], r["answer"], r["attempt"]) for r in requests] == [
        ("POST", "/v1.0/oauth2/accessToken", "200 ok", 1),
        ("POST", "/topapi/user/listadmin", "200 -1", 1),
        ("POST", "/topapi/user/listadmin", "200 ok", 2),
    ]
    assert all(isinstance(r["ms"], int) and r["level"] == "debug" for r in requests)
    assert leaks(err) == []


async def test_a_token_logged_by_mistake_is_scrubbed_from_the_output(
    json_logs: None,
    capsys: pytest.CaptureFixture[str],
    dingtalk: respx.MockRouter,
    client: DingTalkClient,
) -> None:
    dingtalk.post(url_of(ep.ADMIN_LIST)).mock(return_value=oapi_ok(result=[]))
    await client.call(ep.ADMIN_LIST)  # fetches, and so registers, TOKEN

    structlog.get_logger("careless").info("debugging", token=TOKEN, secret=APP_SECRET)

    err = capsys.readouterr().err
    assert leaks(err) == []
    assert json.loads(err.splitlines()[-1])["token"] == REDACTED


async def test_client_registers_its_secret_and_every_token_it_is_issued(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    dingtalk.get(url_of(ep.ALL_APPS)).mock(return_value=api_ok(appList=[]))
    await client.call(ep.ALL_APPS)

    assert SECRETS.scrub(f"secret={APP_SECRET} token={TOKEN}") == f"secret={REDACTED} token={REDACTED}"


def test_scrub_blanks_every_registered_value() -> None:
    registry = SecretRegistry()
    registry.register("alpha-secret-1")
    registry.register("beta-token-22")

    assert registry.scrub("a alpha-secret-1 b beta-token-22 c") == f"a {REDACTED} b {REDACTED} c"
    assert registry.scrub("nothing to hide") == "nothing to hide"


def test_scrub_replaces_the_longest_secret_first() -> None:
    registry = SecretRegistry()
    registry.register("token-abc")
    registry.register("token-abc-extended")

    assert registry.scrub("[token-abc-extended]") == f"[{REDACTED}]"


def test_values_too_short_to_be_secrets_are_not_registered() -> None:
    registry = SecretRegistry()
    registry.register("ok")
    registry.register("12345")

    assert registry.scrub("ok 12345") == "ok 12345"
