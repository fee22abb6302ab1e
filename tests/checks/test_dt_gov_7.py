from dingscan.findings import Status
from dingscan.snapshot import OrgInfo
from factories import CORP_ID, evaluate, failed, snapshot


def test_verified_organisation_passes() -> None:
    org = OrgInfo(org_name="Harbour Fintech", auth_level=1, license_org_name="Harbour Fintech Limited")
    finding = evaluate("DT.GOV.7", snapshot(org=org))
    assert finding.status is Status.PASS
    assert "Harbour Fintech Limited" in finding.message


def test_unverified_organisation_fails() -> None:
    finding = evaluate("DT.GOV.7", snapshot(org=OrgInfo(org_name="Harbour Fintech", auth_level=0)))
    assert finding.status is Status.FAIL
    assert [(r.type, r.id) for r in finding.resources] == [("org", CORP_ID)]


def test_unknown_level_is_never_a_pass() -> None:
    finding = evaluate("DT.GOV.7", snapshot(org=OrgInfo(org_name="Harbour Fintech")))
    assert finding.status is Status.MANUAL
    assert finding.evidence["auth_level"] is None


def test_org_info_not_collected_is_error() -> None:
    reason = "app lacks permission Contact.Org.Read"
    finding = evaluate("DT.GOV.7", snapshot(org=failed(reason)))
    assert finding.status is Status.ERROR
    assert reason in finding.message
