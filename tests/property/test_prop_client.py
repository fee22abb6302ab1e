"""Property: whatever DingTalk (or a proxy in front of it) answers, a call ends in a JSON object or
a typed :class:`DingTalkError` with a one-line reason, never in any other exception."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from prop_strategies import (
    FAST,
    THOROUGH,
    content_types,
    dumps,
    envelope,
    json_values,
    one_line,
    response_bodies,
    statuses,
)
from pydantic import SecretStr

from dingscan.client import DingTalkClient, RetryPolicy
from dingscan.client import endpoints as ep
from dingscan.client.endpoints import Endpoint, Host
from dingscan.client.errors import (
    CredentialsRejected,
    DingTalkError,
    IpBanned,
    IpNotWhitelisted,
    TokenUnavailable,
    api_error,
    is_ip_ban,
    oapi_error,
)

#: No token (TokenUnavailable): nothing can be collected, so the scan stops naming the host.
FATAL = (CredentialsRejected, IpNotWhitelisted, IpBanned, TokenUnavailable)
TOKEN_PATH = ep.ACCESS_TOKEN.path
ENDPOINTS = [ep.AUTH_SCOPES, ep.USER_LIST, ep.ORG_AUTH_INFO, ep.LEAVE_RECORDS, ep.EXTERNAL_AUDIT_GROUPS]
Handler = Callable[[httpx.Request], httpx.Response]


async def _no_sleep(seconds: float) -> None:
    return None


def _token_answer() -> httpx.Response:
    return httpx.Response(200, json={"accessToken": "prop-token-0123456789", "expireIn": 7200})


def _call(endpoint: Endpoint, answer: Handler, token: Handler = lambda _: _token_answer()) -> Any:
    """The JSON answer of one call, or the exception it raised (returned, not raised)."""

    def handler(request: httpx.Request) -> httpx.Response:
        return token(request) if request.url.path == TOKEN_PATH else answer(request)

    async def run() -> Any:
        client = DingTalkClient(
            "prop-app-key",
            SecretStr("prop-app-secret-0123456789"),
            calls_per_second=None,
            retry=RetryPolicy(attempts=1),
            transport=httpx.MockTransport(handler),
            sleep=_no_sleep,
        )
        try:
            return await client.call(endpoint)
        except Exception as exc:
            return exc
        finally:
            await client.aclose()

    return asyncio.run(run())


def _response(status: int, content: bytes, content_type: str | None) -> httpx.Response:
    headers = {"content-type": content_type} if content_type else {}
    return httpx.Response(status, content=content, headers=headers)


def _errcode_is_zero(body: dict[str, Any]) -> bool:
    return str(body.get("errcode", "0")).strip() == "0"


def _assert_classified(outcome: Any) -> None:
    if isinstance(outcome, BaseException):
        assert isinstance(outcome, DingTalkError), f"{type(outcome).__name__}: {outcome}"
        assert one_line(outcome.reason), repr(outcome.reason)
        assert outcome.fatal == isinstance(outcome, FATAL)
    else:
        assert isinstance(outcome, dict)


@THOROUGH
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    status=statuses,
    content=response_bodies,
    content_type=content_types,
)
@example(endpoint=ep.AUTH_SCOPES, status=200, content=b'{"errcode": "0"}', content_type=None)
@example(endpoint=ep.AUTH_SCOPES, status=200, content=b'{"errcode": 0.0}', content_type=None)
@example(endpoint=ep.ORG_AUTH_INFO, status=403, content=b"<html>deny</html>", content_type=None)
@example(endpoint=ep.ORG_AUTH_INFO, status=502, content=b"\xff\xfe\xfd", content_type=None)
@example(endpoint=ep.USER_LIST, status=200, content=b'{"punish": "deny"}', content_type=None)
@example(endpoint=ep.USER_LIST, status=200, content=b'{"errcode": 1, "errmsg": NaN}', content_type=None)
def test_any_answer_ends_in_json_or_a_typed_error(
    endpoint: Endpoint, status: int, content: bytes, content_type: str | None
) -> None:
    outcome = _call(endpoint, lambda _: _response(status, content, content_type))

    _assert_classified(outcome)
    try:
        parsed = json.loads(content) if content else None
    except (ValueError, RecursionError):
        parsed = None
    ok = isinstance(parsed, dict) and status < 400 and not is_ip_ban(parsed)
    if endpoint.host is Host.OAPI:
        ok = ok and _errcode_is_zero(parsed)  # type: ignore[arg-type]
    if ok:  # compared as text: NaN (which Python's json reads) is not equal to itself
        assert json.dumps(outcome, sort_keys=True) == json.dumps(parsed, sort_keys=True)
    else:
        assert isinstance(outcome, DingTalkError)


@THOROUGH
@given(body=envelope(), endpoint=st.none() | st.sampled_from(ENDPOINTS))
def test_oapi_error_is_none_exactly_when_errcode_is_zero(body: dict[str, Any], endpoint: Endpoint) -> None:
    error = oapi_error(body, endpoint)

    if _errcode_is_zero(body):
        assert error is None
    else:
        assert isinstance(error, DingTalkError)
        assert one_line(error.reason)
        assert error.fatal == isinstance(error, FATAL)


@THOROUGH
@given(
    status=statuses,
    body=st.none() | envelope(),
    endpoint=st.none() | st.sampled_from(ENDPOINTS),
    request_id=st.none() | st.text(max_size=8),
)
def test_api_error_always_builds_a_typed_error(
    status: int, body: dict[str, Any] | None, endpoint: Endpoint | None, request_id: str | None
) -> None:
    error = api_error(status, body, endpoint, request_id)

    assert isinstance(error, DingTalkError)
    assert one_line(error.reason)
    assert error.fatal == isinstance(error, FATAL)


@FAST
@given(body=json_values())
def test_is_ip_ban_only_for_a_punish_deny_object(body: Any) -> None:
    assert is_ip_ban(body) == (isinstance(body, dict) and body.get("punish") == "deny")


def _all_subclasses(cls: type[DingTalkError]) -> set[type[DingTalkError]]:
    return {cls}.union(*(_all_subclasses(sub) for sub in cls.__subclasses__()))


def test_only_credentials_ip_allow_list_ip_ban_and_no_token_are_fatal() -> None:
    fatal = {cls for cls in _all_subclasses(DingTalkError) if cls.fatal}
    assert fatal == set(FATAL)


# --- the token answer is untrusted too ------------------------------------------------------------

#: accessToken of any JSON type; as text, printable ASCII (other text: a test below).
token_values = st.one_of(
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=12),
    json_values(max_leaves=2).filter(lambda v: not isinstance(v, str)),
)
#: expireIn of any JSON type, but within float range (an integer beyond it: a test below).
expire_values = st.one_of(
    st.integers(min_value=-(10**300), max_value=10**300),
    json_values(max_leaves=2).filter(lambda v: not (isinstance(v, int) and abs(v) > 10**300)),
    st.sampled_from(["7200", "abc", "1e3", "nan", "inf", ""]),
)


@FAST
@given(
    status=statuses,
    fields=st.fixed_dictionaries({}, optional={"accessToken": token_values, "expireIn": expire_values}),
    endpoint=st.sampled_from(ENDPOINTS),
)
def test_any_token_answer_ends_in_json_or_a_typed_error(
    status: int, fields: dict[str, Any], endpoint: Endpoint
) -> None:
    outcome = _call(
        endpoint,
        lambda _: httpx.Response(200, json={"errcode": 0, "ok": True}),
        token=lambda _: httpx.Response(status, content=dumps(fields)),
    )

    _assert_classified(outcome)


# --- regressions: the minimal examples with which these properties found bugs (fixed) -------------


@pytest.mark.parametrize(
    ("endpoint", "status", "body"),
    [
        pytest.param(ep.AUTH_SCOPES, 200, {"errcode": 12345, "errmsg": "a\nb"}, id="oapi"),
        pytest.param(ep.ORG_AUTH_INFO, 400, {"code": "invalidParameter.x", "message": "a\r\nb"}, id="api"),
    ],
)
def test_line_break_in_errmsg_still_gives_a_one_line_reason(
    endpoint: Endpoint, status: int, body: dict[str, Any]
) -> None:
    outcome = _call(endpoint, lambda _: httpx.Response(status, json=body))

    assert isinstance(outcome, DingTalkError)
    assert one_line(outcome.reason), repr(outcome.reason)


def test_deeply_nested_json_body_is_malformed() -> None:
    outcome = _call(ep.AUTH_SCOPES, lambda _: httpx.Response(200, content=b"[" * 100_000))

    _assert_classified(outcome)


def test_huge_integer_expire_in_is_malformed() -> None:
    token = b'{"accessToken": "prop-token-0123456789", "expireIn": 1' + b"0" * 400 + b"}"
    outcome = _call(
        ep.AUTH_SCOPES,
        lambda _: httpx.Response(200, json={"errcode": 0}),
        token=lambda _: httpx.Response(200, content=token),
    )

    _assert_classified(outcome)


def test_non_ascii_access_token_is_malformed() -> None:
    outcome = _call(
        ep.ORG_AUTH_INFO,
        lambda _: httpx.Response(200, json={"orgName": "x"}),
        token=lambda _: httpx.Response(200, json={"accessToken": "tök-0123456789", "expireIn": 7200}),
    )

    _assert_classified(outcome)
