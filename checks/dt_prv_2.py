"""DT.PRV.2 — the number of sub-administrators stays within the policy's maximum."""

from dingscan.check import Check, CheckMetadata, Outcome, admin_resource
from dingscan.findings import Severity
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, Snapshot


class SubAdminCount(Check):
    metadata = CheckMetadata(
        control_id="DT.PRV.2",
        title="Sub-administrators are no more than the policy allows",
        severity=Severity.MEDIUM,
        rationale=(
            "Every sub-administrator (子管理员) is a privileged account that can change members, "
            "departments or apps within its scope; each one more is one more account to phish and "
            "one more set of rights nobody reviews."
        ),
        remediation=(
            "Admin console > 权限管理 > 子管理员: remove sub-admins who no longer need the role, or "
            "raise admins.sub_max in the policy with the justification on record."
        ),
        evidence="API topapi/user/listadmin (sys_level 2)",
    )
    requires = (SectionName.ADMINS,)

    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        allowed = policy.admins.sub_max
        subs = [a for a in snapshot.admins.get() if not a.is_primary]
        evidence = {"sub_admins": len(subs), "max": allowed}
        if len(subs) <= allowed:
            return Outcome.passed(f"{len(subs)} sub-administrators (allowed at most {allowed})", **evidence)
        names = snapshot.users_by_id()
        resources = [
            admin_resource(a, names, "sub-administrator (sys_level 2)", scope_dept_ids=a.dept_ids)
            for a in subs
        ]
        return Outcome.failed(
            f"{len(subs)} sub-administrators: {len(subs) - allowed} more than the {allowed} allowed",
            sorted(resources, key=lambda r: r.id),
            **evidence,
        )
