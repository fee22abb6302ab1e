from datetime import UTC, datetime

from dingscan.findings import Status
from dingscan.snapshot import AuditLogProbe
from factories import attestations, attested, evaluate, failed, not_applicable, snapshot


def retention(days: int, **extra: str) -> dict[str, object]:
    return {"audit_log_retention": attested(retention_days=days, **extra)}


def probe(admin_log: int | None, file_log: int | None) -> AuditLogProbe:
    # Ends 90 days before AS_OF (2026-11-25), like the collector's window.
    return AuditLogProbe(
        window_start=datetime(2026, 8, 20, 12, tzinfo=UTC),
        window_end=datetime(2026, 8, 27, 12, tzinfo=UTC),
        admin_log_records=admin_log,
        file_log_records=file_log,
    )


def test_attested_retention_of_90_days_passes_without_the_probe() -> None:
    finding = evaluate("DT.LOG.1", snapshot(attestations=attestations(**retention(90))))
    assert finding.status is Status.PASS
    assert finding.evidence["retention_days"] == 90
    assert finding.evidence["audit_log_probe"]["status"] == "failed"


def test_records_found_90_days_back_support_the_attestation() -> None:
    snap = snapshot(attestations=attestations(**retention(180)), audit_log_probe=probe(12, 0))
    finding = evaluate("DT.LOG.1", snap)
    assert finding.status is Status.PASS
    assert "at least 90 days back" in finding.message
    assert finding.evidence["audit_log_probe"]["admin_log_records"] == 12


def test_an_empty_probe_window_does_not_fail_an_attested_retention() -> None:
    snap = snapshot(attestations=attestations(**retention(90)), audit_log_probe=probe(0, 0))
    finding = evaluate("DT.LOG.1", snap)
    assert finding.status is Status.PASS
    assert "proves nothing" in finding.message


def test_retention_under_90_days_fails_even_when_old_records_exist() -> None:
    snap = snapshot(attestations=attestations(**retention(30)), audit_log_probe=probe(5, 5))
    finding = evaluate("DT.LOG.1", snap)
    assert finding.status is Status.FAIL
    assert "30 days" in finding.message
    assert "records from 2026-08-20" in finding.message


def test_records_found_without_an_attestation_are_not_a_pass() -> None:
    finding = evaluate("DT.LOG.1", snapshot(attestations=attestations(), audit_log_probe=probe(40, 40)))
    assert finding.status is Status.MANUAL
    assert "no 'audit_log_retention' statement" in finding.message
    assert finding.evidence["audit_log_probe"]["file_log_records"] == 40


def test_a_probe_that_could_not_reach_either_log_adds_nothing_to_the_message() -> None:
    snap = snapshot(attestations=attestations(**retention(90)), audit_log_probe=probe(None, None))
    finding = evaluate("DT.LOG.1", snap)
    assert finding.status is Status.PASS
    assert "专属钉钉" not in finding.message


def test_expired_attestation_is_manual() -> None:
    snap = snapshot(attestations=attestations(**retention(365, attested_on="2025-06-01")))
    finding = evaluate("DT.LOG.1", snap)
    assert finding.status is Status.MANUAL
    assert "expired on 2026-06-01" in finding.message


def test_probe_not_applicable_on_other_editions_leaves_the_attestation_to_decide() -> None:
    reason = "专属钉钉 only; supporting evidence skipped"
    snap = snapshot(attestations=attestations(**retention(90)), audit_log_probe=not_applicable(reason))
    finding = evaluate("DT.LOG.1", snap)
    assert finding.status is Status.PASS
    assert finding.evidence["audit_log_probe"] == {"status": "not_applicable", "reason": reason}


def test_attestation_file_not_loaded_is_error() -> None:
    finding = evaluate(
        "DT.LOG.1", snapshot(attestations=failed("attestation file not given"), audit_log_probe=probe(9, 9))
    )
    assert finding.status is Status.ERROR
