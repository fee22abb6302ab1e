"""One recorded HTTP exchange, and the normal form that recording and replay both key it by.

Secrets are removed here, once, for both directions: the ``access_token`` query parameter and
the token header are never stored, the token request's ``appSecret`` and the token answer's
``accessToken`` are replaced. Replay compares requests in the same normal form, so it needs no
credentials at all.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict

from dingscan.client.endpoints import ACCESS_TOKEN, Host
from dingscan.redaction import REDACTED, SECRETS

#: What a recorded token answer carries instead of the token (replay sends it back as the token).
TOKEN_PLACEHOLDER = REDACTED
#: ``Exchange.error`` prefix of an answer over its endpoint's size cap (followed by the cap).
TOO_LARGE = "too-large: "
#: Request fields that carry credentials; never part of a stored request or a replay key.
_CREDENTIAL_FIELDS = ("appKey", "appSecret", "access_token")


class RecordedRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    host: Host
    method: str
    path: str
    query: dict[str, str]
    body: Any = None

    def key(self) -> str:
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)


class RecordedResponse(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: int
    content_type: str | None = None
    request_id: str | None = None
    text: str | None = None
    base64: str | None = None  # for bodies that are not UTF-8 (kept byte for byte)

    def content(self) -> bytes:
        if self.base64 is not None:
            return base64.b64decode(self.base64)
        return (self.text or "").encode("utf-8")


class Exchange(BaseModel):
    model_config = ConfigDict(frozen=True)

    seq: int
    request: RecordedRequest
    response: RecordedResponse | None = None
    error: str | None = None  # no response: "timeout", "connection: ...", "too-large: <cap>"


def normalise_request(host: Host, path: str, request: httpx.Request) -> RecordedRequest:
    """``path`` is the API path below the host's base URL, so bundles do not depend on where the
    hosts were (real DingTalk, a proxy, the emulator's ephemeral ports)."""
    query = {
        k: SECRETS.scrub(v)
        for k, v in sorted(request.url.params.multi_items())
        if k not in _CREDENTIAL_FIELDS
    }
    body: Any = None
    if request.content:
        try:
            body = json.loads(request.content)
        except ValueError:
            body = SECRETS.scrub(request.content.decode("utf-8", "replace"))
    if isinstance(body, dict):
        body = {k: (REDACTED if k in _CREDENTIAL_FIELDS else _scrubbed(v)) for k, v in sorted(body.items())}
    return RecordedRequest(host=host, method=request.method, path=path, query=query, body=body)


def _scrubbed(value: Any) -> Any:
    """Any registered secret removed from every string inside a JSON value."""
    if isinstance(value, str):
        return SECRETS.scrub(value)
    if isinstance(value, list):
        return [_scrubbed(v) for v in value]
    if isinstance(value, dict):
        return {k: _scrubbed(v) for k, v in value.items()}
    return value


def record_response(request: RecordedRequest, response: httpx.Response, content: bytes) -> RecordedResponse:
    if request.path == ACCESS_TOKEN.path:
        content = _without_token(content)
    meta = {
        "status": response.status_code,
        "content_type": response.headers.get("content-type"),
        "request_id": response.headers.get("x-acs-request-id"),
    }
    try:
        return RecordedResponse(**meta, text=SECRETS.scrub_json(content.decode("utf-8")))
    except UnicodeDecodeError:
        return RecordedResponse(**meta, base64=base64.b64encode(SECRETS.scrub_bytes(content)).decode("ascii"))


def _without_token(content: bytes) -> bytes:
    try:
        answer = json.loads(content)
    except ValueError:
        return content
    if isinstance(answer, dict) and "accessToken" in answer:
        answer["accessToken"] = TOKEN_PLACEHOLDER
    return json.dumps(answer, ensure_ascii=False).encode("utf-8")
