"""HTTP-level values passed between the server plumbing and the emulated API.

Keeping these free of ``http.server`` lets the request pipeline be read (and reasoned about)
without socket code, and lets faults describe a broken answer as plain data.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qs

HostName = Literal["oapi", "api"]
BodyKind = Literal["none", "json", "form", "invalid"]
JsonObject = dict[str, Any]


@dataclass(frozen=True)
class Request:
    """One parsed request. ``params`` merges the query string and the body (body wins), which is
    how the old host behaves: its docs show the same parameters as JSON and as form fields."""

    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body_kind: BodyKind
    params: Mapping[str, Any]

    @classmethod
    def parse(cls, method: str, target: str, headers: Mapping[str, str], raw: bytes) -> Request:
        path, _, query_string = target.partition("?")
        query = {k: v[-1] for k, v in parse_qs(query_string, keep_blank_values=True).items()}
        body_kind, body = _parse_body(headers.get("content-type", ""), raw)
        return cls(method, path, query, headers, body_kind, {**query, **body})


def _parse_body(content_type: str, raw: bytes) -> tuple[BodyKind, JsonObject]:
    if not raw.strip():
        return "none", {}
    if "application/x-www-form-urlencoded" in content_type:
        form = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
        return "form", {k: v[-1] for k, v in form.items()}
    try:
        body = json.loads(raw)
    except ValueError:
        return "invalid", {}
    return ("json", body) if isinstance(body, dict) else ("invalid", {})


@dataclass(frozen=True)
class Reply:
    """What to put on the wire. ``drop`` closes the connection without answering;
    ``extra_length`` announces more body bytes than are sent (a truncated answer)."""

    status: int
    body: bytes = b""
    code: int | str | None = None
    content_type: str = "application/json;charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)
    drop: bool = False
    extra_length: int = 0

    @classmethod
    def json(
        cls,
        status: int,
        payload: Any,
        code: int | str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return cls(status, body, code, headers=headers or {})


_GATEWAY_PAGE = (
    "<html><head><title>{0}</title></head><body><center><h1>{0}</h1></center>"
    "<hr><center>Tengine</center></body></html>"
)
_REASONS = {404: "Not Found", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
HTML = "text/html;charset=utf-8"


def gateway_page(status: int) -> Reply:
    """The HTML error page the API gateway itself answers with (no DingTalk envelope)."""
    title = f"{status} {_REASONS.get(status, 'Error')}"
    return Reply(status, _GATEWAY_PAGE.format(title).encode(), content_type=HTML)


@dataclass(frozen=True)
class Call:
    """A received call as tests assert on it. ``status`` is None when no answer was sent;
    ``code`` is the old host's errcode, the new host's error code, or None; ``at`` is when it
    arrived (``time.monotonic``), for rates measured across emulators."""

    host: HostName
    method: str
    path: str
    status: int | None
    code: int | str | None
    at: float = field(default_factory=time.monotonic)
