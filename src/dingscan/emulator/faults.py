"""Fault injection: make chosen calls fail the ways DingTalk (or the network) really fails.

A :class:`Fault` picks calls by path and answers them with ``kind`` instead of the normal
answer. Kinds (old-host answer / new-host answer):

- ``http_500``, ``http_502``, ``http_503``: that HTTP status with a gateway's HTML error page.
- ``errcode_-1``: system busy, ``errcode -1`` / HTTP 500 ``systemError``.
- ``throttle_app``: per-app QPS limit, ``90018`` / 403 ``…QpsLimitForAppkeyAndApi``.
- ``throttle_global``: per-API ban for everyone, ``90002`` with the real message / 403
  ``…QpsLimitForApi``.
- ``quota``: monthly quota exhausted, ``90020`` / 403 ``…ApiCountLimitForOrg``.
- ``permission``: ``88`` + ``sub_code 60011`` / 403 ``…AccessTokenPermissionDenied``.
- ``permission_plain``: the older unwrapped ``errcode 60011`` / same 403.
- ``token_expired``: ``42001`` / 400 ``InvalidAuthentication``.
- ``reset``: the connection is closed without an answer.
- ``timeout``: the answer is held back ``delay`` seconds (default 5), then given normally.
- ``truncated``: ``Content-Length`` announces more bytes than are sent, then the connection closes.
- ``malformed_json``: HTTP 200, JSON content type, body cut off mid-object.
- ``wrong_shape``: valid JSON of the wrong shape: on the old host ``result`` is missing (or a
  top-level list such as ``dept_ids`` is a string); on the new host every top-level list is a
  string (an answer without lists comes back wrapped in an array). Successful answers only.
- ``ip_ban_html``: HTTP 200 with the HTML page of the per-IP ban.
- ``ip_ban_json``: HTTP 200 with ``{"status":1111,"wait":5,"source":"x5","punish":"deny",…}``.
- ``empty_200``: HTTP 200 with an empty body.

``path`` is an exact path or a glob (``/topapi/*``); None matches every path except the two
token endpoints, which are only faulted when ``path`` names them exactly. ``after`` lets that
many matching calls through first; ``times`` is how many calls are then faulted (None = every
one). ``delay`` holds any faulted answer back that many seconds.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatchcase
from typing import Any, Literal, get_args

from dingscan.emulator import errors
from dingscan.emulator.errors import DingTalkError
from dingscan.emulator.wire import HTML, HostName, Reply, gateway_page

FaultKind = Literal[
    "http_500", "http_502", "http_503", "errcode_-1", "throttle_app", "throttle_global", "quota",
    "permission", "permission_plain", "token_expired", "reset", "timeout", "truncated",
    "malformed_json", "wrong_shape", "ip_ban_html", "ip_ban_json", "empty_200",
]  # fmt: skip
FAULT_KINDS: frozenset[str] = frozenset(get_args(FaultKind))
TOKEN_PATHS: frozenset[str] = frozenset({"/gettoken", "/v1.0/oauth2/accessToken"})
DEFAULT_TIMEOUT = 5.0


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    path: str | None = None
    times: int | None = 1
    after: int = 0
    delay: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {sorted(FAULT_KINDS)}")
        if (self.times is not None and self.times < 1) or self.after < 0:
            raise ValueError("Fault: times must be >= 1 (or None) and after >= 0")
        if self.delay is not None and self.delay < 0:
            raise ValueError("Fault: delay must be >= 0")

    @property
    def pause(self) -> float:
        """Seconds to hold the answer back."""
        if self.delay is not None:
            return self.delay
        return DEFAULT_TIMEOUT if self.kind == "timeout" else 0.0

    def matches(self, path: str) -> bool:
        if self.path is None:
            return path not in TOKEN_PATHS
        if path in TOKEN_PATHS:
            return path == self.path
        return fnmatchcase(path, self.path)


@dataclass
class _Armed:
    fault: Fault
    seen: int = 0
    fired: int = 0

    def due(self) -> bool:
        times = self.fault.times
        return self.seen > self.fault.after and (times is None or self.fired < times)


class FaultBook:
    """The active faults. Each counts the calls it matches on its own; the first one due fires."""

    def __init__(self) -> None:
        self._armed: list[_Armed] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._armed.append(_Armed(fault))

    def clear(self) -> None:
        with self._lock:
            self._armed.clear()

    def take(self, path: str) -> Fault | None:
        chosen: _Armed | None = None
        with self._lock:
            for armed in self._armed:
                if not armed.fault.matches(path):
                    continue
                armed.seen += 1
                if chosen is None and armed.due():
                    chosen = armed
            if chosen is None:
                return None
            chosen.fired += 1
            return chosen.fault


def as_error(fault: Fault, path: str, permission: str, now: datetime) -> DingTalkError | None:
    """The DingTalk error a fault answers with, if it is that kind of fault."""
    match fault.kind:
        case "errcode_-1":
            return errors.system_busy()
        case "throttle_app":
            return errors.qps_app()
        case "throttle_global":
            return errors.qps_global(path, now)
        case "quota":
            return errors.quota_exhausted()
        case "permission":
            return errors.permission_denied(permission)
        case "permission_plain":
            return errors.permission_denied_plain(permission)
        case "token_expired":
            return errors.token_problem(42001)
        case _:
            return None


_BAN_PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>访问被拒绝</title></head><body>"
    "<h1>访问被拒绝</h1><p>您的访问频率过高，IP已被临时封禁，请5分钟后再试。</p></body></html>"
)


def as_broken_reply(fault: Fault) -> Reply | None:
    """The non-DingTalk answer (or non-answer) a transport-level fault gives, if it is one."""
    kind = fault.kind
    if kind.startswith("http_"):
        return gateway_page(int(kind.removeprefix("http_")))
    if kind == "reset":
        return Reply(0, drop=True)
    if kind == "truncated":
        return Reply(200, b'{"errcode":0,"errmsg":"ok","result":{"list":[', extra_length=512)
    if kind == "malformed_json":
        return Reply(200, b'{"errcode":0,"errmsg":"ok","result":{"list":[{"userid":"')
    if kind == "ip_ban_html":
        return Reply(200, _BAN_PAGE.encode(), content_type=HTML)
    if kind == "ip_ban_json":
        ban = {"status": 1111, "wait": 5, "source": "x5", "punish": "deny", "uuid": str(uuid.uuid4())}
        return Reply.json(200, ban)
    if kind == "empty_200":
        return Reply(200, b"")
    return None


def reshape(reply: Reply, host: HostName) -> Reply:
    """``wrong_shape``: the same answer with its documented structure broken."""
    body: dict[str, Any] = json.loads(reply.body)
    lists = [key for key, value in body.items() if isinstance(value, list)]
    if host == "oapi" and "result" in body:
        del body["result"]
    elif lists:
        body.update(dict.fromkeys(lists, "unexpected"))
    else:
        return Reply.json(reply.status, [body], reply.code, reply.headers)
    return Reply.json(reply.status, body, reply.code, reply.headers)
