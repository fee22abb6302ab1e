"""Properties of recording: no secret survives into a bundle, and replay keys are stable.

Secrets are registered in a fresh :class:`SecretRegistry` patched into the exchange module, so the
process-wide registry is left alone and each example sees exactly its own secrets.
"""

from __future__ import annotations

import base64
import json
import random
import string
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock
from urllib.parse import unquote, unquote_plus

import httpx
import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st
from prop_strategies import FAST, THOROUGH

from dingscan.client import endpoints as ep
from dingscan.client.endpoints import CATALOGUE, Endpoint, Host
from dingscan.client.hosts import HostMap
from dingscan.client.transport import route
from dingscan.evidence import exchange
from dingscan.evidence.exchange import RecordedRequest, normalise_request, record_response
from dingscan.redaction import REDACTED, SecretRegistry

#: Secrets: at least 6 characters (shorter ones are not registered, by design), any letters, and
#: no JSON escapes (``"``, ``\\``, control characters) so a JSON body carries them verbatim. No
#: ``*`` either: the placeholder is ``***``, and a "secret" containing it can be spelt by placeholders
#: side by side (``******``) without anything having leaked.
secret_chars = st.characters(
    codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"], exclude_characters='"\\*'
)
secrets = st.text(secret_chars, min_size=6, max_size=16)
#: Access tokens travel in a header, so they are ASCII (DingTalk's are hex).
tokens = st.text(string.ascii_letters + string.digits + "-_.", min_size=6, max_size=20)
filler = st.text(st.characters(codec="utf-8", exclude_characters="*"), max_size=10)


@contextmanager
def registry_with(*values: str) -> Iterator[SecretRegistry]:
    fresh = SecretRegistry()
    for value in values:
        fresh.register(value)
    with mock.patch.object(exchange, "SECRETS", fresh):
        yield fresh


@st.composite
def text_with(draw: st.DrawFn, values: list[str]) -> str:
    """Text mixing filler, whole secrets and pieces of them (so that occurrences overlap)."""
    piece = st.one_of(
        filler,
        st.sampled_from(values),
        st.sampled_from(values).flatmap(lambda s: st.integers(1, len(s) - 1).map(lambda i: s[:i])),
        st.sampled_from(values).flatmap(lambda s: st.integers(1, len(s) - 1).map(lambda i: s[i:])),
    )
    return "".join(draw(st.lists(piece, max_size=8)))


# --- SecretRegistry.scrub ---------------------------------------------------------------------------


@THOROUGH
@given(data=st.data(), values=st.lists(secrets, min_size=1, max_size=4))
@example(data=None, values=["abcdefgh", "efghijkl"])  # overlapping secrets
@example(data=None, values=["aaaaaa", "aaaaaaa"])  # one inside another
def test_scrub_removes_every_registered_secret(data: st.DataObject | None, values: list[str]) -> None:
    text = data.draw(text_with(values)) if data else "xx".join(values) + "abcdefghijkl" + "a" * 20
    registry = SecretRegistry()
    for value in values:
        registry.register(value)

    scrubbed = registry.scrub(text)

    for value in values:
        assert value not in scrubbed
    if not any(value in text for value in values):
        assert scrubbed == text
    event("a secret was present" if scrubbed != text else "nothing to scrub")


@st.composite
def any_percent_encoding(draw: st.DrawFn, secret: str) -> str:
    """``secret`` spelt the way some server might echo it: each character as it is, or each of its
    UTF-8 bytes as ``%XX`` in upper or lower case hex, a space perhaps as ``+``."""
    spelt = []
    for char in secret:
        how = draw(st.sampled_from(["plain", "upper", "lower", "plus"]))
        if how == "plain" or (how == "plus" and char != " "):
            spelt.append(char)
        elif how == "plus":
            spelt.append("+")
        else:
            hex_form = "".join(f"%{byte:02X}" for byte in char.encode())
            spelt.append(hex_form if how == "upper" else hex_form.lower())
    return "".join(spelt)


@pytest.mark.hostile
@THOROUGH
@given(data=st.data(), secret=secrets, before=filler, after=filler)
@example(data=None, secret="s3cr/t key", before="x=", after="&y")
def test_a_secret_echoed_in_any_percent_encoding_is_scrubbed(
    data: st.DataObject | None, secret: str, before: str, after: str
) -> None:
    echoed = data.draw(any_percent_encoding(secret)) if data else "s3cr%2ft+key"
    registry = SecretRegistry()
    registry.register(secret)

    scrubbed = registry.scrub(f"{before.replace('%', '')}{echoed}{after.replace('%', '')}")

    assert secret not in unquote_plus(scrubbed) and secret not in unquote(scrubbed), scrubbed


@FAST
@given(short=st.text(max_size=5), text=st.text(max_size=20))
def test_values_shorter_than_six_are_not_registered(short: str, text: str) -> None:
    registry = SecretRegistry()
    registry.register(short)

    assert registry.scrub(text + short) == text + short


# --- record_response ----------------------------------------------------------------------------------

API = "https://api.dingtalk.com"
OAPI = "https://oapi.dingtalk.com"


def recorded_request(endpoint: Endpoint) -> RecordedRequest:
    return RecordedRequest(host=endpoint.host, method=endpoint.method, path=endpoint.path, query={})


def stored(recorded: exchange.RecordedResponse) -> str:
    """The body a bundle would hold for the response, as text (base64 decoded: it hides nothing)."""
    raw = base64.b64decode(recorded.base64) if recorded.base64 is not None else b""
    return (recorded.text or "") + "\n" + raw.decode("utf-8", "replace")


@THOROUGH
@given(
    data=st.data(),
    values=st.lists(secrets, min_size=1, max_size=3),
    endpoint=st.sampled_from([ep.USER_LIST, ep.ORG_AUTH_INFO, ep.ACCESS_TOKEN]),
    status=st.sampled_from([200, 400, 403, 500]),
    as_json=st.booleans(),
)
def test_a_recorded_response_never_holds_a_registered_secret(
    data: st.DataObject, values: list[str], endpoint: Endpoint, status: int, as_json: bool
) -> None:
    text = data.draw(text_with(values))
    if as_json:
        body = {"errcode": 0, "errmsg": text, "result": {"list": [text, {"nested": text}]}}
        content = json.dumps(body, ensure_ascii=False).encode("utf-8")
    else:
        content = text.encode("utf-8")

    with registry_with(*values):
        recorded = record_response(recorded_request(endpoint), httpx.Response(status), content)

    for value in values:
        assert value not in stored(recorded)


@pytest.mark.hostile
@pytest.mark.parametrize("body", ["Infinity", "-Infinity", "[Infinity, NaN]", '{"a": Infinity}', "123456"])
def test_a_secret_spelt_as_a_json_literal_or_number_is_scrubbed(body: str) -> None:
    """``json.loads`` reads ``Infinity`` as a float, so scrubbing only the strings left it whole."""
    secret = "Infinity" if "Infinity" in body else "123456"
    with registry_with(secret):
        recorded = record_response(recorded_request(ep.USER_LIST), httpx.Response(200), body.encode())

    assert secret not in stored(recorded)


@FAST
@given(token=st.text(min_size=1, max_size=40), expire=st.integers(), registered=st.booleans())
def test_a_recorded_token_answer_never_holds_the_token(token: str, expire: int, registered: bool) -> None:
    """``accessToken`` is replaced whether or not the token is registered yet (the client registers
    it only after the transport, and so the recorder, has handed the answer back)."""
    content = json.dumps({"accessToken": token, "expireIn": expire}, ensure_ascii=False).encode("utf-8")

    with registry_with(*([token] if registered else [])):
        recorded = record_response(recorded_request(ep.ACCESS_TOKEN), httpx.Response(200), content)

    assert json.loads(recorded.content())["accessToken"] == REDACTED
    assert recorded.text is not None and f'"{token}"' not in recorded.text


# --- normalise_request --------------------------------------------------------------------------------


def token_request(app_key: str, app_secret: str) -> httpx.Request:
    return httpx.Request(
        "POST", API + ep.ACCESS_TOKEN.path, json={"appKey": app_key, "appSecret": app_secret}
    )


def leaves(value: Any) -> Iterator[str]:
    """Every value a stored request holds, as text, to search for secrets in (the keys are the
    request's own field names, which a short random "secret" may well spell)."""
    if isinstance(value, dict):
        for v in value.values():
            yield from leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from leaves(v)
    elif value is not None:
        yield str(value)


def holds(recorded: RecordedRequest, secret: str) -> bool:
    """Whether the query or body holds ``secret``: the host, method and path come from the
    catalogue, and a random "secret" may well spell part of them (``auth/s``)."""
    return any(secret in text for text in leaves([recorded.query, recorded.body]))


def normalised(request: httpx.Request, hosts: HostMap | None = None) -> RecordedRequest:
    routed = route(hosts or HostMap(), request)
    assert routed is not None, request.url
    endpoint, path = routed
    return normalise_request(endpoint.host, path, request)


@pytest.mark.hostile
@THOROUGH
@given(app_key=secrets, app_secret=secrets, token=tokens, registered=st.booleans())
@example(app_key="000000", app_secret="auth/s", token="000000", registered=False)  # spells the path
@example(app_key="Infinity", app_secret="Infinity", token="NaNNaN", registered=True)
def test_a_recorded_request_never_holds_the_app_secret_or_the_token(
    app_key: str, app_secret: str, token: str, registered: bool
) -> None:
    requests = [
        token_request(app_key, app_secret),
        httpx.Request("POST", OAPI + ep.USER_LIST.path, params={"access_token": token}, json={"cursor": 0}),
        httpx.Request("GET", OAPI + ep.AUTH_SCOPES.path, params={"access_token": token}),
        httpx.Request("GET", API + ep.ALL_APPS.path, headers={"x-acs-dingtalk-access-token": token}),
    ]
    with registry_with(*([app_secret, token] if registered else [])):
        recorded = [normalised(request) for request in requests]

    for request in recorded:
        assert not holds(request, app_secret) and not holds(request, token), request
        assert not holds(request, app_key) or request.path != ep.ACCESS_TOKEN.path


@THOROUGH
@given(data=st.data(), values=st.lists(secrets, min_size=1, max_size=3))
def test_a_request_body_that_is_not_json_is_scrubbed(data: st.DataObject, values: list[str]) -> None:
    content = ("{not json " + data.draw(text_with(values))).encode("utf-8")
    request = httpx.Request("POST", OAPI + ep.USER_LIST.path, content=content)

    with registry_with(*values):
        recorded = normalised(request)

    for value in values:
        assert not holds(recorded, value)


# --- replay keys ----------------------------------------------------------------------------------------

URL_SAFE = string.ascii_letters + string.digits + "-._~"
segment_chars = st.sampled_from(URL_SAFE) | st.characters(categories=["Lo"])
segments = st.text(segment_chars, min_size=1, max_size=6).filter(lambda s: s not in (".", ".."))


@st.composite
def base_urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https"]))
    host = draw(
        st.sampled_from(["oapi.dingtalk.com", "api.dingtalk.com", "egress.corp.example", "127.0.0.1"])
    )
    port = draw(st.none() | st.integers(min_value=1, max_value=65535))
    prefix = "".join("/" + s for s in draw(st.lists(segments, max_size=3)))
    slash = draw(st.sampled_from(["", "/"]))
    return f"{scheme}://{host}{f':{port}' if port else ''}{prefix}{slash}"


@st.composite
def host_maps(draw: st.DrawFn) -> HostMap:
    oapi = draw(base_urls())
    shared = draw(st.booleans())  # one proxy fronting both hosts, under different prefixes
    api = oapi.rstrip("/") + "/" + draw(segments) if shared else draw(base_urls())
    return HostMap(oapi_url=oapi, api_url=api)


param_names = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=8).filter(
    lambda n: n not in ("access_token", "appKey", "appSecret")
)
param_values = st.text(max_size=8) | st.integers().map(str)
params = st.dictionaries(param_names, param_values, max_size=4)
json_leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=6)
bodies = st.dictionaries(
    st.text(max_size=6).filter(lambda k: k not in ("appKey", "appSecret", "access_token")),
    st.recursive(
        json_leaves,
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=4), c, max_size=3),
        max_leaves=6,
    ),
    max_size=4,
)


def shuffled(value: Any, rng: random.Random) -> Any:
    """The same JSON value with every object's keys in another order."""
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: shuffled(v, rng) for k, v in items}
    if isinstance(value, list):
        return [shuffled(v, rng) for v in value]
    return value


def wire_request(
    endpoint: Endpoint,
    hosts: HostMap,
    query: dict[str, str],
    body: dict[str, Any],
    token: str,
    rng: random.Random,
) -> httpx.Request:
    """The request as the client sends it: token in the query (old host) or a header (new host)."""
    items = list(query.items())
    headers = {}
    if endpoint.host is Host.OAPI:
        items.insert(rng.randint(0, len(items)), ("access_token", token))
    else:
        headers["x-acs-dingtalk-access-token"] = token
    rng.shuffle(items)
    return httpx.Request(
        endpoint.method,
        hosts.url(endpoint.host, endpoint.path),
        params=items,
        json=shuffled(body, rng) if endpoint.method != "GET" else None,
        headers=headers,
    )


@THOROUGH
@given(
    endpoint=st.sampled_from([e for e in CATALOGUE if e is not ep.ACCESS_TOKEN]),
    hosts=st.tuples(host_maps(), host_maps()),
    query=params,
    body=bodies,
    access_tokens=st.tuples(tokens, tokens),
    seed=st.randoms(use_true_random=False),
)
def test_the_same_logical_request_has_the_same_replay_key(
    endpoint: Endpoint,
    hosts: tuple[HostMap, HostMap],
    query: dict[str, str],
    body: dict[str, Any],
    access_tokens: tuple[str, str],
    seed: random.Random,
) -> None:
    first, second = (
        normalised(wire_request(endpoint, h, query, body, t, seed), h)
        for h, t in zip(hosts, access_tokens, strict=True)
    )

    assert first.path == second.path == endpoint.path
    assert first.key() == second.key()
    sent = list(leaves({"query": query, "body": body}))
    for token in access_tokens:
        assert not holds(first, token) or any(token in text for text in sent)


@FAST
@given(app_keys=st.tuples(secrets, secrets), app_secrets=st.tuples(secrets, secrets), hosts=host_maps())
def test_token_requests_with_different_credentials_share_one_replay_key(
    app_keys: tuple[str, str], app_secrets: tuple[str, str], hosts: HostMap
) -> None:
    keys = {
        normalised(
            httpx.Request(
                "POST", hosts.url(Host.API, ep.ACCESS_TOKEN.path), json={"appSecret": s, "appKey": k}
            ),
            hosts,
        ).key()
        for k, s in zip(app_keys, app_secrets, strict=True)
    }

    assert len(keys) == 1


@FAST
@given(endpoint=st.sampled_from(CATALOGUE), queries=st.tuples(params, params), body=bodies)
def test_different_query_strings_have_different_replay_keys(
    endpoint: Endpoint, queries: tuple[dict[str, str], dict[str, str]], body: dict[str, Any]
) -> None:
    rng = random.Random(0)
    first, second = (
        normalised(wire_request(endpoint, HostMap(), q, body, "tok-123456", rng)) for q in queries
    )

    assert (first.key() == second.key()) == (queries[0] == queries[1])


# --- regressions: the minimal examples with which these properties found bugs (fixed) -------------

SECRET = "live-app-secret-7f3a9c"


def test_a_secret_in_a_non_utf8_response_is_scrubbed_before_base64() -> None:
    content = "代理错误 ".encode("gbk") + f"https://oapi.dingtalk.com/x?access_token={SECRET}".encode()

    with registry_with(SECRET):
        recorded = record_response(recorded_request(ep.USER_LIST), httpx.Response(502), content)

    assert SECRET not in stored(recorded)


@pytest.mark.parametrize(
    "request_",
    [
        pytest.param(
            httpx.Request("POST", OAPI + ep.USER_GET.path, json={"userid": {"note": SECRET}}), id="json-body"
        ),
        pytest.param(
            httpx.Request("GET", API + ep.LEAVE_RECORDS.path, params={"nextToken": SECRET}), id="query"
        ),
    ],
)
def test_a_secret_anywhere_in_a_request_is_scrubbed(request_: httpx.Request) -> None:
    with registry_with(SECRET):
        recorded = normalised(request_)

    assert not holds(recorded, SECRET)
