from dingscan.findings import Status
from dingscan.policy import AdminBounds, Policy
from dingscan.snapshot import Section
from factories import admin, evaluate, failed, snapshot


def test_scoped_sub_admins_pass() -> None:
    snap = snapshot(admin_details=True, admins=[admin("p1", 1), admin("s1", 2, [5, 6])])
    assert evaluate("DT.PRV.3", snap).status is Status.PASS


def test_org_wide_sub_admin_fails() -> None:
    snap = snapshot(admin_details=True, admins=[admin("s1", 2, [1]), admin("s2", 2, [7])])
    finding = evaluate("DT.PRV.3", snap)
    assert finding.status is Status.FAIL
    assert [r.id for r in finding.resources] == ["s1"]
    assert finding.resources[0].evidence["dept_ids"] == [1]


def test_allow_listed_org_wide_sub_admin_passes() -> None:
    policy = Policy(admins=AdminBounds(org_wide_sub_admins_allowed=["s1"]))
    assert (
        evaluate("DT.PRV.3", snapshot(admin_details=True, admins=[admin("s1", 2, [1])]), policy).status
        is Status.PASS
    )


def test_partial_scopes_cannot_pass_but_can_fail() -> None:
    unread = Section.partial(True, "details of admins could not be read: s2 (error 60121)")
    unknown = [admin("s1", 2, [5]), admin("s2", 2, None)]
    assert evaluate("DT.PRV.3", snapshot(admin_details=unread, admins=unknown)).status is Status.ERROR
    convicted = [admin("s1", 2, [1]), admin("s2", 2, None)]
    finding = evaluate("DT.PRV.3", snapshot(admin_details=unread, admins=convicted))
    assert finding.status is Status.FAIL
    assert "data incomplete" in finding.message


def test_unread_details_do_not_stop_the_admin_count() -> None:
    unread = Section.partial(True, "details of admins could not be read: s2 (error 60121)")
    snap = snapshot(admin_details=unread, admins=[admin("p1", 1), admin("s2", 2, None)])
    assert evaluate("DT.PRV.1", snap).status is Status.PASS


def test_admin_list_not_collected_is_error() -> None:
    assert evaluate("DT.PRV.3", snapshot(admin_details=True, admins=failed())).status is Status.ERROR
