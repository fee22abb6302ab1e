"""Typed DingTalk errors and the rules that map wire answers onto them.

The old host reports errors as HTTP 200 with a non-zero ``errcode`` (``88`` wraps the real code in
``sub_code``, or only in the ``errmsg`` text); the new host uses HTTP status plus a string
``code``. Both collapse into one class hierarchy so that the retry policy, the token refresh and
the collector's fail-closed reasons are written once. Each error's ``reason`` is a sentence a
person can act on; none ever carries a token or secret (the client never puts them in, and any
DingTalk echoes back is scrubbed).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from dingscan.client.endpoints import Endpoint
from dingscan.redaction import SECRETS


def one_line(text: object) -> str:
    """``text`` with every run of whitespace (line breaks included) folded to one space."""
    return " ".join(str(text).split())


class DingTalkError(Exception):
    """An answer from DingTalk (or the road to it) that is not the data we asked for."""

    retryable: ClassVar[bool] = False
    fatal: ClassVar[bool] = False  # the whole scan is meaningless (bad credentials, banned IP)

    def __init__(
        self,
        code: str,
        message: str = "",
        *,
        endpoint: Endpoint | None = None,
        request_id: str | None = None,
    ) -> None:
        # DingTalk's text goes into one-line reasons, logs and findings: never let it break lines,
        # nor carry a secret a hostile server echoed back.
        self.code = one_line(SECRETS.scrub(code))
        self.message = one_line(SECRETS.scrub(message))
        self.endpoint = endpoint
        self.request_id = request_id
        super().__init__(self.reason)

    @property
    def where(self) -> str:
        return self.endpoint.path if self.endpoint else "DingTalk"

    @property
    def reason(self) -> str:
        detail = f": {self.message}" if self.message else ""
        return f"{self.where} answered error {self.code}{detail}"


class TransientError(DingTalkError):
    """Worth retrying: the same request may well succeed a moment later."""

    retryable = True


class ServerBusy(TransientError):
    """``-1`` system busy, HTTP 5xx."""


class RateLimited(TransientError):
    """``90018`` (this app on this API) or ``90002`` (all callers of this API) throttling."""

    def __init__(self, code: str, message: str = "", *, global_limit: bool = False, **kw: Any):
        self.global_limit = global_limit
        super().__init__(code, message, **kw)


class NetworkError(TransientError):
    """Timeouts, refused or reset connections, truncated bodies."""

    @property
    def reason(self) -> str:
        return f"{self.where} could not be reached: {self.message or self.code}"


class TokenInvalid(DingTalkError):
    """The access token was rejected (expired, revoked); the client refreshes it once."""


class CredentialsRejected(DingTalkError):
    fatal = True

    @property
    def reason(self) -> str:
        return f"DingTalk rejected the app key/secret (error {self.code}); check DINGSCAN_APP_KEY and DINGSCAN_APP_SECRET"


class TokenUnavailable(DingTalkError):
    """No access token could be had (host unreachable, DNS, TLS, timeouts, a foreign answer):
    nothing can be collected, so the scan stops with one line naming the host and the cause."""

    fatal = True

    @property
    def reason(self) -> str:
        return f"could not get an access token from {self.message}; check --api-url (DINGSCAN_API_URL) and the network"


class IpNotWhitelisted(DingTalkError):
    fatal = True

    @property
    def reason(self) -> str:
        return f"this machine's egress IP is not on the app's IP allow-list in the DingTalk developer console (error {self.code})"


class IpBanned(DingTalkError):
    """DingTalk banned the egress IP for about 5 minutes (10,000 calls in 20 s); stop at once."""

    fatal = True

    @property
    def reason(self) -> str:
        return "DingTalk has temporarily banned this machine's egress IP (too many calls); wait at least 5 minutes"


class AccessSuspended(DingTalkError):
    """``90001``/``90003``-``90006``: server-, org- or credential-level suspension of calls."""

    @property
    def reason(self) -> str:
        return f"DingTalk has suspended calls to {self.where} (error {self.code}: {self.message})"


class PermissionDenied(DingTalkError):
    @property
    def reason(self) -> str:
        point = f" {self.endpoint.permission}" if self.endpoint else ""
        return f"app lacks permission{point} for {self.where} (error {self.code})"


class OutOfScope(DingTalkError):
    @property
    def reason(self) -> str:
        return f"{self.where}: the object is outside the app's contact scope (error {self.code}); widen the app's 通讯录 scope to the whole organisation"


class QuotaExhausted(DingTalkError):
    """DingTalk refused this call: the tenant's monthly call quota is used up."""

    @property
    def reason(self) -> str:
        return (
            f"{self.where} was refused: the tenant's monthly API call quota is exhausted (error {self.code}); "
            "counted calls fail until the quota renews next month"
        )


class QuotaSpent(QuotaExhausted):
    """Not sent: an earlier counted call already met the exhausted quota (no retry can help)."""

    @property
    def reason(self) -> str:
        return (
            f"{self.where} was not called: an earlier counted call was refused because the tenant's "
            f"monthly API call quota is exhausted (error {self.code})"
        )


class NotEnabled(DingTalkError):
    """The feature or edition behind the endpoint is not enabled (HR app off, not 专属钉钉)."""

    @property
    def reason(self) -> str:
        return f"{self.where} is not available on this tenant (error {self.code}: {self.message})"


class BadRequest(DingTalkError):
    @property
    def reason(self) -> str:
        return f"{self.where} rejected dingscan's request as invalid (error {self.code}: {self.message}); please report this as a dingscan bug"


class NotFound(DingTalkError):
    pass


class MalformedResponse(DingTalkError):
    @property
    def reason(self) -> str:
        return f"{self.where} returned a response dingscan cannot read: {self.message}"


class OversizedResponse(MalformedResponse):
    """An answer larger than its endpoint's cap (``message``: the cap, "8,192 KiB"); not read further."""

    @property
    def reason(self) -> str:
        return (
            f"{self.where} sent an answer larger than {self.message}, this endpoint's limit; it was not read"
        )


class BudgetExhausted(DingTalkError):
    """The operator's ``--max-counted-calls`` budget would be exceeded; the call was not sent."""

    @property
    def reason(self) -> str:
        return f"{self.where} skipped: the budget of {self.message} counted calls (--max-counted-calls) is used up"


class OutOfTime(DingTalkError):
    """The scan's time budget ran out before this call could be sent (or tried again)."""

    @property
    def reason(self) -> str:
        return f"{self.where} skipped: the scan's time budget of {self.message} s (scan_timeout) ran out"


class NotRecorded(DingTalkError):
    """Replay only: the bundle holds no answer for this request."""

    @property
    def reason(self) -> str:
        return f"{self.where} is not in the recording"


_TOKEN_CODES = {"40001", "40014", "42001", "41001", "InvalidAuthentication", "Unauthorized"}
_OAPI_CLASSES: dict[str, type[DingTalkError]] = {
    "-1": ServerBusy,
    **dict.fromkeys(_TOKEN_CODES, TokenInvalid),
    "40089": CredentialsRejected,
    "60011": PermissionDenied,
    "43007": PermissionDenied,
    "50002": OutOfScope,
    "50004": OutOfScope,
    "60020": IpNotWhitelisted,
    "90018": RateLimited,
    "90002": RateLimited,
    "90020": QuotaExhausted,
    **dict.fromkeys(("90001", "90003", "90004", "90005", "90006"), AccessSuspended),
    **dict.fromkeys(("40035", "400002", "40068", "40069", "40036", "400001"), BadRequest),
    **dict.fromkeys(("33012", "60121", "60003", "33011"), NotFound),
}
_API_CODES: dict[str, type[DingTalkError]] = {
    "InvalidAuthentication": TokenInvalid,
    "Unauthorized": TokenInvalid,
    "invalidClientIdOrSecret": CredentialsRejected,
    "Forbidden.AccessDenied.AccessTokenPermissionDenied": PermissionDenied,
    "forbidden.accessDenied.realmControl": PermissionDenied,
    "permission.denied": PermissionDenied,
    "Forbidden.AccessDenied.IpNotInWhiteList": IpNotWhitelisted,
    "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi": RateLimited,
    "Forbidden.AccessDenied.QpmLimitForAppkeyAndApi": RateLimited,
    "Forbidden.AccessDenied.QpsLimitForApi": RateLimited,
    "Forbidden.AccessDenied.ApiCountLimitForOrg": QuotaExhausted,
    "corpNotOpenHrm": NotEnabled,
    "exclusive.account.only": NotEnabled,
}


#: ``errcode`` 88 answers that carry the real code only in the text:
#: ``ding talk error[subcode=60011,submsg=没有调用该接口的权限]``.
_SUBCODE_IN_TEXT = re.compile(r"\bsubcode=([^,\]\s]+)")
_SUBMSG_IN_TEXT = re.compile(r"\bsubmsg=([^\]]*)")


def _build(
    cls: type[DingTalkError], code: str, message: str, endpoint: Endpoint | None, request_id: str | None
) -> DingTalkError:
    if cls is RateLimited:
        is_global = code in {"90002", "Forbidden.AccessDenied.QpsLimitForApi"}
        return RateLimited(code, message, global_limit=is_global, endpoint=endpoint, request_id=request_id)
    return cls(code, message, endpoint=endpoint, request_id=request_id)


def oapi_error(body: dict[str, Any], endpoint: Endpoint | None) -> DingTalkError | None:
    """The error an old-host body reports, or None when ``errcode`` is 0.

    Doc samples render numbers as strings, so the code is compared as text.
    """
    code = str(body.get("errcode", "0")).strip()
    if code == "0":
        return None
    message = str(body.get("errmsg", ""))
    if code == "88":
        code, message = _sub_code(body, message)
    request_id = body.get("request_id")
    cls = _OAPI_CLASSES.get(code, DingTalkError)
    return _build(cls, code, message, endpoint, str(request_id) if request_id else None)


def _sub_code(body: dict[str, Any], errmsg: str) -> tuple[str, str]:
    """The code and text an ``errcode`` 88 wraps: ``sub_code``/``sub_msg`` when present, else the
    ``subcode=``/``submsg=`` DingTalk writes into ``errmsg``; 88 itself when neither is there."""
    if body.get("sub_code") is not None:
        return str(body["sub_code"]).strip(), str(body.get("sub_msg") or errmsg)
    found = _SUBCODE_IN_TEXT.search(errmsg)
    if found is None:
        return "88", errmsg
    text = _SUBMSG_IN_TEXT.search(errmsg)
    return found.group(1), str(body.get("sub_msg") or (text.group(1) if text else errmsg))


def api_error(
    status: int, body: dict[str, Any] | None, endpoint: Endpoint | None, request_id: str | None
) -> DingTalkError:
    """The error a new-host HTTP error answer reports."""
    body = body or {}
    code = str(body.get("code") or f"HTTP {status}")
    message = str(body.get("message", ""))
    cls = _API_CODES.get(code)
    if cls is None:
        if code.startswith(("invalidParameter", "param.")) or code == "Missingbody":
            cls = BadRequest
        elif status >= 500:
            cls = ServerBusy
        elif status in (401,):
            cls = TokenInvalid
        elif status == 403:
            cls = PermissionDenied
        elif status == 404:
            cls = NotFound
        elif status == 400:
            cls = BadRequest
        else:
            cls = DingTalkError
    return _build(cls, code, message, endpoint, request_id or body.get("requestid"))


def is_ip_ban(body: Any) -> bool:
    """The per-IP ban answer carries no errcode: ``{"punish": "deny", ...}``."""
    return isinstance(body, dict) and body.get("punish") == "deny"
