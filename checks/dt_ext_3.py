"""DT.EXT.3 — every partner organisation joined (关联组织) is on the approved list."""

from collections.abc import Iterable

from dingscan.check import CheckMetadata, RuleCheck
from dingscan.findings import Resource, Severity
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, Snapshot


class ApprovedPartnerOrgs(RuleCheck):
    metadata = CheckMetadata(
        control_id="DT.EXT.3",
        title="Only approved partner organisations are joined",
        severity=Severity.MEDIUM,
        rationale=(
            "Joining another organisation (关联组织 / 上下游) mirrors directories and opens channels "
            "between the two tenants; each such link is a supplier relationship that needs an "
            "owner, an agreement and a decision on record."
        ),
        remediation=(
            "Admin console > 通讯录 > 关联组织: leave each listed organisation, or approve it and add "
            "its corp_id to approved_partner_orgs in the policy."
        ),
        evidence="API topapi/union/cooperate/joined/list (corp_id, org_name), against approved_partner_orgs",
    )
    requires = (SectionName.PARTNER_ORGS,)
    pass_message = "all {checked} joined partner organisations are approved"
    fail_message = "{count} of {checked} joined partner organisations are not approved"

    def examined(self, snapshot: Snapshot, policy: Policy) -> int:
        return len(snapshot.partner_orgs.get())

    def offenders(self, snapshot: Snapshot, policy: Policy) -> Iterable[Resource]:
        approved = set(policy.approved_partner_orgs)
        for org in snapshot.partner_orgs.get():
            if org.corp_id not in approved:
                yield Resource(
                    type="partner_org",
                    id=org.corp_id,
                    name=org.org_name or None,
                    detail="joined partner organisation not in approved_partner_orgs",
                )
