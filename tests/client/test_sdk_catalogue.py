"""Our new-host endpoints and the fields we read, checked against DingTalk's generated SDK.

``alibabacloud-dingtalk`` (test extra only) is the vendor's machine-generated catalogue of the
``/v1.0`` API. The fields dingscan reads are not listed by hand: every new-host collector runs
against SDK-shaped answers that note each key looked up, so a field the API does not have (an
external group's ``title``) fails here. Its source is read as text, never imported: every operation is an
``open_api_models.Params(action=..., pathname=..., method=...)`` block in ``<module>/client.py``,
and every wire field name is a quoted key in the ``to_map``/``from_map`` of ``<module>/models.py``.
"""

from __future__ import annotations

import asyncio
import importlib.util
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from dingscan.client import CATALOGUE, Endpoint, Host
from dingscan.client import endpoints as ep
from dingscan.collect.apps import collect_apps
from dingscan.collect.exclusive import collect_audit_log_probe, collect_external_groups
from dingscan.collect.lifecycle import collect_dimissions, collect_leave_records
from dingscan.collect.org import collect_org

_SPEC = importlib.util.find_spec("alibabacloud_dingtalk")
if _SPEC is None or not _SPEC.submodule_search_locations:
    pytest.skip(
        "the vendor SDK alibabacloud-dingtalk is not installed (pip install -e '.[test]')",
        allow_module_level=True,
    )
SDK_ROOT = Path(next(iter(_SPEC.submodule_search_locations)))

API_ENDPOINTS = [endpoint for endpoint in CATALOGUE if endpoint.host is Host.API]

#: The token fetch is not a collector: the names it reads and sends are listed by hand.
TOKEN_READS = {"accessToken", "expireIn"}
TOKEN_SENDS = {"appKey", "appSecret"}
#: The nextToken walker asks every answer for ``hasMore``; where the SDK has no such flag the
#: probe finds nothing and the walk ends on the token, so that one look-up is no reliance.
WALKER_PROBES = {"hasMore"}

#: One answer for each new-host endpoint a collector calls, in the SDK's wire names (example
#: values; each a shape from the endpoint's documentation page).
SDK_SHAPED_ANSWERS: dict[Endpoint, dict[str, Any]] = {
    ep.ORG_AUTH_INFO: {"orgName": "Test Ltd", "authLevel": 1, "licenseOrgName": "Test Limited"},
    ep.ALL_APPS: {"appList": [{"agentId": 11, "appId": 0, "name": "HR", "appStatus": 1, "developType": 0}]},
    ep.LEAVE_RECORDS: {
        "records": [
            {"userId": "u1", "name": "Leaver", "leaveTime": "2026-11-05T11:08:12Z", "leaveReason": "leave"}
        ]
    },
    # "获取离职员工列表" (hrm QueryDismissionStaffIdList)
    ep.HR_DISMISSIONS: {"hasMore": False, "nextToken": 0, "userIdList": ["u1"]},
    # "获取员工离职信息" (hrm QueryHrmEmployeeDismissionInfo)
    ep.HR_DIMISSION_INFOS: {
        "result": [{"userId": "u1", "lastWorkDay": 1633017600000, "status": 2, "handoverUserId": "u2"}]
    },
    # 专属钉钉: oaOperatorLogs and outsideGroups have no documentation page, their SDK models
    # (GetOaOperatorLogList, GetOutGroupsByPage: openConversationId, no title) are the published
    # shapes; fileAuditLogs is "获取文件操作记录" (ListAuditLog).
    ep.ADMIN_OPERATION_LOGS: {"data": [{"opUserId": "u2", "opName": "Admin", "opTime": 1633017600000}]},
    ep.FILE_AUDIT_LOGS: {"list": [{"userId": "u2", "action": 1, "gmtCreate": 1633017600000, "bizId": "b1"}]},
    ep.EXTERNAL_AUDIT_GROUPS: {"responseBody": {"groupList": [{"openConversationId": "cid1"}], "total": 1}},
}


class Noting(dict[str, Any]):
    """A JSON object that notes each key looked up in it (``[]``, ``get``, ``in``), nested too."""

    def __init__(self, data: dict[str, Any], seen: set[str]) -> None:
        super().__init__({key: _noting(value, seen) for key, value in data.items()})
        self._seen = seen

    def __getitem__(self, key: str) -> Any:
        self._seen.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._seen.add(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self._seen.add(str(key))
        return super().__contains__(key)


def _noting(value: Any, seen: set[str]) -> Any:
    if isinstance(value, dict):
        return Noting(value, seen)
    if isinstance(value, list):
        return [_noting(item, seen) for item in value]
    return value


class NotingCaller:
    """Answers from :data:`SDK_SHAPED_ANSWERS`; notes what each call sent and each answer was asked."""

    def __init__(self) -> None:
        self.read: defaultdict[Endpoint, set[str]] = defaultdict(set)
        self.sent: defaultdict[Endpoint, set[str]] = defaultdict(set)

    async def call(
        self,
        endpoint: Endpoint,
        *,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        path_params: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        self.sent[endpoint] |= {*(body or {}), *(params or {})}
        return _noting(SDK_SHAPED_ANSWERS[endpoint], self.read[endpoint])


@cache
def collectors_run() -> NotingCaller:
    """Every new-host collector, once, against the SDK-shaped answers."""
    caller = NotingCaller()
    as_of = datetime(2026, 11, 25, tzinfo=UTC)

    async def run_all() -> None:
        await collect_org(caller, "dingtestcorp")
        await collect_apps(caller)
        await collect_leave_records(caller, as_of)
        await collect_dimissions(caller)
        await collect_audit_log_probe(caller, as_of)
        await collect_external_groups(caller)

    asyncio.run(run_all())
    return caller


def fields_read(endpoint: Endpoint) -> set[str]:
    return TOKEN_READS if endpoint is ep.ACCESS_TOKEN else collectors_run().read[endpoint] - WALKER_PROBES


def fields_sent(endpoint: Endpoint) -> set[str]:
    return TOKEN_SENDS if endpoint is ep.ACCESS_TOKEN else collectors_run().sent[endpoint]


_PARAMS = re.compile(r"open_api_models\.Params\(([^)]*)\)")
_ARG = re.compile(r"(\w+)=f?'([^']*)'")
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_CLASS = re.compile(r"^class (\w+)\(TeaModel\):", re.MULTILINE)
_TO_MAP_KEY = re.compile(r"result\['(\w+)'\]")
_FROM_MAP_KEY = re.compile(r"m\.get\('(\w+)'\)")


@dataclass(frozen=True)
class Operation:
    module: str
    action: str
    method: str
    pathname: str
    auth_type: str


def _shape(pathname: str) -> str:
    """``/v1.0/microApp/apps/{agent_id}`` and ``.../{agentId}`` are the same route."""
    return _PLACEHOLDER.sub("{}", pathname)


@cache
def sdk_operations() -> dict[tuple[str, str], Operation]:
    """Every SDK operation keyed by (HTTP method, path shape)."""
    found: dict[tuple[str, str], Operation] = {}
    for client_py in sorted(SDK_ROOT.glob("*/client.py")):
        for block in _PARAMS.findall(client_py.read_text(encoding="utf-8")):
            args = dict(_ARG.findall(block))
            if {"action", "method", "pathname"} <= args.keys():
                operation = Operation(
                    client_py.parent.name,
                    args["action"],
                    args["method"],
                    args["pathname"],
                    args.get("auth_type", ""),
                )
                found[(operation.method, _shape(operation.pathname))] = operation
    return found


@cache
def wire_names(module: str, class_prefix: str) -> frozenset[str]:
    """Field names both written by ``to_map`` and read by ``from_map`` in the module's model
    classes whose names start with ``class_prefix`` (the class and its nested parts)."""
    source = (SDK_ROOT / module / "models.py").read_text(encoding="utf-8")
    starts = [(match.start(), match.group(1)) for match in _CLASS.finditer(source)]
    names: set[str] = set()
    for index, (start, name) in enumerate(starts):
        if name.startswith(class_prefix):
            end = starts[index + 1][0] if index + 1 < len(starts) else len(source)
            body = source[start:end]
            names |= set(_TO_MAP_KEY.findall(body)) & set(_FROM_MAP_KEY.findall(body))
    return frozenset(names)


def operation_for(endpoint: Endpoint) -> Operation:
    operation = sdk_operations().get((endpoint.method, _shape(endpoint.path)))
    if operation is None:
        same_path = [op for (_, shape), op in sdk_operations().items() if shape == _shape(endpoint.path)]
        pytest.fail(
            f"{endpoint.method} {endpoint.path} is not an operation in the DingTalk SDK"
            + (f" (the SDK has {[op.method for op in same_path]} for that path)" if same_path else "")
        )
    return operation


def test_the_sdk_source_was_found_and_parsed() -> None:
    assert len(sdk_operations()) > 1000  # the SDK ships thousands; a handful means the regex broke


@pytest.mark.parametrize("endpoint", API_ENDPOINTS, ids=[e.name for e in API_ENDPOINTS])
def test_new_host_endpoint_is_an_sdk_operation_with_the_same_method_and_path(endpoint: Endpoint) -> None:
    operation = operation_for(endpoint)

    assert operation.method == endpoint.method
    assert _shape(operation.pathname) == _shape(endpoint.path)


@pytest.mark.parametrize("endpoint", API_ENDPOINTS, ids=[e.name for e in API_ENDPOINTS])
def test_only_the_token_endpoint_is_anonymous(endpoint: Endpoint) -> None:
    operation = operation_for(endpoint)

    assert (operation.auth_type == "Anonymous") is (not endpoint.needs_token)


def test_every_new_host_endpoint_but_the_token_is_read_by_a_collector_run_here() -> None:
    assert set(collectors_run().read) == set(API_ENDPOINTS) - {ep.ACCESS_TOKEN} == set(SDK_SHAPED_ANSWERS)


@pytest.mark.parametrize("endpoint", list(SDK_SHAPED_ANSWERS), ids=[e.name for e in SDK_SHAPED_ANSWERS])
def test_the_sdk_shaped_answers_use_only_sdk_wire_names(endpoint: Endpoint) -> None:
    operation = operation_for(endpoint)

    assert (
        keys_in(SDK_SHAPED_ANSWERS[endpoint])
        - wire_names(operation.module, f"{operation.action}ResponseBody")
        == set()
    )


@pytest.mark.parametrize("endpoint", API_ENDPOINTS, ids=[e.name for e in API_ENDPOINTS])
def test_response_fields_dingscan_reads_are_sdk_wire_names(endpoint: Endpoint) -> None:
    operation = operation_for(endpoint)

    known = wire_names(operation.module, f"{operation.action}ResponseBody")

    assert known, f"no {operation.action}ResponseBody model in {operation.module}/models.py"
    assert fields_read(endpoint), "the collector read nothing: is it still run here?"
    assert fields_read(endpoint) - known == set()


@pytest.mark.parametrize("endpoint", API_ENDPOINTS, ids=[e.name for e in API_ENDPOINTS])
def test_request_fields_dingscan_sends_are_sdk_wire_names(endpoint: Endpoint) -> None:
    operation = operation_for(endpoint)

    known = wire_names(operation.module, f"{operation.action}Request")

    assert fields_sent(endpoint) - known == set()


def keys_in(value: Any) -> set[str]:
    """Every object key anywhere in a JSON value."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_in(v)}
    return set()


def test_a_misspelt_field_would_be_caught() -> None:
    operation = operation_for(ep.LEAVE_RECORDS)

    known = wire_names(operation.module, f"{operation.action}ResponseBody")

    assert {"leaveTime", "userId"} <= known
    assert "leave_time" not in known
    assert "userid" not in known
