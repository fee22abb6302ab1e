"""Shared hypothesis strategies and helpers for the property tests (imported as ``prop_strategies``).

Everything here models what arrives from outside the process: DingTalk's JSON (or whatever a
proxy answers instead), and the operator's YAML files.
"""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Every property in this folder: no example database (it would write ``.hypothesis/`` into the
#: project root), no deadline (async tests build an httpx client per example).
FAST = settings(max_examples=150, deadline=None, database=None)
THOROUGH = settings(max_examples=300, deadline=None, database=None)
SLOW_SUITABLE = settings(
    max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

#: What ``str.splitlines`` treats as a line boundary: a "one-line" message contains none of them.
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def one_line(text: str) -> bool:
    return bool(text) and len(text.splitlines()) == 1


# --- JSON ---------------------------------------------------------------------------------------

#: Text without line breaks, for values whose line breaks would only exercise the one-line rule
#: (which the regression examples at the end of test_prop_client.py pin down).
flat_text = st.text(st.characters(codec="utf-8", exclude_characters=LINE_BREAKS), max_size=20)
any_text = st.text(st.characters(codec="utf-8"), max_size=20)

#: Floats JSON can carry (Python's json also reads NaN/Infinity; those are covered separately).
json_floats = st.floats(allow_nan=False, allow_infinity=False)


def json_values(text: st.SearchStrategy[str] = flat_text, max_leaves: int = 8) -> st.SearchStrategy[Any]:
    scalars = st.none() | st.booleans() | st.integers() | json_floats | text
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
        max_leaves=max_leaves,
    )


#: Codes as DingTalk sends them (ints or strings), and anything else.
OAPI_CODES = [
    "0", "-1", "40001", "40014", "42001", "41001", "40089", "60011", "43007", "50002", "50004",
    "60020", "90018", "90002", "90020", "90001", "90003", "90004", "90005", "90006", "40035",
    "400002", "40068", "40069", "40036", "400001", "33012", "60121", "60003", "33011", "88",
    "InvalidAuthentication", "Unauthorized",
]  # fmt: skip
API_CODES = [
    "InvalidAuthentication", "Unauthorized", "invalidClientIdOrSecret",
    "Forbidden.AccessDenied.AccessTokenPermissionDenied", "forbidden.accessDenied.realmControl",
    "permission.denied", "Forbidden.AccessDenied.IpNotInWhiteList",
    "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", "Forbidden.AccessDenied.QpmLimitForAppkeyAndApi",
    "Forbidden.AccessDenied.QpsLimitForApi", "Forbidden.AccessDenied.ApiCountLimitForOrg",
    "corpNotOpenHrm", "exclusive.account.only", "invalidParameter.x", "param.bad", "Missingbody",
]  # fmt: skip


def _code_forms(codes: list[str]) -> st.SearchStrategy[Any]:
    as_given = st.sampled_from(codes)
    numeric = [int(c) for c in codes if re.fullmatch(r"-?\d+", c)]
    as_int = st.sampled_from(numeric) if numeric else st.integers()
    padded = as_given.map(lambda c: f" {c} ")
    return st.one_of(as_given, as_int, padded, json_values(max_leaves=3))


oapi_codes = _code_forms(OAPI_CODES)
api_codes = _code_forms(API_CODES)


_small = json_values(max_leaves=2)
_ENVELOPE_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "errcode": oapi_codes,
    "errmsg": _small,
    "sub_code": oapi_codes,
    "sub_msg": _small,
    "request_id": _small,
    "code": api_codes,
    "message": _small,
    "requestid": _small,
    "punish": st.sampled_from(["deny", "allow"]) | json_values(max_leaves=1),
    "result": json_values(max_leaves=4),
}
_extras = st.dictionaries(flat_text, _small, max_size=2)


@st.composite
def envelope(draw: st.DrawFn) -> dict[str, Any]:
    """A dict shaped like either host's answer, every field of any JSON type, some left out."""
    chosen = draw(st.lists(st.sampled_from(sorted(_ENVELOPE_FIELDS)), unique=True, max_size=6))
    body = {name: draw(_ENVELOPE_FIELDS[name]) for name in chosen}
    body.update(draw(_extras))
    return body


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


#: A response body: JSON (an envelope or anything), HTML, raw bytes (invalid UTF-8 too), nothing.
response_bodies = st.one_of(
    envelope().map(dumps),
    json_values().map(dumps),
    st.binary(max_size=64),
    st.just(b""),
    st.sampled_from(
        [
            b"<html><body>deny</body></html>",
            b"  \n<!DOCTYPE html><title>502</title>",
            "<html>访问被拒绝</html>".encode("gbk"),
            b"\xff\xfe{\x00}\x00",
            b"null",
            b"[]",
            b'"text"',
            b"{",
        ]
    ),
    st.text(max_size=40).map(lambda s: s.encode("utf-8", "surrogatepass")),
)
content_types = st.sampled_from(
    [None, "application/json", "application/json;charset=utf-8", "text/html; charset=utf-8", "text/plain"]
)
statuses = st.integers(min_value=100, max_value=599)
