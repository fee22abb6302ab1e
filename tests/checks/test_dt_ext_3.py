from dingscan.findings import Status
from dingscan.policy import Policy
from dingscan.snapshot import PartnerOrg
from factories import evaluate, failed, snapshot

PARTNERS = [PartnerOrg(corp_id="ding_supplier", org_name="Supplier Ltd"), PartnerOrg(corp_id="ding_unknown")]


def test_approved_partners_pass() -> None:
    policy = Policy(approved_partner_orgs=["ding_supplier", "ding_unknown", "ding_other"])
    finding = evaluate("DT.EXT.3", snapshot(partner_orgs=PARTNERS), policy)
    assert finding.status is Status.PASS
    assert finding.evidence["checked"] == 2


def test_no_partner_orgs_joined_passes() -> None:
    assert evaluate("DT.EXT.3", snapshot(partner_orgs=[])).status is Status.PASS


def test_unapproved_partner_fails_naming_the_corp_id() -> None:
    finding = evaluate(
        "DT.EXT.3", snapshot(partner_orgs=PARTNERS), Policy(approved_partner_orgs=["ding_supplier"])
    )
    assert finding.status is Status.FAIL
    assert [(r.type, r.id, r.name) for r in finding.resources] == [("partner_org", "ding_unknown", None)]


def test_empty_approved_list_fails_every_joined_partner() -> None:
    finding = evaluate("DT.EXT.3", snapshot(partner_orgs=PARTNERS))
    assert [r.id for r in finding.resources] == ["ding_supplier", "ding_unknown"]


def test_partner_orgs_not_collected_is_error() -> None:
    finding = evaluate("DT.EXT.3", snapshot(partner_orgs=failed("app lacks qyapi_related_org_read")))
    assert finding.status is Status.ERROR
    assert "qyapi_related_org_read" in finding.message
