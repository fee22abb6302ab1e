from dingscan.findings import Status
from dingscan.policy import AdminBounds, Policy
from factories import admin, evaluate, failed, snapshot, user


def test_primary_admins_within_bounds_pass() -> None:
    finding = evaluate("DT.PRV.1", snapshot(admins=[admin("p1", 1), admin("p2", 1), admin("s1", 2)]))
    assert finding.status is Status.PASS
    assert finding.evidence["primary_admins"] == 2


def test_too_many_primary_admins_fail_listing_each() -> None:
    admins = [admin(f"p{i}", 1) for i in range(4)]
    snap = snapshot(admins=admins, users=[user("p0", name="Alice")])
    finding = evaluate("DT.PRV.1", snap)
    assert finding.status is Status.FAIL
    assert len(finding.resources) == 4
    assert finding.resources[0].name == "Alice"


def test_no_primary_admin_fails_when_minimum_is_one() -> None:
    assert evaluate("DT.PRV.1", snapshot(admins=[admin("s1", 2)])).status is Status.FAIL


def test_bounds_come_from_policy() -> None:
    policy = Policy(admins=AdminBounds(primary_min=1, primary_max=5))
    assert (
        evaluate("DT.PRV.1", snapshot(admins=[admin(f"p{i}", 1) for i in range(4)]), policy).status
        is Status.PASS
    )


def test_admin_list_not_collected_is_error() -> None:
    assert evaluate("DT.PRV.1", snapshot(admins=failed())).status is Status.ERROR
