from datetime import date

from dingscan.findings import Status
from dingscan.policy import Lifecycle, Policy
from dingscan.snapshot import Dormancy
from factories import admin, evaluate, failed, snapshot, user


def dormancy(*userids: str) -> Dormancy:
    return Dormancy(first_day=date(2026, 10, 25), last_day=date(2026, 11, 23), dormant_userids=list(userids))


def test_no_dormant_member_passes_and_shows_the_window() -> None:
    finding = evaluate("DT.LCM.2", snapshot(dormancy=dormancy(), users=[user("u1")], admins=[]))
    assert finding.status is Status.PASS
    assert (finding.evidence["first_day"], finding.evidence["last_day"]) == ("2026-10-25", "2026-11-23")


def test_dormant_members_beyond_the_allowance_fail_naming_each() -> None:
    snap = snapshot(
        dormancy=dormancy("u2"), users=[user("u1"), user("u2", name="Bob", dept_ids=[7])], admins=[]
    )
    finding = evaluate("DT.LCM.2", snap)
    assert finding.status is Status.FAIL
    assert [(r.id, r.name) for r in finding.resources] == [("u2", "Bob")]
    assert finding.resources[0].evidence["dept_ids"] == [7]
    assert "2026-10-25 to 2026-11-23" in finding.resources[0].detail


def test_dormant_members_within_the_allowance_pass() -> None:
    policy = Policy(lifecycle=Lifecycle(max_dormant_members=2))
    snap = snapshot(dormancy=dormancy("u1", "u2"), users=[user("u1"), user("u2")], admins=[])
    finding = evaluate("DT.LCM.2", snap, policy)
    assert finding.status is Status.PASS
    assert finding.evidence["dormant_userids"] == ["u1", "u2"]


def test_a_dormant_administrator_fails_whatever_the_allowance() -> None:
    policy = Policy(lifecycle=Lifecycle(max_dormant_members=5))
    snap = snapshot(dormancy=dormancy("a1"), users=[user("a1")], admins=[admin("a1", 1)])
    finding = evaluate("DT.LCM.2", snap, policy)
    assert finding.status is Status.FAIL
    assert finding.evidence["dormant_admins"] == ["a1"]
    assert finding.resources[0].evidence["is_admin"] is True
    assert "administrator" in finding.resources[0].detail


def test_dormant_userid_missing_from_the_directory_is_still_named() -> None:
    finding = evaluate("DT.LCM.2", snapshot(dormancy=dormancy("ghost"), users=[], admins=[]))
    assert finding.status is Status.FAIL
    assert (finding.resources[0].id, finding.resources[0].name) == ("ghost", None)


def test_dormancy_not_collected_is_error() -> None:
    reason = "app lacks permission qyapi_liveness_base"
    finding = evaluate("DT.LCM.2", snapshot(dormancy=failed(reason), users=[user("u1")], admins=[]))
    assert finding.status is Status.ERROR
    assert reason in finding.message


def test_admin_list_not_collected_is_error_when_nothing_else_fails() -> None:
    snap = snapshot(dormancy=dormancy(), users=[user("u1")], admins=failed())
    assert evaluate("DT.LCM.2", snap).status is Status.ERROR


def test_too_many_dormant_members_fail_without_the_admin_list() -> None:
    reason = "app lacks permission qyapi_get_member for /topapi/user/listadmin"
    snap = snapshot(dormancy=dormancy("u1"), users=[user("u1")], admins=failed(reason))
    finding = evaluate("DT.LCM.2", snap)
    assert finding.status is Status.FAIL
    assert reason in finding.message
    assert finding.resources[0].evidence["is_admin"] is None
