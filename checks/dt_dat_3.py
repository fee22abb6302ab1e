"""DT.DAT.3 — watermark, screenshot and download controls are on."""

from dingscan.attested import AttestedCheck
from dingscan.check import CheckMetadata
from dingscan.findings import Severity


class WatermarkAndDownloadControls(AttestedCheck):
    metadata = CheckMetadata(
        control_id="DT.DAT.3",
        title="Watermark, screenshot and download controls are on",
        severity=Severity.MEDIUM,
        rationale=(
            "Chat records and files leave the company most often by screenshot, download or "
            "forward. Watermarks make a leaked image traceable to a person, and screenshot and "
            "download bans stop the casual copy; the settings are not readable through the API."
        ),
        remediation=(
            "Admin console > 安全中心 > 信息防泄漏 (水印, 防截屏, 文件下载管控): turn on the chat and "
            "file watermark and restrict screenshots and downloads of sensitive groups and files; "
            "record it under watermark_and_download_controls in the attestation file."
        ),
        evidence="attestation watermark_and_download_controls",
    )
    attestation = "watermark_and_download_controls"
