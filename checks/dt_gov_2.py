"""DT.GOV.2 — a data processing agreement with DingTalk or the reseller is signed."""

from dingscan.attested import AttestedCheck
from dingscan.check import CheckMetadata
from dingscan.findings import Severity


class DataProcessingAgreement(AttestedCheck):
    metadata = CheckMetadata(
        control_id="DT.GOV.2",
        title="A data processing agreement covers DingTalk",
        severity=Severity.HIGH,
        rationale=(
            "Under the PDPO the organisation remains the data user for everything staff put into "
            "DingTalk; DPP2(3) and DPP4(2) require contractual means to make the processor protect "
            "and not retain the data. Without an agreement there is no such means."
        ),
        remediation=(
            "Sign a data processing agreement with DingTalk, or through the authorised reseller if "
            "DingTalk offers none, then record it under data_processing_agreement in the "
            "attestation file with the contract reference."
        ),
        evidence="attestation data_processing_agreement",
    )
    attestation = "data_processing_agreement"
