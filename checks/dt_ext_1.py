"""DT.EXT.1 — external groups are restricted: no automatic joining, creation limited.

The organisation-level external-group settings have no read API, so the verdict is the operator's
``external_groups_restricted`` statement. On 专属钉钉 the external groups under audit
(``audits/outsideGroups``) are added as supporting evidence when they were collected; they are
optional (``supports``, not ``requires``) and never decide the verdict: a restricted tenant may still have
approved external groups.
"""

from typing import Any

from dingscan.attested import AttestedCheck
from dingscan.check import CheckMetadata, Outcome
from dingscan.findings import Severity
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, SectionStatus, Snapshot


class ExternalGroupsRestricted(AttestedCheck):
    metadata = CheckMetadata(
        control_id="DT.EXT.1",
        title="External groups are restricted",
        severity=Severity.HIGH,
        rationale=(
            "A group with outsiders in it is a channel out of the organisation: when members are "
            "joined to external groups automatically, or anyone may create one, staff and customer "
            "personal data reach people the company has no agreement with."
        ),
        remediation=(
            "Admin console > 安全中心 / 设置 > 外部协作 (external collaboration): turn off automatic "
            "joining of external groups and limit who may create them, then record "
            "external_groups_restricted in the attestation file."
        ),
        evidence=(
            "attestation external_groups_restricted (+ 专属钉钉 /v1.0/exclusive/audits/outsideGroups "
            "as supporting evidence when collected)"
        ),
    )
    attestation = "external_groups_restricted"
    supports = (SectionName.EXTERNAL_GROUPS,)

    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        outcome = super().evaluate(snapshot, policy)
        return outcome.extended(**_external_groups(snapshot))


def _external_groups(snapshot: Snapshot) -> dict[str, Any]:
    section = snapshot.external_groups
    if section.status not in (SectionStatus.COLLECTED, SectionStatus.PARTIAL) or section.data is None:
        return {"external_groups": f"not collected: {section.reason or 'unknown reason'}"}
    evidence: dict[str, Any] = {
        "external_groups_under_audit": len(section.data),
        "external_group_ids": sorted(g.group_id for g in section.data),  # the API gives no names
    }
    if section.status is SectionStatus.PARTIAL:
        evidence["external_groups_incomplete"] = section.reason
    return evidence
