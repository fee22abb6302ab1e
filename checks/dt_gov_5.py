"""DT.GOV.5 — security training every quarter, with attendance kept."""

from dingscan.attestations import Attestation, TrainingRecord
from dingscan.attested import RecurringTaskCheck
from dingscan.check import CheckMetadata, Outcome
from dingscan.findings import Severity
from dingscan.policy import Policy
from dingscan.snapshot import Snapshot


class QuarterlySecurityTraining(RecurringTaskCheck):
    metadata = CheckMetadata(
        control_id="DT.GOV.5",
        title="Security training is held quarterly with attendance kept",
        severity=Severity.MEDIUM,
        rationale=(
            "Phishing, account theft and careless forwarding are people problems; quarterly "
            "training keeps the rules fresh, and attendance and quiz records are what an auditor "
            "or the PCPD asks for to show that staff were actually trained."
        ),
        remediation=(
            "Hold security awareness training at least every quarter (DingTalk use, phishing, "
            "reporting within 24 hours), keep attendance and quiz results, and record the date "
            "under security_training.last_done_on with attendance_kept: yes."
        ),
        evidence="attestation security_training (last_done_on, attendance_kept)",
    )
    attestation = "security_training"
    task = "the last security training"
    max_age_days = 92

    def judge(self, statement: Attestation, snapshot: Snapshot, policy: Policy) -> Outcome:
        """On time is not enough: training nobody can show was attended does not count."""
        if not isinstance(statement, TrainingRecord):
            raise TypeError(f"{self.attestation} is not a training record")
        outcome = super().judge(statement, snapshot, policy)
        evidence = {**outcome.evidence, "attendance_kept": statement.attendance_kept}
        if statement.attendance_kept:
            return outcome.model_copy(update={"evidence": evidence})
        return Outcome.failed(f"{outcome.message}, but no attendance record was kept", **evidence)
