"""OCSF events validate against the OCSF 1.5 schema itself and keep their uids across scans."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema
import pytest
from report_support import hostile_tenant, scan_of

from dingscan.emulator import generate_tenant, load_tenant
from dingscan.findings import FindingsDocument, Status
from dingscan.report.ocsf import COMPLIANCE_STATUS, events, render_ocsf
from dingscan.resources import packaged_path
from ocsf_jsonschema import compliance_finding_schema


@cache
def validator() -> jsonschema.Draft202012Validator:
    schema = compliance_finding_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_errors(event: dict[str, Any]) -> list[str]:
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(event)]


def test_every_demo_event_is_an_ocsf_1_5_compliance_finding(demo: FindingsDocument) -> None:
    lines = render_ocsf(demo).splitlines()
    parsed = [json.loads(line) for line in lines]
    assert all(schema_errors(event) == [] for event in parsed), [schema_errors(e) for e in parsed][:3]
    assert {e["class_uid"] for e in parsed} == {2003}
    offenders = sum(len(f.resources) or 1 for f in demo.findings)
    assert len(parsed) == offenders  # one per (control, offender), one per control without


@pytest.mark.parametrize("seed", [1, 2])
def test_every_event_of_generated_tenants_validates(seed: int) -> None:
    document = scan_of(generate_tenant(members=200, seed=seed))
    assert [error for event in events(document) for error in schema_errors(event)] == []


@pytest.mark.parametrize("name", ["demo.yaml", "clean.yaml"])
def test_every_event_of_the_fixture_tenants_validates(name: str) -> None:
    document = scan_of(load_tenant(packaged_path(f"fixtures/tenants/{name}")))
    assert [error for event in events(document) for error in schema_errors(event)] == []


def test_hostile_names_stay_data_in_valid_events(hostile: FindingsDocument) -> None:
    parsed = [json.loads(line) for line in render_ocsf(hostile).splitlines()]
    assert [error for event in parsed for error in schema_errors(event)] == []
    assert any("<script>" in r["name"] for e in parsed for r in e["resources"])


def test_the_validator_rejects_what_ocsf_does_not_define(demo: FindingsDocument) -> None:
    event = events(demo)[0]
    assert schema_errors(event) == []
    assert schema_errors({**event, "dingscan_status": "FAIL"})  # not an OCSF attribute
    assert schema_errors({**event, "time": "2026-11-25T11:08:12Z"})  # timestamp_t is integer ms
    assert schema_errors({**event, "compliance": {**event["compliance"], "status_id": 7}})
    assert schema_errors({k: v for k, v in event.items() if k != "finding_info"})


def test_uids_are_stable_across_scans_and_distinct_across_resources() -> None:
    tenant = hostile_tenant(seed=4, members=120)
    first, second = (scan_of(tenant) for _ in range(2))
    assert first.scan.id != second.scan.id
    uids_first = [e["finding_info"]["uid"] for e in events(first)]
    uids_second = [e["finding_info"]["uid"] for e in events(second)]
    assert uids_first == uids_second
    assert len(set(uids_first)) == len(uids_first)


def test_times_are_milliseconds_and_status_maps_as_documented(demo: FindingsDocument) -> None:
    by_control = {}
    for event in events(demo):
        by_control.setdefault(event["compliance"]["control"], event)
        assert event["time"] == int(demo.scan.as_of.timestamp() * 1000)
    for finding in demo.findings:
        compliance = by_control[finding.control_id]["compliance"]
        assert (compliance["status_id"], compliance["status"]) == COMPLIANCE_STATUS[finding.status]
        assert compliance["status_code"] == finding.status.value
        assert compliance["standards"] == ["DingTalk Hardening Baseline v1"]


def test_every_status_has_an_ocsf_mapping() -> None:
    # A status added to the findings model must be mapped on purpose, not fall through.
    assert set(COMPLIANCE_STATUS) == set(Status)


def test_references_and_resources_carry_dingtalk_ids(demo: FindingsDocument) -> None:
    finding = next(f for f in demo.findings if f.status is Status.FAIL and f.references.get("cis_v8"))
    event = next(e for e in events(demo) if e["compliance"]["control"] == finding.control_id)
    assert event["resources"][0]["uid"] == finding.resources[0].id
    assert event["resources"][0]["type"] == f"DingTalk {finding.resources[0].type}"
    assert any(r.startswith("CIS Controls v8") for r in event["compliance"]["requirements"])
    assert event["remediation"]["cis_controls"][0]["version"] == "v8"
    assert event["metadata"]["product"]["name"] == "dingscan"


def test_accepted_offenders_are_suppressed_and_carry_first_seen(demo: FindingsDocument, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dingscan.state import SqliteStore, record_scan

    store = SqliteStore(tmp_path / "state")
    annotated = record_scan(demo, store)
    store.close()
    by_status = {(e["metadata"]["event_code"], e["status"]) for e in events(annotated)}
    assert ("DT.EXT.3", "Suppressed") in by_status  # the demo's accepted partner organisation
    assert ("DT.LCM.2", "New") in by_status and ("DT.LCM.2", "Suppressed") not in by_status  # expired
    accepted = [e for e in events(annotated) if e["metadata"]["event_code"] == "DT.EXT.3"]
    assert accepted[0]["compliance"]["status"] == "Fail" and schema_errors(accepted[0]) == []
    assert accepted[0]["finding_info"]["first_seen_time"] == accepted[0]["time"]
