"""DingTalk error answers, each able to render itself on either host.

The old host (oapi) answers errors as HTTP 200 with ``errcode``; the new host (api) as HTTP
4xx/5xx with ``{"code", "requestid", "message"}`` (dingtalk-api.md §1.1, §12). Conditions both
hosts share (permission, throttling, quota, tokens) carry both renderings, so the request
pipeline raises one error and each host picks its half.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

# errmsg texts for the old-host codes the emulator answers (dingtalk-api.md §3-§6, §12).
OAPI_MESSAGES: Mapping[int, str] = {
    -1: "系统繁忙",
    22: "Invalid method",
    33011: "无效的角色id",
    33012: "无效的USERID",
    40014: "不合法的access_token",
    40035: "不合法的参数",
    40036: "缺少参数",
    40068: "不合法的偏移量",
    40069: "不合法的分页大小",
    40089: "不合法的corpId或corpSecret",
    41001: "缺少参数access_token",
    42001: "access_token超时",
    50002: "请求的员工userid不在授权范围内",
    50004: "请求的部门id不在授权范围内",
    60003: "部门不存在",
    60011: "没有调用该接口的权限",
    60121: "找不到该用户",
    90018: "您的服务器调用钉钉开放平台当前接口的QPS请求数超过了应用的限制",
    90020: "您的企业调用钉钉开放平台接口的月调用量已超过限额",
    400002: "无效的参数",
}


@dataclass(eq=False)
class DingTalkError(Exception):
    """An error answer: ``errcode``/``errmsg`` (+ ``fields``) on oapi, ``status``/``code``/
    ``message`` on api. Host-specific errors fill the other half with a neutral bad request."""

    errcode: int
    errmsg: str
    status: int
    code: str
    message: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.errcode}/{self.code}: {self.errmsg}"

    @classmethod
    def oapi(cls, errcode: int, detail: str = "") -> DingTalkError:
        text = OAPI_MESSAGES.get(errcode, "error")
        errmsg = f"{text}: {detail}" if detail else text
        return cls(errcode, errmsg, 400, "invalidParameter", errmsg)

    @classmethod
    def api(cls, status: int, code: str, message: str) -> DingTalkError:
        return cls(400002, message, status, code, message)


def permission_denied(point: str) -> DingTalkError:
    text = OAPI_MESSAGES[60011]
    return DingTalkError(
        88,
        f"ding talk error[subcode=60011,submsg={text}]",
        403,
        "Forbidden.AccessDenied.AccessTokenPermissionDenied",
        f"{text} (requiredScopes: {point})",
        {"sub_code": "60011", "sub_msg": text},
    )


def permission_denied_plain(point: str) -> DingTalkError:
    """The older, unwrapped form of the same denial (plain ``errcode`` 60011)."""
    return replace(permission_denied(point), errcode=60011, errmsg=OAPI_MESSAGES[60011], fields={})


def qps_app() -> DingTalkError:
    return DingTalkError(
        90018,
        OAPI_MESSAGES[90018],
        403,
        "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi",
        "当前应用调用该接口的QPS超过限制",
    )


def qps_global(path: str, now: datetime) -> DingTalkError:
    """The global per-API ban, worded like the real 90002 answer (dingtalk-api.md §12.1)."""
    start, end = (now - timedelta(seconds=1)), (now + timedelta(minutes=5))
    fmt = "%Y-%m-%d %H:%M:%S"
    errmsg = (
        f"您的服务器调用钉钉开放平台当前接口的所有请求都被暂时禁用了, apiPath({path}), "
        f"从 {start:{fmt}} 到 {now:{fmt}} 请求总次数超过了 300 次, 处罚将在 {end:{fmt}} 结束."
    )
    return DingTalkError(90002, errmsg, 403, "Forbidden.AccessDenied.QpsLimitForApi", errmsg)


def quota_exhausted() -> DingTalkError:
    return DingTalkError(
        90020,
        OAPI_MESSAGES[90020],
        403,
        "Forbidden.AccessDenied.ApiCountLimitForOrg",
        "企业的月调用量已超过限额",
    )


def token_problem(errcode: int) -> DingTalkError:
    """41001 missing, 40014 unknown, 42001 expired; the new host says 400 for all three."""
    return DingTalkError(
        errcode, OAPI_MESSAGES[errcode], 400, "InvalidAuthentication", "不合法的access_token"
    )


def system_busy() -> DingTalkError:
    return DingTalkError(-1, OAPI_MESSAGES[-1], 500, "systemError", "系统繁忙")
