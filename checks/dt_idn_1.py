"""DT.IDN.1 — every active member signs in through the corporate identity provider (SSO).

Whether SSO is *enforced* is not readable from the API, so the control rests on the operator's
``sso_enforced`` statement. Where the tenant has enterprise accounts (专属账号), the users list
shows each member's account type, which can contradict that statement: an active member outside
``break_glass_accounts`` whose ``exclusive_account_type`` is not ``sso`` signs in some other way.
Members whose activation is unknown (``active`` None) are not counted: they cannot be judged.

The API evidence can only convict. It is checked even when the statement is missing or expired:
non-SSO members prove a FAIL on their own, while full coverage still needs the statement.
"""

from typing import Any

from dingscan.attestations import Attestation, SsoStatement
from dingscan.attested import AttestedCheck, attestation_evidence, attested_by
from dingscan.check import CheckMetadata, Outcome, has_enterprise_accounts, user_resource, without_sso
from dingscan.findings import Resource, Severity, Status
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, Snapshot


class SsoEnforced(AttestedCheck):
    metadata = CheckMetadata(
        control_id="DT.IDN.1",
        title="SSO through the corporate identity provider is enforced for every active member",
        severity=Severity.CRITICAL,
        rationale=(
            "With SSO, joining, leaving, MFA and password rules are decided once, in the corporate "
            "identity provider; a member who signs in with a DingTalk-managed or personal account "
            "escapes all of them and keeps access when the corporate account is disabled."
        ),
        remediation=(
            "Admin console > 通讯录 > 专属账号 / 身份源: connect the corporate IdP (Azure AD, Google "
            "Workspace), convert each listed member to an SSO enterprise account, keep only documented "
            "emergency accounts in break_glass_accounts, and record sso_enforced in the attestation file."
        ),
        evidence=(
            "attestation sso_enforced (answer, identity_provider) + API topapi/v2/user/list "
            "(exclusive_account, exclusive_account_type) where enterprise accounts exist"
        ),
    )
    attestation = "sso_enforced"
    requires = (SectionName.ATTESTATIONS, SectionName.USERS)

    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        outcome = super().evaluate(snapshot, policy)
        if outcome.status is not Status.MANUAL:
            return outcome
        offenders, coverage = _sso_coverage(snapshot, policy)
        if offenders:
            return Outcome.failed(
                f"{len(offenders)} of {coverage['members_in_scope']} active members sign in without SSO; "
                f"{outcome.message}",
                offenders,
                **coverage,
                attestation=outcome.message,
            )
        return outcome.extended(**coverage)

    def judge(self, statement: Attestation, snapshot: Snapshot, policy: Policy) -> Outcome:
        if not isinstance(statement, SsoStatement):
            raise TypeError("sso_enforced must be an SSO statement")
        offenders, coverage = _sso_coverage(snapshot, policy)
        evidence = {**attestation_evidence(statement), "identity_provider": statement.identity_provider}
        evidence |= coverage
        idp = f" through {statement.identity_provider}" if statement.identity_provider else ""
        who = attested_by(statement)
        if not statement.answer:
            return Outcome.failed(f"SSO attested as NOT enforced ({who})", offenders, **evidence)
        if offenders:
            return Outcome.failed(
                f"contradiction: SSO{idp} attested as enforced ({who}) but {len(offenders)} of "
                f"{coverage['members_in_scope']} active members sign in without SSO",
                offenders,
                **evidence,
            )
        if not coverage["enterprise_accounts"]:
            return Outcome.passed(
                f"SSO{idp} enforced, {who}; per-member API evidence not applicable: the tenant has no "
                "enterprise accounts (专属账号)",
                **evidence,
            )
        return Outcome.passed(
            f"SSO{idp} enforced, {who}; all {coverage['members_in_scope']} non-exempt active members "
            "use SSO accounts",
            **evidence,
        )


def _sso_coverage(snapshot: Snapshot, policy: Policy) -> tuple[list[Resource], dict[str, Any]]:
    """Active non-exempt members not on SSO (where enterprise accounts exist), and the coverage."""
    users = snapshot.users.get()
    if not has_enterprise_accounts(users):
        return [], {"enterprise_accounts": False}
    exempt = set(policy.break_glass_accounts)
    active = [u for u in users if u.active is True]
    in_scope = [u for u in active if u.userid not in exempt]
    offenders = [
        user_resource(
            u,
            f"active member {without_sso(u)}",
            exclusive_account=u.exclusive_account,
            exclusive_account_type=u.exclusive_account_type,
        )
        for u in in_scope
        if not u.uses_sso
    ]
    covered = len(in_scope) - len(offenders)
    return sorted(offenders, key=lambda r: r.id), {
        "enterprise_accounts": True,
        "members_in_scope": len(in_scope),
        "sso_members": covered,
        "sso_coverage_percent": round(100 * covered / len(in_scope), 1) if in_scope else 100.0,
        "exempted_break_glass": sorted(u.userid for u in active if u.userid in exempt),
    }
