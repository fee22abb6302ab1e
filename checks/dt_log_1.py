"""DT.LOG.1 — admin and audit logs are kept for at least 90 days."""

from typing import Any, ClassVar

from dingscan.attestations import Attestation, RetentionStatement
from dingscan.attested import AttestedCheck, attestation_evidence, attested_by
from dingscan.check import CheckMetadata, Outcome
from dingscan.findings import Severity
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, SectionUnavailable, Snapshot


class AuditLogRetention(AttestedCheck):
    metadata = CheckMetadata(
        control_id="DT.LOG.1",
        title="Admin and audit logs are retained for at least 90 days",
        severity=Severity.HIGH,
        rationale=(
            "Account takeovers and data leaks are often found weeks after they happen; without "
            "90 days of admin-operation and file logs nobody can tell who changed a setting or "
            "downloaded a file. No API exposes the retention setting, so it is attested; on "
            "专属钉钉 the log APIs are probed 90 days back as supporting evidence."
        ),
        remediation=(
            "Admin console > 安全中心 > 操作日志 / 文件审计: keep logs for 90 days or more (or archive "
            "them, see DT.LOG.2), then record audit_log_retention.retention_days in the attestation "
            "file with the setting's screenshot or archive policy as evidence."
        ),
        evidence=(
            "attestation audit_log_retention (retention_days); supporting on 专属钉钉: "
            "exclusive/oaOperatorLogs/query and exclusive/fileAuditLogs probed 90 days back"
        ),
    )
    attestation = "audit_log_retention"
    supports = (SectionName.AUDIT_LOG_PROBE,)
    min_retention_days: ClassVar[int] = 90

    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        """The attestation decides; the probe is added to whatever it says, never replacing it."""
        outcome = super().evaluate(snapshot, policy)
        remark, probe = _probe(snapshot)
        return outcome.extended(remark, audit_log_probe=probe)

    def judge(self, statement: Attestation, snapshot: Snapshot, policy: Policy) -> Outcome:
        if not isinstance(statement, RetentionStatement):
            raise TypeError(f"{self.attestation} is not a retention statement")
        days, required = statement.retention_days, self.min_retention_days
        who = attested_by(statement)
        evidence = {**attestation_evidence(statement), "retention_days": days, "required_days": required}
        if days < required:
            return Outcome.failed(
                f"audit logs are kept {days} days, under the {required} required ({who})", **evidence
            )
        return Outcome.passed(f"audit logs are kept {days} days ({who})", **evidence)


def _probe(snapshot: Snapshot) -> tuple[str | None, dict[str, Any]]:
    """What the 专属钉钉 log probe adds: a remark for the message (None: nothing) and its evidence.

    Records in the window show the logs reach that far back; an empty window may be a quiet
    week, so it is reported and never taken as proof either way.
    """
    try:
        probe = snapshot.audit_log_probe.get()
    except SectionUnavailable as exc:
        return None, {"status": exc.status.value, "reason": exc.reason}
    window = f"{probe.window_start:%Y-%m-%d} to {probe.window_end:%Y-%m-%d}"
    counts = {"admin_log_records": probe.admin_log_records, "file_log_records": probe.file_log_records}
    evidence = {
        "window_start": probe.window_start.isoformat(),
        "window_end": probe.window_end.isoformat(),
        **counts,
    }
    probed = [n for n in counts.values() if n is not None]
    if any(probed):
        days_back = (snapshot.as_of - probe.window_end).days
        return f"the 专属钉钉 logs still hold records from {window}, at least {days_back} days back", evidence
    if probed:
        return f"the 专属钉钉 logs returned no records for {window} (a quiet week proves nothing)", evidence
    return None, evidence
