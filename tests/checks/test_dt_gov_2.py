from dingscan.findings import Status
from factories import attestations, attested, evaluate, failed, snapshot


def test_signed_agreement_passes() -> None:
    statement = attested(answer=True, details="DPA via reseller, contract C-2026-17")
    finding = evaluate("DT.GOV.2", snapshot(attestations=attestations(data_processing_agreement=statement)))
    assert finding.status is Status.PASS
    assert "C-2026-17" in finding.message
    assert finding.evidence["valid_until"] == "2027-10-25"


def test_no_agreement_fails() -> None:
    snap = snapshot(attestations=attestations(data_processing_agreement=attested(answer=False)))
    assert evaluate("DT.GOV.2", snap).status is Status.FAIL


def test_missing_statement_is_manual() -> None:
    finding = evaluate("DT.GOV.2", snapshot(attestations=attestations()))
    assert finding.status is Status.MANUAL
    assert "'data_processing_agreement'" in finding.message


def test_expired_statement_is_manual() -> None:
    statement = attested(answer=True, attested_on="2025-10-01")
    finding = evaluate("DT.GOV.2", snapshot(attestations=attestations(data_processing_agreement=statement)))
    assert finding.status is Status.MANUAL
    assert "expired on 2026-10-01" in finding.message


def test_attestation_file_not_loaded_is_error() -> None:
    assert evaluate("DT.GOV.2", snapshot(attestations=failed("no attestation file"))).status is Status.ERROR
