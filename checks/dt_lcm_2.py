"""DT.LCM.2 — few dormant members, and no dormant administrator.

Without the admin list, more dormant members than allowed still fail; names come from whatever
members were collected.
"""

from dingscan.check import Check, CheckMetadata, Outcome, admin_flag, member_role, user_resource
from dingscan.findings import Severity
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, Snapshot, User


class DormantMembers(Check):
    metadata = CheckMetadata(
        control_id="DT.LCM.2",
        title="Dormant members are within the allowance, and no administrator is dormant",
        severity=Severity.MEDIUM,
        rationale=(
            "An account nobody has used for a month is either no longer needed or is not watched "
            "by its owner: a takeover goes unnoticed. A dormant administrator is a standing, "
            "unmonitored key to the whole tenant, so none is tolerated."
        ),
        remediation=(
            "Admin console > 通讯录 > 成员管理: confirm with each listed member's manager, then "
            "remove or disable the account; withdraw admin rights (权限管理 > 管理员) from dormant "
            "administrators first. Tune lifecycle.max_dormant_members for tolerated absences."
        ),
        evidence="API topapi/inactive/user/v2/get (every day of the window) + topapi/v2/user/list + topapi/user/listadmin",
    )
    requires = (SectionName.DORMANCY,)
    enriches = (SectionName.USERS, SectionName.ADMINS)

    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        dormancy = snapshot.dormancy.get()
        members = snapshot.users_by_id()
        admins = {a.userid for a in snapshot.admins.known() or []}
        allowed = policy.lifecycle.max_dormant_members
        window = f"{dormancy.first_day:%Y-%m-%d} to {dormancy.last_day:%Y-%m-%d}"
        dormant = sorted(set(dormancy.dormant_userids))
        dormant_admins = [u for u in dormant if u in admins]
        evidence = {
            "first_day": dormancy.first_day.isoformat(),
            "last_day": dormancy.last_day.isoformat(),
            "dormant": len(dormant),
            "allowed": allowed,
            "dormant_admins": dormant_admins,
        }
        if not dormant_admins and len(dormant) <= allowed:
            return Outcome.passed(
                f"{len(dormant)} members without a login from {window} (allowed {allowed}), none an administrator",
                dormant_userids=dormant,
                **evidence,
            )
        resources = [
            user_resource(
                members.get(userid, User(userid=userid)),
                f"{member_role(admin_flag(snapshot, userid))} with no login from {window}",
                is_admin=admin_flag(snapshot, userid),
            )
            for userid in dormant
        ]
        admins_note = (
            f", {len(dormant_admins)} of them administrators (allowed none)" if dormant_admins else ""
        )
        return Outcome.failed(
            f"{len(dormant)} members without a login from {window} (allowed {allowed}){admins_note}",
            resources,
            **evidence,
        )
