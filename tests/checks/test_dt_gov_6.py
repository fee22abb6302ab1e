from dingscan.findings import Status
from factories import attestations, attested, evaluate, failed, snapshot


def test_rules_issued_passes() -> None:
    statement = attested(answer=True, details="Notice IT-2026-03, effective 2026-03-01")
    finding = evaluate("DT.GOV.6", snapshot(attestations=attestations(acceptable_use_rules=statement)))
    assert finding.status is Status.PASS
    assert finding.evidence["attested_on"] == "2026-10-25"


def test_rules_not_issued_fails() -> None:
    snap = snapshot(attestations=attestations(acceptable_use_rules=attested(answer=False)))
    assert evaluate("DT.GOV.6", snap).status is Status.FAIL


def test_missing_statement_is_manual() -> None:
    finding = evaluate("DT.GOV.6", snapshot(attestations=attestations()))
    assert finding.status is Status.MANUAL
    assert "'acceptable_use_rules'" in finding.message


def test_expired_statement_is_manual() -> None:
    statement = attested(answer=True, attested_on="2025-11-01")
    finding = evaluate("DT.GOV.6", snapshot(attestations=attestations(acceptable_use_rules=statement)))
    assert finding.status is Status.MANUAL
    assert "expired on 2026-11-01" in finding.message


def test_attestation_file_not_loaded_is_error() -> None:
    assert evaluate("DT.GOV.6", snapshot(attestations=failed("no attestation file"))).status is Status.ERROR
