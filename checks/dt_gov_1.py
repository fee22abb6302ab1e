"""DT.GOV.1 — a cross-border transfer impact assessment is on record and reviewed yearly."""

from dingscan.attested import RecurringTaskCheck
from dingscan.check import CheckMetadata
from dingscan.findings import Severity


class TransferImpactAssessment(RecurringTaskCheck):
    metadata = CheckMetadata(
        control_id="DT.GOV.1",
        title="A cross-border transfer impact assessment is reviewed yearly",
        severity=Severity.HIGH,
        rationale=(
            "DingTalk's servers are in mainland China, so everything staff put into it is "
            "transferred out of Hong Kong. The PCPD's 2023 guidance expects the data user to assess "
            "that transfer before making it and to revisit the assessment as use changes; the "
            "PCPD has warned organisations that skipped it."
        ),
        remediation=(
            "Carry out (or review) a transfer impact assessment covering the staff and customer "
            "data held in DingTalk, where it is stored and the safeguards in place; have it signed "
            "off and record the date under transfer_impact_assessment.last_done_on."
        ),
        evidence="attestation transfer_impact_assessment (last_done_on)",
    )
    attestation = "transfer_impact_assessment"
    task = "the last transfer impact assessment"
    max_age_days = 365
