from dingscan.findings import Status
from factories import attestations, attested, evaluate, failed, snapshot


def test_trusted_devices_enforced_passes_with_details() -> None:
    statement = attested(answer=True, details="可信设备 required on desktop and mobile")
    finding = evaluate("DT.DAT.2", snapshot(attestations=attestations(trusted_devices_only=statement)))
    assert finding.status is Status.PASS
    assert "可信设备 required" in finding.message


def test_personal_devices_allowed_fails() -> None:
    snap = snapshot(attestations=attestations(trusted_devices_only=attested(answer=False)))
    finding = evaluate("DT.DAT.2", snap)
    assert finding.status is Status.FAIL
    assert "NOT in place" in finding.message


def test_missing_statement_is_manual() -> None:
    assert evaluate("DT.DAT.2", snapshot(attestations=attestations())).status is Status.MANUAL


def test_expired_statement_is_manual() -> None:
    statement = attested(answer=True, attested_on="2025-02-01")
    finding = evaluate("DT.DAT.2", snapshot(attestations=attestations(trusted_devices_only=statement)))
    assert finding.status is Status.MANUAL
    assert "expired on 2026-02-01" in finding.message


def test_attestation_file_not_loaded_is_error() -> None:
    assert evaluate("DT.DAT.2", snapshot(attestations=failed("no attestation file"))).status is Status.ERROR
