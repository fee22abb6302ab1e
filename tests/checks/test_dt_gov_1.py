from dingscan.attestations import Attestations
from dingscan.findings import Status
from factories import attestations, attested, evaluate, failed, snapshot


def assessment(last_done_on: str, attested_on: str = "2026-10-25") -> Attestations:
    return attestations(
        transfer_impact_assessment=attested(attested_on=attested_on, last_done_on=last_done_on)
    )


def test_assessment_reviewed_this_year_passes() -> None:
    finding = evaluate("DT.GOV.1", snapshot(attestations=assessment("2026-02-10")))
    assert finding.status is Status.PASS
    assert finding.evidence["age_days"] == 288


def test_assessment_older_than_a_year_fails() -> None:
    finding = evaluate("DT.GOV.1", snapshot(attestations=assessment("2025-10-01")))
    assert finding.status is Status.FAIL
    assert "overdue since 2026-10-01" in finding.message


def test_missing_assessment_is_manual() -> None:
    assert evaluate("DT.GOV.1", snapshot(attestations=attestations())).status is Status.MANUAL


def test_expired_statement_is_manual() -> None:
    finding = evaluate("DT.GOV.1", snapshot(attestations=assessment("2025-09-01", attested_on="2025-09-01")))
    assert finding.status is Status.MANUAL
    assert "expired on 2026-09-01" in finding.message


def test_attestation_file_not_loaded_is_error() -> None:
    assert evaluate("DT.GOV.1", snapshot(attestations=failed("no attestation file"))).status is Status.ERROR
