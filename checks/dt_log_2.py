"""DT.LOG.2 — audit logs are exported to a SIEM or archive every month."""

from dingscan.attested import RecurringTaskCheck
from dingscan.check import CheckMetadata
from dingscan.findings import Severity


class AuditLogExport(RecurringTaskCheck):
    metadata = CheckMetadata(
        control_id="DT.LOG.2",
        title="Audit logs are exported to a SIEM or archive monthly",
        severity=Severity.MEDIUM,
        rationale=(
            "Logs that stay only in DingTalk can be read only by its administrators, for as long "
            "as DingTalk keeps them, and vanish with the tenant. A regular export puts them where "
            "the security team correlates them and where a compromised admin cannot erase them."
        ),
        remediation=(
            "Export the admin operation log and file audit log (admin console > 安全中心 > 操作日志, "
            "or the 专属钉钉 log APIs) to the SIEM or a write-once archive at least monthly; record "
            "the date under audit_log_export.last_done_on."
        ),
        evidence="attestation audit_log_export (last_done_on)",
    )
    attestation = "audit_log_export"
    task = "the last audit-log export"
    max_age_days = 31
