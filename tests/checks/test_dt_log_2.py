from dingscan.attestations import Attestations
from dingscan.findings import Status
from factories import attestations, attested, evaluate, failed, snapshot


def export(last_done_on: str, attested_on: str = "2026-11-20") -> Attestations:
    return attestations(audit_log_export=attested(attested_on=attested_on, last_done_on=last_done_on))


def test_export_within_31_days_passes() -> None:
    finding = evaluate("DT.LOG.2", snapshot(attestations=export("2026-11-01")))
    assert finding.status is Status.PASS
    assert finding.evidence["age_days"] == 24


def test_export_older_than_31_days_fails() -> None:
    finding = evaluate("DT.LOG.2", snapshot(attestations=export("2026-10-20")))
    assert finding.status is Status.FAIL
    assert "overdue since 2026-11-20" in finding.message


def test_missing_statement_is_manual() -> None:
    assert evaluate("DT.LOG.2", snapshot(attestations=attestations())).status is Status.MANUAL


def test_monthly_statement_expires_after_a_month() -> None:
    finding = evaluate("DT.LOG.2", snapshot(attestations=export("2026-10-01", attested_on="2026-10-01")))
    assert finding.status is Status.MANUAL
    assert "expired on 2026-11-01" in finding.message


def test_attestation_file_not_loaded_is_error() -> None:
    assert (
        evaluate("DT.LOG.2", snapshot(attestations=failed("attestation file not given"))).status
        is Status.ERROR
    )
