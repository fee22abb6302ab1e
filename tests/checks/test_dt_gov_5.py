from dingscan.attestations import Attestations
from dingscan.findings import Status
from factories import attestations, attested, evaluate, failed, snapshot


def training(
    last_done_on: str, attendance_kept: bool = True, attested_on: str = "2026-10-25"
) -> Attestations:
    record = attested(attested_on=attested_on, last_done_on=last_done_on, attendance_kept=attendance_kept)
    return attestations(security_training=record)


def test_training_this_quarter_with_attendance_passes() -> None:
    finding = evaluate("DT.GOV.5", snapshot(attestations=training("2026-10-20")))
    assert finding.status is Status.PASS
    assert finding.evidence["attendance_kept"] is True


def test_training_older_than_a_quarter_fails() -> None:
    finding = evaluate("DT.GOV.5", snapshot(attestations=training("2026-08-01")))
    assert finding.status is Status.FAIL
    assert "116 days ago" in finding.message


def test_recent_training_without_attendance_records_fails() -> None:
    finding = evaluate("DT.GOV.5", snapshot(attestations=training("2026-10-20", attendance_kept=False)))
    assert finding.status is Status.FAIL
    assert "no attendance record" in finding.message
    assert finding.evidence["attendance_kept"] is False


def test_missing_record_is_manual() -> None:
    assert evaluate("DT.GOV.5", snapshot(attestations=attestations())).status is Status.MANUAL


def test_record_expires_after_a_quarter() -> None:
    finding = evaluate("DT.GOV.5", snapshot(attestations=training("2026-08-01", attested_on="2026-08-01")))
    assert finding.status is Status.MANUAL
    assert "expired on 2026-11-01" in finding.message


def test_attestation_file_not_loaded_is_error() -> None:
    assert evaluate("DT.GOV.5", snapshot(attestations=failed("no attestation file"))).status is Status.ERROR
