"""DT.PRV.7 — temporary access ends when it expires.

The operator keeps a register of temporary grants (``temporary_access`` in the attestation file:
userid, role name or department, expiry). A grant is expired the day after ``expires_on``; an
expired grant must be gone: the member no longer in that role (``role/simplelist``) or that
department (the users list). No register is MANUAL; an empty register is a PASS. (The file
format guarantees every grant names a role or a department.)
"""

from collections.abc import Iterator

from dingscan.attestations import TemporaryGrant
from dingscan.check import Check, CheckMetadata, Outcome, user_resource
from dingscan.findings import Resource, Severity
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, Snapshot


class TemporaryAccessRevoked(Check):
    metadata = CheckMetadata(
        control_id="DT.PRV.7",
        title="Expired temporary access has been removed",
        severity=Severity.HIGH,
        rationale=(
            "Temporary collaborators and stand-ins are given access for days, but removing it "
            "depends on someone remembering; access that outlives its approval is unreviewed "
            "access to whatever the role or department can see."
        ),
        remediation=(
            "Admin console > 通讯录 > 角色管理 / 成员管理: remove each listed member from the role or "
            "department the expired grant gave, or extend the grant in temporary_access with a new "
            "approval."
        ),
        evidence="attestation register temporary_access + API topapi/role/simplelist and topapi/v2/user/list (dept_id_list)",
    )
    requires = (SectionName.ATTESTATIONS, SectionName.ROLES, SectionName.USERS)

    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        register = snapshot.attestations.get().temporary_access
        if register is None:
            return Outcome.manual("no temporary_access register in the attestation file")
        if not register:
            return Outcome.passed("no temporary grants registered", grants=0)
        expired = [g for g in register if g.expires_on < snapshot.as_of.date()]
        offenders = sorted(_still_held(expired, snapshot), key=lambda r: r.id)
        evidence = {"grants": len(register), "expired": len(expired)}
        if offenders:
            return Outcome.failed(
                f"{len(offenders)} of {len(expired)} expired temporary grants are still in place",
                offenders,
                **evidence,
            )
        return Outcome.passed(
            f"all {len(expired)} expired temporary grants are gone ({len(register) - len(expired)} still in term)",
            **evidence,
        )


def _still_held(grants: list[TemporaryGrant], snapshot: Snapshot) -> Iterator[Resource]:
    users = {u.userid: u for u in snapshot.users.get()}
    role_members: dict[str, dict[str, str]] = {}
    for role in snapshot.roles.get():
        role_members.setdefault(role.name, {}).update({m.userid: m.name for m in role.members})
    for grant in grants:
        user = users.get(grant.userid)
        holders = role_members.get(grant.role, {}) if grant.role is not None else {}
        held = []
        if grant.userid in holders:
            held.append(f"role {grant.role}")
        if grant.dept_id is not None and user is not None and grant.dept_id in user.dept_ids:
            held.append(f"department {grant.dept_id}")
        if not held:
            continue
        detail = (
            f"temporary access to {' and '.join(held)} expired on {grant.expires_on} "
            f"(approved by {grant.approved_by}) but is still held"
        )
        evidence = {
            "granted_on": grant.granted_on.isoformat(),
            "expires_on": grant.expires_on.isoformat(),
            "days_overdue": (snapshot.as_of.date() - grant.expires_on).days,
            "still_held": held,
        }
        if user is not None:
            yield user_resource(user, detail, **evidence)
        else:
            name = holders.get(grant.userid) or None  # not in the users list: named by the role
            yield Resource(type="user", id=grant.userid, name=name, detail=detail, evidence=evidence)
