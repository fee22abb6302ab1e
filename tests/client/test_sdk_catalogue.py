"""Our new-host endpoints and the fields we read, checked against DingTalk's generated SDK.

``alibabacloud-dingtalk`` (test extra only) is the vendor's machine-generated catalogue of the
``/v1.0`` API. Its source is read as text, never imported: every operation is an
``open_api_models.Params(action=..., pathname=..., method=...)`` block in ``<module>/client.py``,
and every wire field name is a quoted key in the ``to_map``/``from_map`` of ``<module>/models.py``.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from dingscan.client import CATALOGUE, Endpoint, Host
from dingscan.client import endpoints as ep

_SPEC = importlib.util.find_spec("alibabacloud_dingtalk")
if _SPEC is None or not _SPEC.submodule_search_locations:
    pytest.skip(
        "the vendor SDK alibabacloud-dingtalk is not installed (pip install -e '.[test]')",
        allow_module_level=True,
    )
SDK_ROOT = Path(next(iter(_SPEC.submodule_search_locations)))

API_ENDPOINTS = [endpoint for endpoint in CATALOGUE if endpoint.host is Host.API]

#: Wire names dingscan reads from each new-host answer (the collectors and the token fetch).
RESPONSE_FIELDS: dict[Endpoint, set[str]] = {
    ep.ACCESS_TOKEN: {"accessToken", "expireIn"},
    ep.ORG_AUTH_INFO: {"orgName", "authLevel", "licenseOrgName"},
    ep.ALL_APPS: {"appList", "agentId", "appId", "name", "appStatus", "developType"},
    ep.LEAVE_RECORDS: {"records", "userId", "name", "leaveTime", "leaveReason", "nextToken"},
}
#: Wire names dingscan sends in each new-host request (body or query).
REQUEST_FIELDS: dict[Endpoint, set[str]] = {
    ep.ACCESS_TOKEN: {"appKey", "appSecret"},
    ep.ORG_AUTH_INFO: {"targetCorpId"},
    ep.ALL_APPS: set(),
    ep.LEAVE_RECORDS: {"startTime", "endTime", "nextToken", "maxResults"},
}

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


@pytest.mark.parametrize("endpoint", list(RESPONSE_FIELDS), ids=[e.name for e in RESPONSE_FIELDS])
def test_response_fields_dingscan_reads_are_sdk_wire_names(endpoint: Endpoint) -> None:
    operation = operation_for(endpoint)

    known = wire_names(operation.module, f"{operation.action}ResponseBody")

    assert known, f"no {operation.action}ResponseBody model in {operation.module}/models.py"
    assert RESPONSE_FIELDS[endpoint] - known == set()


@pytest.mark.parametrize("endpoint", list(REQUEST_FIELDS), ids=[e.name for e in REQUEST_FIELDS])
def test_request_fields_dingscan_sends_are_sdk_wire_names(endpoint: Endpoint) -> None:
    operation = operation_for(endpoint)

    known = wire_names(operation.module, f"{operation.action}Request")

    assert REQUEST_FIELDS[endpoint] - known == set()


def test_a_misspelt_field_would_be_caught() -> None:
    operation = operation_for(ep.LEAVE_RECORDS)

    known = wire_names(operation.module, f"{operation.action}ResponseBody")

    assert {"leaveTime", "userId"} <= known
    assert "leave_time" not in known
    assert "userid" not in known
