"""DT.IDN.3 — no personal webmail address on any member (worst on administrators).

The admin list only labels offenders as administrators: without it, a webmail address on the
member list still proves the violation.
"""

from collections.abc import Iterable

from dingscan.check import CheckMetadata, RuleCheck, admin_flag, member_role, user_resource
from dingscan.findings import Resource, Severity
from dingscan.policy import Policy, on_domains
from dingscan.snapshot import SectionName, Snapshot


class NoPersonalWebmail(RuleCheck):
    metadata = CheckMetadata(
        control_id="DT.IDN.3",
        title="No member uses a personal webmail address",
        severity=Severity.HIGH,
        rationale=(
            "Gmail, Hotmail, QQ, 163 and similar mailboxes belong to the person, not the company: "
            "recovery links, notifications and exported data leave the company's control. On an "
            "administrator this hands tenant recovery to a consumer account."
        ),
        remediation=(
            "Admin console > 通讯录 > 成员管理: replace each listed address with a corporate one, "
            "starting with administrators; add local consumer domains to personal_webmail_domains."
        ),
        evidence="API topapi/v2/user/list (email, org_email), topapi/user/listadmin; /auth/scopes",
    )
    requires = (SectionName.USERS, SectionName.USER_EMAILS)
    enriches = (SectionName.ADMINS,)
    pass_message = "none of {checked} members uses a personal webmail address"
    fail_message = "{count} of {checked} members use a personal webmail address"

    def examined(self, snapshot: Snapshot, policy: Policy) -> int:
        return len(snapshot.users.get())

    def offenders(self, snapshot: Snapshot, policy: Policy) -> Iterable[Resource]:
        for user in snapshot.users.get():
            personal = [a for a in user.addresses if on_domains(a, policy.webmail_domains)]
            if personal:
                is_admin = admin_flag(snapshot, user.userid)
                yield user_resource(
                    user,
                    f"{member_role(is_admin)} uses personal webmail: {', '.join(personal)}",
                    addresses=personal,
                    is_admin=is_admin,
                )
