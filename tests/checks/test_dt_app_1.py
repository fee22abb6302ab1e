from dingscan.findings import Status
from dingscan.policy import Apps, Policy
from dingscan.snapshot import App
from factories import attestations, evaluate, failed, snapshot

SELF_BUILT = App(agent_id=10, app_id=0, name="Expense bot", app_status=1)
CRM = App(agent_id=11, app_id=5001, name="Partner CRM", app_status=1)
SURVEY = App(agent_id=12, app_id=5002, name="Survey", app_status=1)
EXPIRED = App(agent_id=13, app_id=5003, name="Old plugin", app_status=3)


def approved(app_id: int, reviewed_on: str = "2026-03-01") -> dict[str, object]:
    return {"app_id": app_id, "name": f"app {app_id}", "approved_by": "CISO", "reviewed_on": reviewed_on}


def test_approved_and_recently_reviewed_apps_pass() -> None:
    snap = snapshot(
        apps=[SELF_BUILT, CRM, EXPIRED], attestations=attestations(approved_apps=[approved(5001)])
    )
    finding = evaluate("DT.APP.1", snap)
    assert finding.status is Status.PASS
    assert finding.evidence["checked"] == 1


def test_no_enabled_third_party_app_passes_even_without_a_register() -> None:
    finding = evaluate("DT.APP.1", snapshot(apps=[SELF_BUILT, EXPIRED], attestations=attestations()))
    assert finding.status is Status.PASS


def test_unlisted_and_stale_apps_fail_each_named() -> None:
    register = [approved(5001, reviewed_on="2025-06-01")]
    finding = evaluate(
        "DT.APP.1", snapshot(apps=[CRM, SURVEY], attestations=attestations(approved_apps=register))
    )
    assert finding.status is Status.FAIL
    by_id = {r.id: r for r in finding.resources}
    assert {r.type for r in finding.resources} == {"app"}
    assert "not in the approved_apps register" in by_id["5002"].detail
    assert by_id["5001"].name == "Partner CRM"
    assert "last reviewed on 2025-06-01, 542 days ago" in by_id["5001"].detail


def test_review_period_comes_from_policy() -> None:
    snap = snapshot(
        apps=[CRM], attestations=attestations(approved_apps=[approved(5001, reviewed_on="2026-03-01")])
    )
    assert evaluate("DT.APP.1", snap, Policy(apps=Apps(review_days=90))).status is Status.FAIL


def test_without_a_register_approval_cannot_be_judged() -> None:
    finding = evaluate("DT.APP.1", snapshot(apps=[CRM, SURVEY], attestations=attestations()))
    assert finding.status is Status.MANUAL
    assert "Partner CRM, Survey" in finding.message
    assert [a["app_id"] for a in finding.evidence["apps"]] == [5001, 5002]


def test_an_empty_register_convicts_every_app() -> None:
    finding = evaluate("DT.APP.1", snapshot(apps=[CRM], attestations=attestations(approved_apps=[])))
    assert finding.status is Status.FAIL


def test_app_list_not_collected_is_error() -> None:
    reason = "app lacks permission qyapi_get_microapp_list"
    finding = evaluate("DT.APP.1", snapshot(apps=failed(reason), attestations=attestations()))
    assert finding.status is Status.ERROR
    assert reason in finding.message


def test_attestation_file_not_loaded_is_error() -> None:
    assert evaluate("DT.APP.1", snapshot(apps=[CRM], attestations=failed())).status is Status.ERROR
