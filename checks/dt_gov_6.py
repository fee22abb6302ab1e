"""DT.GOV.6 — acceptable-use rules for DingTalk are issued to staff."""

from dingscan.attested import AttestedCheck
from dingscan.check import CheckMetadata
from dingscan.findings import Severity


class AcceptableUseRules(AttestedCheck):
    metadata = CheckMetadata(
        control_id="DT.GOV.6",
        title="Acceptable-use rules for DingTalk are issued",
        severity=Severity.MEDIUM,
        rationale=(
            "Settings cannot cover everything: staff must know that chats and files are company "
            "assets, that personal devices, chat exports and message-reading plugins are not "
            "allowed, and that a suspicious login or stolen account is reported within 24 hours."
        ),
        remediation=(
            "Publish an internal notice (background, effective date, consequences, IT contact) "
            "forbidding personal devices, unauthorised chat download or forwarding and third-party "
            "plugins, and requiring incident reports within 24 hours; record it under "
            "acceptable_use_rules in the attestation file."
        ),
        evidence="attestation acceptable_use_rules",
    )
    attestation = "acceptable_use_rules"
