"""DT.PRV.4 — every administrator's account is sound: activated, corporate, SSO, current, in use.

One resource per offending administrator lists every reason. An administrator missing from a
complete users list is an offender in itself: ``listadmin`` ignores the app's contact scope, so
an admin the directory does not show is a mirrored, hidden or half-removed account (from a
partial list, absence proves nothing). The corporate-domain criterion applies only when
``corporate_domains`` is set, and then an admin needs at least one address and every address on
a corporate domain. SSO is required only where the tenant has enterprise accounts, and
``break_glass_accounts`` are exempt from it. A leaver re-hired after the leave record is not a
leaver. Only the admin list is required: each other section adds criteria, and without it an
unsound account the rest shows still fails (the evidence says which criteria were not checked).
"""

from collections.abc import Iterable, Iterator

from dingscan.check import (
    CheckMetadata,
    Outcome,
    RuleCheck,
    admin_resource,
    departure,
    has_enterprise_accounts,
    without_sso,
)
from dingscan.findings import Resource, Severity
from dingscan.policy import Policy, on_domains
from dingscan.snapshot import SectionName, SectionStatus, Snapshot, User


class AdminAccountsSound(RuleCheck):
    metadata = CheckMetadata(
        control_id="DT.PRV.4",
        title="Administrator accounts are activated, corporate, on SSO, current and in use",
        severity=Severity.HIGH,
        rationale=(
            "An administrator account is the key to the whole tenant. One that was never activated, "
            "sits on an outside mailbox, bypasses SSO, belongs to someone who left or is no longer "
            "used can be claimed or abused without anyone noticing."
        ),
        remediation=(
            "Admin console > 权限管理 > 管理员 / 子管理员: revoke admin rights from each listed account, "
            "or fix the reason given (activate it, move it to a corporate address and an SSO "
            "enterprise account via 通讯录 > 成员管理); remove leavers' and unused accounts' rights first."
        ),
        evidence=(
            "API topapi/user/listadmin joined with topapi/v2/user/list (active, email, org_email, "
            "exclusive_account_type), /v1.0/contact/empLeaveRecords and topapi/inactive/user/v2/get"
        ),
    )
    requires = (SectionName.ADMINS,)
    enriches = (
        SectionName.USERS,
        SectionName.USER_EMAILS,
        SectionName.LEAVE_RECORDS,
        SectionName.DORMANCY,
    )
    pass_message = "all {checked} administrator accounts are sound"
    fail_message = "{count} of {checked} administrator accounts are unsound"

    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        outcome = super().evaluate(snapshot, policy)
        users, dormancy, leavers = (
            snapshot.users.known(),
            snapshot.dormancy.known(),
            snapshot.leave_records.known(),
        )
        corporate = (
            "skipped: no corporate_domains in the policy"
            if not policy.corporate_domains
            else f"checked against {', '.join(policy.corporate_domains)}"
            if _emails_known(snapshot)
            else NOT_CHECKED
        )
        criteria = {
            "activated": "checked" if users is not None else NOT_CHECKED,
            "corporate_domain": corporate,
            "sso": NOT_CHECKED
            if users is None
            else "checked"
            if has_enterprise_accounts(users)
            else "skipped: no enterprise accounts",
            "leavers": f"checked against leave records {leavers.window}" if leavers else NOT_CHECKED,
            "dormancy": f"no login from {dormancy.first_day} to {dormancy.last_day}"
            if dormancy
            else NOT_CHECKED,
        }
        return outcome.extended(criteria=criteria)

    def examined(self, snapshot: Snapshot, policy: Policy) -> int:
        return len(snapshot.admins.get())

    def offenders(self, snapshot: Snapshot, policy: Policy) -> Iterable[Resource]:
        users = {u.userid: u for u in snapshot.users.known() or []}
        enterprise = has_enterprise_accounts(users.values())
        emails = _emails_known(snapshot)
        leavers = snapshot.leave_records.known()
        left = leavers.latest() if leavers else {}
        dormancy = snapshot.dormancy.known()
        # Absence from a partial users list proves nothing; the engine then refuses the PASS.
        whole_directory = snapshot.users.status is SectionStatus.COLLECTED
        for admin in snapshot.admins.get():
            user = users.get(admin.userid)
            reasons = [] if user is None else list(_account_faults(user, policy, enterprise, emails))
            if user is None and whole_directory:
                reasons.append("not in the directory (listed by listadmin only)")
            if (record := left.get(admin.userid)) and not (user and user.rejoined_after(record)):
                reasons.append(departure(record))
            if dormancy and admin.userid in dormancy.dormant_userids:
                reasons.append(f"no login from {dormancy.first_day} to {dormancy.last_day}")
            if reasons:
                yield admin_resource(
                    admin,
                    users,
                    "; ".join(reasons),
                    known_as=record.name if record else None,
                    dept_ids=user.dept_ids if user else None,
                    reasons=reasons,
                )


NOT_CHECKED = "not checked: its data was not collected"


def _emails_known(snapshot: Snapshot) -> bool:
    """Members' email fields are visible: only then does a missing address prove anything."""
    return snapshot.user_emails.known() is not None and snapshot.users.known() is not None


def _account_faults(user: User, policy: Policy, enterprise: bool, emails: bool) -> Iterator[str]:
    if user.active is False:
        yield "has not activated DingTalk"
    if policy.corporate_domains:
        if emails and not user.addresses:
            yield "no email address on a corporate domain"
        if foreign := [a for a in user.addresses if not on_domains(a, policy.corporate_domains)]:
            yield f"address not on a corporate domain: {', '.join(foreign)}"
    if enterprise and not user.uses_sso and user.userid not in policy.break_glass_accounts:
        yield without_sso(user)
