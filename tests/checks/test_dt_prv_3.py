from dingscan.findings import Status
from dingscan.policy import AdminBounds, Policy
from dingscan.snapshot import Section
from factories import admin, evaluate, failed, snapshot


def test_scoped_sub_admins_pass() -> None:
    snap = snapshot(admins=[admin("p1", 1), admin("s1", 2, [5, 6])])
    assert evaluate("DT.PRV.3", snap).status is Status.PASS


def test_org_wide_sub_admin_fails() -> None:
    snap = snapshot(admins=[admin("s1", 2, [1]), admin("s2", 2, [7])])
    finding = evaluate("DT.PRV.3", snap)
    assert finding.status is Status.FAIL
    assert [r.id for r in finding.resources] == ["s1"]
    assert finding.resources[0].evidence["dept_ids"] == [1]


def test_allow_listed_org_wide_sub_admin_passes() -> None:
    policy = Policy(admins=AdminBounds(org_wide_sub_admins_allowed=["s1"]))
    assert evaluate("DT.PRV.3", snapshot(admins=[admin("s1", 2, [1])]), policy).status is Status.PASS


def test_partial_scopes_cannot_pass_but_can_fail() -> None:
    unknown = Section.partial([admin("s1", 2, [5]), admin("s2", 2, None)], "scope of s2 could not be read")
    assert evaluate("DT.PRV.3", snapshot(admins=unknown)).status is Status.ERROR
    convicted = Section.partial([admin("s1", 2, [1]), admin("s2", 2, None)], "scope of s2 could not be read")
    finding = evaluate("DT.PRV.3", snapshot(admins=convicted))
    assert finding.status is Status.FAIL
    assert "data incomplete" in finding.message


def test_admin_list_not_collected_is_error() -> None:
    assert evaluate("DT.PRV.3", snapshot(admins=failed())).status is Status.ERROR
