from dingscan.findings import Status
from dingscan.policy import AdminBounds, Policy
from factories import admin, evaluate, failed, snapshot, user

AT_MOST_2 = Policy(admins=AdminBounds(sub_max=2))


def test_sub_admins_within_maximum_pass() -> None:
    finding = evaluate("DT.PRV.2", snapshot(admins=[admin("p1", 1), admin("s1"), admin("s2")]), AT_MOST_2)
    assert finding.status is Status.PASS
    assert finding.evidence == {"sub_admins": 2, "max": 2}


def test_primary_admins_do_not_count() -> None:
    admins = [admin(f"p{i}", 1) for i in range(3)] + [admin("s1")]
    assert (
        evaluate("DT.PRV.2", snapshot(admins=admins), Policy(admins=AdminBounds(sub_max=1))).status
        is Status.PASS
    )


def test_too_many_sub_admins_fail_listing_each_with_scope() -> None:
    admins = [admin("s1", dept_ids=[1]), admin("s2", dept_ids=[5]), admin("s3")]
    finding = evaluate("DT.PRV.2", snapshot(admins=admins, users=[user("s2", name="Amy")]), AT_MOST_2)
    assert finding.status is Status.FAIL
    assert "1 more than the 2 allowed" in finding.message
    assert [(r.id, r.name) for r in finding.resources] == [("s1", None), ("s2", "Amy"), ("s3", None)]
    assert finding.resources[1].evidence["scope_dept_ids"] == [5]


def test_default_maximum_is_ten() -> None:
    admins = [admin(f"s{i}") for i in range(11)]
    assert evaluate("DT.PRV.2", snapshot(admins=admins)).status is Status.FAIL
    assert evaluate("DT.PRV.2", snapshot(admins=admins[:10])).status is Status.PASS


def test_admin_list_not_collected_is_error() -> None:
    assert evaluate("DT.PRV.2", snapshot(admins=failed())).status is Status.ERROR
