"""OCSF 1.5 Compliance Finding events (class 2003), one JSON object per line, for SIEMs.

One event per (control, offending resource), so a SIEM can alert on, route and close a single
offender; one event per control for every other status, about the tenant as a whole. The
event's ``finding_info.uid`` hashes (tenant, control, resource): the same offender gets the same
uid in every scan, which is what a SIEM deduplicates on.

Status mapping (README "OCSF events"): the control's verdict is ``compliance.status_id``: PASS is
Pass, FAIL and ACCEPTED are Fail, MANUAL and ERROR are Warning (OCSF: "did not yield a result due to missing
information": human evidence or tenant data), NOT_APPLICABLE is Other with status "Not
Applicable" (known, but none of OCSF's values). dingscan's own status stays in
``compliance.status_code``. The event's ``status_id`` is the finding's workflow state, which the
consumer owns: New, or Suppressed for an accepted risk.

The events are plain dicts built here; tests validate them against the OCSF 1.5 schema itself
(the README says why py-ocsf-models is not used). Times are milliseconds since the epoch.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from dingscan.findings import Finding, FindingsDocument, Resource, Severity, Status
from dingscan.jsontext import dumps
from dingscan.report.base import ReportFormat, finding_rows, reference_labels

OCSF_VERSION = "1.5.0"
STANDARD = "DingTalk Hardening Baseline v1"
CLASS_UID = 2003
ACTIVITY_CREATE = 1

SEVERITY_IDS = {
    Severity.INFORMATIONAL: 1,
    Severity.LOW: 2,
    Severity.MEDIUM: 3,
    Severity.HIGH: 4,
    Severity.CRITICAL: 5,
}
#: ``compliance.status_id`` and its caption: the OCSF verdict of the control.
COMPLIANCE_STATUS: dict[Status, tuple[int, str]] = {
    Status.PASS: (1, "Pass"),
    Status.FAIL: (3, "Fail"),
    Status.MANUAL: (2, "Warning"),
    Status.ERROR: (2, "Warning"),
    Status.NOT_APPLICABLE: (99, "Not Applicable"),
    Status.ACCEPTED: (3, "Fail"),  # the control still fails; its offenders are accepted risks
}
#: The event's ``status_id``: the finding's workflow state, New, or Suppressed for an offender an
#: unexpired exception accepts (and for a control whose every offender is accepted).
_NEW = (1, "New")
_SUPPRESSED = (3, "Suppressed")


def render_ocsf(document: FindingsDocument) -> str:
    return "".join(dumps(event, separators=(",", ":")) + "\n" for event in events(document))


def events(document: FindingsDocument) -> list[dict[str, Any]]:
    return [
        _event(document, finding, resource)
        for finding in document.findings
        for resource in finding_rows(finding)
    ]


def event_uid(corp_id: str | None, control_id: str, resource: Resource | None) -> str:
    """Stable across scans: the same tenant, control and resource always give the same uid."""
    subject = f"{resource.type}:{resource.id}" if resource else "control"
    return hashlib.sha256(f"{corp_id or ''}|{control_id}|{subject}".encode()).hexdigest()[:32]


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _event(document: FindingsDocument, finding: Finding, resource: Resource | None) -> dict[str, Any]:
    scan, tenant = document.scan, document.scan.tenant
    time = _ms(scan.as_of)
    severity_id = SEVERITY_IDS[finding.severity]
    accepted = finding.status is Status.ACCEPTED or bool(resource and resource.accepted)
    status_id, status = _SUPPRESSED if accepted else _NEW
    info: dict[str, Any] = {
        "uid": event_uid(tenant.corp_id, finding.control_id, resource),
        "title": finding.title,
        "desc": finding.message,
        "created_time": time,
        "types": [STANDARD],
        "product": _product(document),
    }
    if resource is not None and resource.first_seen is not None:  # with a state directory
        info["first_seen_time"] = _ms(resource.first_seen)
    return {
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "category_uid": 2,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Compliance Finding",
        "type_uid": CLASS_UID * 100 + ACTIVITY_CREATE,
        "type_name": "Compliance Finding: Create",
        "time": time,
        "severity_id": severity_id,
        "severity": finding.severity.value.capitalize(),
        "status_id": status_id,
        "status": status,
        "message": resource.detail if resource else finding.message,
        "metadata": {
            "version": OCSF_VERSION,
            "product": _product(document),
            "profiles": ["cloud"],
            "event_code": finding.control_id,
            "correlation_uid": scan.id,
            "tenant_uid": tenant.corp_id or "",
        },
        "cloud": {
            "provider": "DingTalk",
            "account": {"uid": tenant.corp_id or "", "name": tenant.org_name or ""},
        },
        "finding_info": info,
        "compliance": _compliance(finding, severity_id),
        "resources": [_resource(resource) if resource else _tenant_resource(document)],
        "remediation": _remediation(finding),
        "unmapped": _unmapped(document, finding),
    }


def _product(document: FindingsDocument) -> dict[str, Any]:
    return {"name": document.tool.name, "vendor_name": "dingscan", "version": document.tool.version}


def _compliance(finding: Finding, severity_id: int) -> dict[str, Any]:
    status_id, status = COMPLIANCE_STATUS[finding.status]
    return {
        "standards": [STANDARD],
        "control": finding.control_id,
        "desc": finding.title,
        "requirements": reference_labels(finding),
        "status_id": status_id,
        "status": status,
        "status_code": finding.status.value,
        "status_detail": finding.message,
        "checks": [
            {
                "uid": finding.control_id,
                "name": finding.title,
                "standards": [STANDARD],
                "status_id": status_id,
                "status": status,
                "severity_id": severity_id,
                "severity": finding.severity.value.capitalize(),
            }
        ],
    }


def _resource(resource: Resource) -> dict[str, Any]:
    return {
        "uid": resource.id,
        "name": resource.name or resource.id,
        "type": f"DingTalk {resource.type}",
        "data": {"detail": resource.detail, **resource.evidence},
    }


def _tenant_resource(document: FindingsDocument) -> dict[str, Any]:
    tenant = document.scan.tenant
    return {
        "uid": tenant.corp_id or "",
        "name": tenant.org_name or tenant.corp_id or "DingTalk organisation",
        "type": "DingTalk org",
    }


def _remediation(finding: Finding) -> dict[str, Any]:
    remediation: dict[str, Any] = {"desc": finding.remediation}
    if cis := finding.references.get("cis_v8"):
        remediation["cis_controls"] = [{"name": c, "version": "v8"} for c in cis]
    return remediation


def _unmapped(document: FindingsDocument, finding: Finding) -> dict[str, Any]:
    """What OCSF has no attribute for: the evidence behind the verdict and how it was collected."""
    scan = document.scan
    unmapped: dict[str, Any] = {
        "evidence_source": finding.evidence_source,
        "evidence": finding.evidence,
        "scan_mode": scan.mode,
        "findings_schema_version": document.schema_version,
        "lang": document.lang,  # of the texts (title, message, remediation): always English here
    }
    if scan.bundle_integrity:
        unmapped["bundle_integrity"] = scan.bundle_integrity
    return unmapped


FORMAT = ReportFormat(
    "ocsf",
    "ocsf.jsonl",
    "OCSF 1.5 Compliance Finding events, one JSON object per line",
    render_ocsf,
    for_people=False,
)
