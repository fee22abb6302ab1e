"""DT.GOV.3 — staff are told about monitoring and where their data is held."""

from dingscan.attested import AttestedCheck
from dingscan.check import CheckMetadata
from dingscan.findings import Severity


class StaffNotice(AttestedCheck):
    metadata = CheckMetadata(
        control_id="DT.GOV.3",
        title="Staff have a notice covering monitoring and data location",
        severity=Severity.MEDIUM,
        rationale=(
            "DPP1 requires telling people, when their data is collected, what it is for and who "
            "receives it. Staff should know that DingTalk activity is logged and audited and that "
            "their messages and files are stored in mainland China, and consent to it."
        ),
        remediation=(
            "Issue a Personal Information Collection Statement (PICS) to staff covering DingTalk "
            "monitoring, audit logging and the data's location, collect acknowledgements, and "
            "record it under staff_notice in the attestation file."
        ),
        evidence="attestation staff_notice",
    )
    attestation = "staff_notice"
