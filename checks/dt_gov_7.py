"""DT.GOV.7 — the organisation's identity is verified (企业认证)."""

from dingscan.check import Check, CheckMetadata, Outcome
from dingscan.findings import Resource, Severity
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, Snapshot

LEVELS = {1: "高级认证", 2: "中级认证"}  # authInfos authLevel; 0 = not verified


class OrganisationVerified(Check):
    metadata = CheckMetadata(
        control_id="DT.GOV.7",
        title="The organisation's identity is verified",
        severity=Severity.LOW,
        rationale=(
            "Certification (企业认证) binds the tenant to the registered company: partners and "
            "external contacts can tell the real organisation from an impersonator, and the "
            "company can prove ownership to recover the tenant if its primary admin is lost."
        ),
        remediation=(
            "Admin console > 设置 > 企业认证: submit the business registration documents and "
            "complete verification."
        ),
        evidence="API /v1.0/contact/organizations/authInfos (authLevel)",
    )
    requires = (SectionName.ORG,)

    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        org = snapshot.org.get()
        evidence = {"auth_level": org.auth_level, "license_org_name": org.license_org_name}
        if org.auth_level is None:
            return Outcome.manual(
                f"authInfos gave no authLevel for '{org.org_name}': check 设置 > 企业认证 in the admin console",
                **evidence,
            )
        if org.auth_level >= 1:
            level = LEVELS.get(org.auth_level, "verified")
            registered = f" as '{org.license_org_name}'" if org.license_org_name else ""
            return Outcome.passed(
                f"'{org.org_name}' is verified{registered} (authLevel {org.auth_level}, {level})", **evidence
            )
        return Outcome.failed(
            f"'{org.org_name}' is not verified (authLevel {org.auth_level})",
            [
                Resource(
                    type="org",
                    id=snapshot.corp_id or org.org_name,
                    name=org.org_name,
                    detail="no enterprise certification (企业认证)",
                )
            ],
            **evidence,
        )
