"""DT.PRV.3 — sub-administrators manage the whole organisation only when allowed."""

from collections.abc import Iterable

from dingscan.check import CheckMetadata, RuleCheck, admin_resource
from dingscan.findings import Resource, Severity
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, Snapshot

ROOT_DEPT = 1


class OrgWideSubAdmins(RuleCheck):
    metadata = CheckMetadata(
        control_id="DT.PRV.3",
        title="Sub-administrators are scoped to their departments",
        severity=Severity.HIGH,
        rationale=(
            "A sub-administrator (子管理员) whose directory scope is the root department can read "
            "and change every member's record: least privilege means scoping each to the "
            "departments they serve, with explicit approval for any org-wide exception."
        ),
        remediation=(
            "Admin console > 权限管理 > 子管理员: narrow each listed sub-admin's 通讯录管理范围 to "
            "specific departments, or add the userid to admins.org_wide_sub_admins_allowed with an "
            "approval on record."
        ),
        evidence="API topapi/user/listadmin + topapi/user/get_admin_scope (dept_ids contains 1)",
    )
    requires = (
        SectionName.ADMINS,
        SectionName.ADMIN_DETAILS,
    )
    pass_message = "none of {checked} sub-administrators has an unapproved org-wide scope"
    fail_message = "{count} of {checked} sub-administrators manage the whole organisation without approval"

    def examined(self, snapshot: Snapshot, policy: Policy) -> int:
        return sum(not a.is_primary for a in snapshot.admins.get())

    def offenders(self, snapshot: Snapshot, policy: Policy) -> Iterable[Resource]:
        names = snapshot.users_by_id()
        allowed = set(policy.admins.org_wide_sub_admins_allowed)
        for admin in snapshot.admins.get():
            if admin.is_primary or admin.userid in allowed:
                continue
            # An unreadable scope (None) leaves the section partial: the engine refuses a PASS.
            if admin.dept_ids is not None and ROOT_DEPT in admin.dept_ids:
                yield admin_resource(
                    admin,
                    names,
                    "sub-administrator whose directory scope is the whole organisation (dept 1)",
                    dept_ids=admin.dept_ids,
                )
