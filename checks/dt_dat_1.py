"""DT.DAT.1 — chats and files are backed up every month."""

from dingscan.attested import RecurringTaskCheck
from dingscan.check import CheckMetadata
from dingscan.findings import Severity


class MonthlyBackup(RecurringTaskCheck):
    metadata = CheckMetadata(
        control_id="DT.DAT.1",
        title="Chats and files are backed up monthly",
        severity=Severity.MEDIUM,
        rationale=(
            "Chats and files are company records held on a provider's servers outside Hong Kong; "
            "a monthly export to local or encrypted cloud storage keeps them available after an "
            "account suspension, a dispute or a provider outage."
        ),
        remediation=(
            "Export chats and files (admin console > 数据管理 / 钉盘 export) to local or encrypted "
            "cloud storage at least monthly and record the date under backups.last_done_on."
        ),
        evidence="attestation backups (last_done_on)",
    )
    attestation = "backups"
    task = "the last backup"
    max_age_days = 31
