"""Building blocks for tests: snapshots with chosen sections collected, and running one control.

Every section not given is left "not collected", so a test states exactly what a check may see.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from dingscan.attestations import Attestations
from dingscan.check import Check
from dingscan.collect.lifecycle import LEAVER_LOOKBACK
from dingscan.engine import load_checks, run_check
from dingscan.findings import Finding, FindingsDocument, ScanInfo, Tenant, Tool
from dingscan.policy import Policy
from dingscan.snapshot import (
    Admin,
    AuditLogProbe,
    AuthScopes,
    Dormancy,
    LeaveRecord,
    LeaveRecords,
    OrgInfo,
    Section,
    SectionName,
    SectionStatus,
    Snapshot,
    User,
)

AS_OF = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CORP_ID = "dingtestcorp"


def snapshot(**sections: Any) -> Snapshot:
    """A snapshot whose given sections are collected with the given data.

    A value that already is a :class:`Section` is used as it is (to test failures and partials);
    a list of leave records is given the collector's window (a year up to ``AS_OF``).
    """
    if isinstance(sections.get("leave_records"), list):
        sections["leave_records"] = leave_records(*sections["leave_records"])
    values = {k: v if isinstance(v, Section) else Section.collected(v) for k, v in sections.items()}
    return Snapshot(as_of=AS_OF, corp_id=CORP_ID, **values)


def failed(reason: str = "app lacks permission qyapi_get_member for /topapi/user/listadmin") -> Section[Any]:
    return Section[Any].failed(reason)


def leave_records(*records: LeaveRecord) -> LeaveRecords:
    return LeaveRecords(since=AS_OF - LEAVER_LOOKBACK, records=list(records))


def not_applicable(reason: str = "not available on this edition") -> Section[Any]:
    return Section[Any].failed(reason, SectionStatus.NOT_APPLICABLE)


def user(userid: str, **fields: Any) -> User:
    return User(
        userid=userid,
        name=fields.pop("name", f"Name {userid}"),
        dept_ids=fields.pop("dept_ids", [1]),
        **fields,
    )


def admin(userid: str, sys_level: int = 2, dept_ids: list[int] | None = None, **fields: Any) -> Admin:
    return Admin(userid=userid, sys_level=sys_level, dept_ids=dept_ids, **fields)


def attestations(**statements: Any) -> Attestations:
    """An attestation file with the given statements (dicts are validated like the YAML file)."""
    return Attestations.model_validate(statements)


def attested(**extra: Any) -> dict[str, Any]:
    """The who/when/evidence every statement carries, attested a month before ``AS_OF``."""
    return {
        "attested_by": "Jane Chan, IT Security",
        "attested_on": "2026-10-25",
        "evidence": "ISMS-042",
    } | extra


@cache
def _builtin() -> dict[str, Check]:
    return {c.metadata.control_id: c for c in load_checks(plugins=False)}


def builtin_check(control_id: str) -> Check:
    return _builtin()[control_id]


def evaluate(control_id: str, snap: Snapshot, policy: Policy | None = None) -> Finding:
    """Run one built-in control through the engine, fail-closed rules included."""
    return run_check(builtin_check(control_id), snap, policy or Policy())


def empty_data(name: SectionName) -> Any:
    """Plausible "nothing to report" data for a section (a tenant with nothing in it)."""
    singles: dict[SectionName, Any] = {
        SectionName.SCOPES: AuthScopes(authed_dept=[1], auth_user_field=["email"]),
        SectionName.ORG: OrgInfo(org_name="Test Ltd", auth_level=1),
        SectionName.USER_EMAILS: True,
        SectionName.ADMIN_DETAILS: True,
        SectionName.DORMANCY: Dormancy(first_day=date(2026, 10, 25), last_day=date(2026, 11, 23)),
        SectionName.AUDIT_LOG_PROBE: AuditLogProbe(
            window_start=datetime(2026, 8, 20, tzinfo=UTC), window_end=datetime(2026, 8, 27, tzinfo=UTC)
        ),
        SectionName.LEAVE_RECORDS: leave_records(),
        SectionName.ATTESTATIONS: Attestations(),
    }
    return singles.get(name, [])


def only_required(check: Check) -> Snapshot:
    """A snapshot in which exactly the sections the check declares are collected (empty)."""
    declared = check.requires + check.enriches + check.supports
    return snapshot(**{name.value: empty_data(name) for name in declared})


def findings_document(
    *findings: Finding, corp_id: str = "ding1", org_name: str = "Org", when: datetime | None = None
) -> FindingsDocument:
    """The findings document of a live scan of one tenant that produced ``findings``."""
    when = when or datetime(2026, 11, 25, tzinfo=UTC)
    return FindingsDocument(
        tool=Tool(version="0"),
        scan=ScanInfo(
            id="x",
            mode="live",
            started_at=when,
            finished_at=when,
            as_of=when,
            tenant=Tenant(corp_id=corp_id, org_name=org_name),
        ),
        coverage={},
        summary=FindingsDocument.summarise(list(findings)),
        findings=list(findings),
    )
