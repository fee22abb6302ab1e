"""DT.PRV.1 — the number of primary administrators is within the policy's bounds."""

from dingscan.check import Check, CheckMetadata, Outcome, admin_resource
from dingscan.findings import Severity
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, Snapshot


class PrimaryAdminCount(Check):
    metadata = CheckMetadata(
        control_id="DT.PRV.1",
        title="Primary administrators are few, but more than none",
        severity=Severity.HIGH,
        rationale=(
            "A primary administrator (主管理员) controls every setting, member and app. Too many "
            "widen the blast radius of one compromised account; none leaves no one to act."
        ),
        remediation=(
            "Admin console > 权限管理 > 管理员: reduce primary administrators to the policy's maximum "
            "(default 3), moving others to scoped sub-admin roles."
        ),
        evidence="API topapi/user/listadmin (sys_level 1)",
    )
    requires = (SectionName.ADMINS,)

    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        bounds = policy.admins
        names = snapshot.users_by_id()
        primaries = [a for a in snapshot.admins.get() if a.is_primary]
        count = len(primaries)
        evidence = {"primary_admins": count, "min": bounds.primary_min, "max": bounds.primary_max}
        if bounds.primary_min <= count <= bounds.primary_max:
            return Outcome.passed(
                f"{count} primary administrators (allowed {bounds.primary_min}-{bounds.primary_max})",
                **evidence,
            )
        resources = [admin_resource(a, names, "primary administrator (sys_level 1)") for a in primaries]
        side = "more" if count > bounds.primary_max else "fewer"
        return Outcome.failed(
            f"{count} primary administrators: {side} than allowed ({bounds.primary_min}-{bounds.primary_max})",
            resources,
            **evidence,
        )
