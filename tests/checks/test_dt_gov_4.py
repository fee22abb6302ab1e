from dingscan.findings import Status
from factories import attestations, attested, evaluate, failed, snapshot

RESELLER = {"reseller": "Harbour Cloud Ltd", "authorisation_number": "DT-HK-2026-0042"}


def reseller(**fields: object) -> dict[str, object]:
    return {"authorised_reseller": attested(**fields)}


def test_named_authorised_reseller_passes() -> None:
    finding = evaluate("DT.GOV.4", snapshot(attestations=attestations(**reseller(answer=True, **RESELLER))))
    assert finding.status is Status.PASS
    assert "Harbour Cloud Ltd (authorisation DT-HK-2026-0042)" in finding.message
    assert finding.evidence["authorisation_number"] == "DT-HK-2026-0042"


def test_yes_without_reseller_details_fails_saying_what_is_missing() -> None:
    finding = evaluate("DT.GOV.4", snapshot(attestations=attestations(**reseller(answer=True))))
    assert finding.status is Status.FAIL
    assert "reseller name and authorisation number" in finding.message


def test_yes_without_authorisation_number_fails() -> None:
    statement = reseller(answer=True, reseller="Harbour Cloud Ltd", authorisation_number="")
    finding = evaluate("DT.GOV.4", snapshot(attestations=attestations(**statement)))
    assert finding.status is Status.FAIL
    assert "lacks the authorisation number" in finding.message


def test_unauthorised_channel_fails() -> None:
    finding = evaluate(
        "DT.GOV.4", snapshot(attestations=attestations(**reseller(answer=False, reseller="eBay")))
    )
    assert finding.status is Status.FAIL
    assert finding.evidence["reseller"] == "eBay"


def test_missing_statement_is_manual() -> None:
    assert evaluate("DT.GOV.4", snapshot(attestations=attestations())).status is Status.MANUAL


def test_expired_statement_is_manual() -> None:
    statement = reseller(answer=True, attested_on="2025-01-15", **RESELLER)
    finding = evaluate("DT.GOV.4", snapshot(attestations=attestations(**statement)))
    assert finding.status is Status.MANUAL
    assert "expired on 2026-01-15" in finding.message


def test_attestation_file_not_loaded_is_error() -> None:
    assert evaluate("DT.GOV.4", snapshot(attestations=failed("no attestation file"))).status is Status.ERROR
