"""DT.GOV.4 — the licence was bought from an authorised reseller, on record."""

from dingscan.attestations import Attestation, ResellerStatement
from dingscan.attested import AttestedCheck
from dingscan.check import CheckMetadata, Outcome
from dingscan.findings import Severity, Status
from dingscan.policy import Policy
from dingscan.snapshot import Snapshot


class AuthorisedReseller(AttestedCheck):
    metadata = CheckMetadata(
        control_id="DT.GOV.4",
        title="The licence comes from an authorised reseller",
        severity=Severity.MEDIUM,
        rationale=(
            "Licences sold through unauthorised channels have been followed by abnormal logins and "
            "remote suspension of the tenant. An authorised Hong Kong reseller, with an "
            "authorisation letter, a local invoice and a support SLA, is also the party through "
            "which a data processing agreement can be signed."
        ),
        remediation=(
            "Check the reseller on DingTalk's official partner list (region Hong Kong), keep its "
            "authorisation letter number, an invoice from a Hong Kong entity in the company's name "
            "and the SLA; record them under authorised_reseller (reseller, authorisation_number)."
        ),
        evidence="attestation authorised_reseller (reseller, authorisation_number)",
    )
    attestation = "authorised_reseller"

    def judge(self, statement: Attestation, snapshot: Snapshot, policy: Policy) -> Outcome:
        """A "yes" names the reseller and its authorisation number, or it proves nothing."""
        if not isinstance(statement, ResellerStatement):
            raise TypeError(f"{self.attestation} is not a reseller statement")
        outcome = super().judge(statement, snapshot, policy)
        evidence = {
            **outcome.evidence,
            "reseller": statement.reseller,
            "authorisation_number": statement.authorisation_number,
        }
        if outcome.status is not Status.PASS:
            return outcome.model_copy(update={"evidence": evidence})
        fields = {"reseller name": statement.reseller, "authorisation number": statement.authorisation_number}
        if missing := [label for label, value in fields.items() if not value]:
            return Outcome.failed(
                f"attested, but the statement lacks the {' and '.join(missing)}: {outcome.message}",
                **evidence,
            )
        return Outcome.passed(
            f"bought from {statement.reseller} (authorisation {statement.authorisation_number}), "
            f"{outcome.message}",
            **evidence,
        )
