"""DT.DAT.2 — DingTalk is used only on company-managed, trusted devices."""

from dingscan.attested import AttestedCheck
from dingscan.check import CheckMetadata
from dingscan.findings import Severity


class TrustedDevicesOnly(AttestedCheck):
    metadata = CheckMetadata(
        control_id="DT.DAT.2",
        title="Login is allowed only from company devices",
        severity=Severity.HIGH,
        rationale=(
            "Chats and files synced to a personal phone or a shared computer leave with it: the "
            "company cannot wipe, patch or audit that device. Staff rules already forbid personal "
            "devices; the device-trust setting is what enforces them. No API reads the setting."
        ),
        remediation=(
            "Admin console > 安全中心 > 设备管理 > 可信设备 (专属钉钉): require trusted devices for "
            "login on desktop and mobile and approve company devices only; record the setting "
            "under trusted_devices_only in the attestation file."
        ),
        evidence="attestation trusted_devices_only",
    )
    attestation = "trusted_devices_only"
