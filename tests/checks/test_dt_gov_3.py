from dingscan.findings import Status
from factories import attestations, attested, evaluate, failed, snapshot


def test_notice_issued_passes() -> None:
    snap = snapshot(
        attestations=attestations(staff_notice=attested(answer=True, details="PICS v3, signed by all"))
    )
    finding = evaluate("DT.GOV.3", snap)
    assert finding.status is Status.PASS
    assert "PICS v3" in finding.message


def test_no_notice_fails() -> None:
    snap = snapshot(attestations=attestations(staff_notice=attested(answer=False)))
    assert evaluate("DT.GOV.3", snap).status is Status.FAIL


def test_missing_statement_is_manual() -> None:
    assert evaluate("DT.GOV.3", snapshot(attestations=attestations())).status is Status.MANUAL


def test_expired_statement_is_manual() -> None:
    snap = snapshot(attestations=attestations(staff_notice=attested(answer=True, attested_on="2025-05-05")))
    finding = evaluate("DT.GOV.3", snap)
    assert finding.status is Status.MANUAL
    assert "expired on 2026-05-05" in finding.message


def test_attestation_file_not_loaded_is_error() -> None:
    assert evaluate("DT.GOV.3", snapshot(attestations=failed("no attestation file"))).status is Status.ERROR
