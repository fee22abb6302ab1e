"""DT.LCM.4 — disabled enterprise accounts are removed from the directory."""

from collections.abc import Iterable

from dingscan.check import CheckMetadata, RuleCheck, user_resource
from dingscan.findings import Resource, Severity
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, Snapshot


class DisabledAccountsRemoved(RuleCheck):
    metadata = CheckMetadata(
        control_id="DT.LCM.4",
        title="Disabled enterprise accounts are removed",
        severity=Severity.LOW,
        rationale=(
            "Disabling an enterprise account (专属账号) is a stop-gap: the account keeps its "
            "department, roles and group memberships, and one click re-enables all of it. Once "
            "the data is handed over, the account should go."
        ),
        remediation=(
            "Admin console > 通讯录 > 成员管理: hand over each listed member's data, then remove the "
            "account; make removal (not disabling) the last step of the offboarding procedure."
        ),
        evidence="API topapi/v2/user/list (disable_status)",
    )
    requires = (SectionName.USERS,)
    pass_message = "none of {checked} members is a disabled account"
    fail_message = "{count} of {checked} members are disabled accounts still in the directory"

    def examined(self, snapshot: Snapshot, policy: Policy) -> int:
        return len(snapshot.users.get())

    def offenders(self, snapshot: Snapshot, policy: Policy) -> Iterable[Resource]:
        for user in snapshot.users.get():
            if user.disable_status:
                yield user_resource(user, "enterprise account disabled (disable_status) but still a member")
