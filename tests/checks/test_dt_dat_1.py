from dingscan.attestations import Attestations
from dingscan.findings import Status
from factories import attestations, attested, evaluate, failed, snapshot


def backups(last_done_on: str, attested_on: str = "2026-11-20") -> Attestations:
    return attestations(backups=attested(attested_on=attested_on, last_done_on=last_done_on))


def test_backup_this_month_passes() -> None:
    finding = evaluate("DT.DAT.1", snapshot(attestations=backups("2026-11-15")))
    assert finding.status is Status.PASS
    assert finding.evidence["last_done_on"] == "2026-11-15"
    assert finding.evidence["attested_by"] == "Jane Chan, IT Security"


def test_backup_exactly_31_days_ago_still_passes() -> None:
    assert evaluate("DT.DAT.1", snapshot(attestations=backups("2026-10-25"))).status is Status.PASS


def test_backup_older_than_a_month_fails() -> None:
    finding = evaluate("DT.DAT.1", snapshot(attestations=backups("2026-09-30")))
    assert finding.status is Status.FAIL
    assert "56 days ago" in finding.message


def test_missing_statement_is_manual() -> None:
    finding = evaluate("DT.DAT.1", snapshot(attestations=attestations()))
    assert finding.status is Status.MANUAL
    assert "'backups'" in finding.message


def test_expired_statement_is_manual() -> None:
    finding = evaluate("DT.DAT.1", snapshot(attestations=backups("2026-10-01", attested_on="2026-10-01")))
    assert finding.status is Status.MANUAL
    assert "expired on 2026-11-01" in finding.message


def test_attestation_file_not_loaded_is_error() -> None:
    assert evaluate("DT.DAT.1", snapshot(attestations=failed("no attestation file"))).status is Status.ERROR
