"""The two DingTalk hosts: where the token travels and how answers are wrapped.

Old host (oapi.dingtalk.com): ``?access_token=``, every answer HTTP 200 with ``errcode``,
``errmsg`` and ``request_id`` in the body. New host (api.dingtalk.com): the
``x-acs-dingtalk-access-token`` header, a bare JSON object on success, HTTP 4xx/5xx with
``{"code", "requestid", "message"}`` on error, the request id in ``x-acs-request-id``
(dingtalk-api.md §1.1).
"""

from __future__ import annotations

import random
import string
import uuid
from typing import Protocol

from dingscan.emulator.errors import DingTalkError
from dingscan.emulator.wire import HostName, JsonObject, Reply, Request, gateway_page

_ID_ALPHABET = string.ascii_lowercase + string.digits


class Host(Protocol):
    name: HostName

    def token(self, request: Request) -> str | None: ...

    def success(self, payload: JsonObject) -> Reply: ...

    def failure(self, error: DingTalkError) -> Reply: ...

    def not_found(self, request: Request) -> Reply: ...


class OldHost:
    name: HostName = "oapi"

    def token(self, request: Request) -> str | None:
        return request.query.get("access_token")

    def success(self, payload: JsonObject) -> Reply:
        body = {"errcode": 0, "errmsg": "ok", **payload, "request_id": _oapi_request_id()}
        return Reply.json(200, body, 0)

    def failure(self, error: DingTalkError) -> Reply:
        body = {
            "errcode": error.errcode,
            **error.fields,
            "errmsg": error.errmsg,
            "request_id": _oapi_request_id(),
        }
        return Reply.json(200, body, error.errcode)

    def not_found(self, request: Request) -> Reply:
        """A new-host path is not routed here at all; any other unknown path is an API name
        the gateway does not know (errcode 22)."""
        if request.path.startswith("/v1.0/"):
            return gateway_page(404)
        sub_msg = f"不合法ApiName: {request.path}"
        return self.failure(
            DingTalkError(
                22,
                f"Invalid method[submsg={sub_msg}]",
                404,
                "InvalidAction.NotFound",
                sub_msg,
                {"sub_msg": sub_msg},
            )
        )


class NewHost:
    name: HostName = "api"

    def token(self, request: Request) -> str | None:
        return request.headers.get("x-acs-dingtalk-access-token")

    def success(self, payload: JsonObject) -> Reply:
        return Reply.json(200, payload, None, _api_headers())

    def failure(self, error: DingTalkError) -> Reply:
        headers = _api_headers()
        body = {"code": error.code, "requestid": headers["x-acs-request-id"], "message": error.message}
        return Reply.json(error.status, body, error.code, headers)

    def not_found(self, request: Request) -> Reply:
        message = "Specified api is not found, please check your url and method."
        return self.failure(DingTalkError.api(404, "InvalidAction.NotFound", message))


def _oapi_request_id() -> str:
    return "".join(random.choices(_ID_ALPHABET, k=12))


def _api_headers() -> dict[str, str]:
    return {"x-acs-request-id": str(uuid.uuid4()).upper(), "x-acs-trace-id": uuid.uuid4().hex}
