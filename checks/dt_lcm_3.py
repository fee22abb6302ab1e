"""DT.LCM.3 — no account is left unactivated long after its owner was hired."""

from collections.abc import Iterable

from dingscan.check import CheckMetadata, Outcome, RuleCheck, user_resource
from dingscan.findings import Resource, Severity
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, Snapshot


class NeverActivatedAccounts(RuleCheck):
    metadata = CheckMetadata(
        control_id="DT.LCM.3",
        title="Accounts are not left unactivated long after hire",
        severity=Severity.LOW,
        rationale=(
            "An account created but never activated belongs to someone who never joined, left "
            "early or was added by mistake; it still receives invitations and can be claimed by "
            "whoever controls the phone number or email it was created with."
        ),
        remediation=(
            "Admin console > 通讯录 > 成员管理 (未激活 filter): remove each listed account or have its "
            "owner activate it; tune lifecycle.never_activated_days for slow onboarding."
        ),
        evidence="API topapi/v2/user/list (active, hired_date)",
    )
    requires = (SectionName.USERS,)
    pass_message = "none of {checked} members has stayed unactivated past the allowed time after hire"
    fail_message = "{count} of {checked} members were never activated long after their hire date"

    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        """Unactivated members without a hire date cannot be dated: listed, not convicted."""
        outcome = super().evaluate(snapshot, policy)
        undated = sorted(u.userid for u in snapshot.users.get() if u.active is False and u.hired_at is None)
        if not undated:
            return outcome
        return outcome.extended(
            f"{len(undated)} unactivated members have no hire date (hired_date) to judge how long "
            "they have waited: confirm them in the admin console",
            undated_never_activated=undated,
        )

    def examined(self, snapshot: Snapshot, policy: Policy) -> int:
        return len(snapshot.users.get())

    def offenders(self, snapshot: Snapshot, policy: Policy) -> Iterable[Resource]:
        allowed = policy.lifecycle.never_activated_days
        for user in snapshot.users.get():
            if user.active is not False or user.hired_at is None:
                continue
            age = (snapshot.as_of - user.hired_at).days
            if age > allowed:
                yield user_resource(
                    user,
                    f"hired {user.hired_at:%Y-%m-%d} ({age} days ago) and never activated (allowed {allowed} days)",
                    hired_at=user.hired_at.isoformat(),
                    days_since_hire=age,
                )
