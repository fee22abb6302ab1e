from dingscan.findings import Status
from factories import attestations, attested, evaluate, failed, snapshot


def controls(**fields: object) -> dict[str, object]:
    return {"watermark_and_download_controls": attested(**fields)}


def test_controls_on_passes() -> None:
    finding = evaluate("DT.DAT.3", snapshot(attestations=attestations(**controls(answer=True))))
    assert finding.status is Status.PASS
    assert finding.evidence["evidence"] == "ISMS-042"


def test_controls_off_fails() -> None:
    statement = controls(answer=False, details="watermark on, downloads unrestricted")
    finding = evaluate("DT.DAT.3", snapshot(attestations=attestations(**statement)))
    assert finding.status is Status.FAIL
    assert "downloads unrestricted" in finding.message


def test_missing_statement_is_manual() -> None:
    assert evaluate("DT.DAT.3", snapshot(attestations=attestations())).status is Status.MANUAL


def test_statement_past_its_expiry_date_is_manual() -> None:
    statement = controls(answer=True, expires_on="2026-11-01")
    finding = evaluate("DT.DAT.3", snapshot(attestations=attestations(**statement)))
    assert finding.status is Status.MANUAL
    assert "expired on 2026-11-01" in finding.message


def test_attestation_file_not_loaded_is_error() -> None:
    assert evaluate("DT.DAT.3", snapshot(attestations=failed("no attestation file"))).status is Status.ERROR
