from dingscan.findings import Status
from dingscan.snapshot import App
from factories import evaluate, failed, snapshot

ENABLED = App(agent_id=10, app_id=0, name="Expense bot", app_status=1)


def test_only_enabled_apps_pass() -> None:
    finding = evaluate("DT.APP.2", snapshot(apps=[ENABLED]))
    assert finding.status is Status.PASS
    assert finding.evidence["checked"] == 1


def test_disabled_and_expired_apps_fail() -> None:
    apps = [
        ENABLED,
        App(agent_id=11, app_id=0, name="Old bot", app_status=0),
        App(agent_id=12, app_id=77, name="Trial", app_status=3),
    ]
    finding = evaluate("DT.APP.2", snapshot(apps=apps))
    assert finding.status is Status.FAIL
    assert [(r.type, r.id, r.name) for r in finding.resources] == [
        ("app", "77", "Trial"),  # named by appId, as in DT.APP.1
        ("app", "agent:11", "Old bot"),  # self-built: appId 0, so its agentId
    ]
    assert "expired" in finding.resources[0].detail
    assert "disabled" in finding.resources[1].detail
    assert finding.resources[0].evidence == {"app_id": 77, "agent_id": 12, "app_status": 3}


def test_app_list_not_collected_is_error() -> None:
    assert evaluate("DT.APP.2", snapshot(apps=failed())).status is Status.ERROR
