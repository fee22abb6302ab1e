"""DT.IDN.2 — every member's email and org_email is on an approved corporate domain."""

from collections.abc import Iterable

from dingscan.check import CheckMetadata, Outcome, RuleCheck, user_resource
from dingscan.findings import Resource, Severity
from dingscan.policy import Policy, on_domains
from dingscan.snapshot import SectionName, Snapshot


class CorporateEmailDomains(RuleCheck):
    metadata = CheckMetadata(
        control_id="DT.IDN.2",
        title="Members' email addresses are on approved corporate domains",
        severity=Severity.MEDIUM,
        rationale=(
            "A work identity tied to a mailbox the company does not own cannot be recovered, "
            "monitored or closed at offboarding, and password resets go to a third party."
        ),
        remediation=(
            "Admin console > 通讯录 > 成员管理: edit each listed member and replace the email / "
            "企业邮箱 with an address on a corporate domain; set corporate_domains in the policy."
        ),
        evidence="API topapi/v2/user/list (email, org_email); /auth/scopes proves the email field permission",
    )
    requires = (SectionName.USERS, SectionName.USER_EMAILS)
    pass_message = "all {checked} members' addresses are on corporate domains"
    fail_message = "{count} of {checked} members have an address outside the corporate domains"

    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        if not policy.corporate_domains:
            return Outcome.manual("no corporate_domains set in the policy: cannot judge addresses")
        return super().evaluate(snapshot, policy)

    def examined(self, snapshot: Snapshot, policy: Policy) -> int:
        return len(snapshot.users.get())

    def offenders(self, snapshot: Snapshot, policy: Policy) -> Iterable[Resource]:
        for user in snapshot.users.get():
            foreign = [a for a in user.addresses if not on_domains(a, policy.corporate_domains)]
            if foreign:
                yield user_resource(
                    user, f"address not on a corporate domain: {', '.join(foreign)}", addresses=foreign
                )
