from dingscan.findings import Status
from dingscan.snapshot import Department, Section
from factories import admin, evaluate, failed, snapshot, user

ROOT = Department(dept_id=1, name="(root)", from_union_org=False)
OWN = Department(dept_id=10, name="IT", from_union_org=False)
MIRRORED = Department(dept_id=20, name="Supplier Ops", from_union_org=True, union_corp_id="ding_sup")
DEPARTMENTS = [ROOT, OWN, MIRRORED]


def test_admins_in_own_departments_pass() -> None:
    users = [user("p1", dept_ids=[1]), user("s1", dept_ids=[10]), user("m1", dept_ids=[20])]
    snap = snapshot(
        admin_details=True, admins=[admin("p1", 1), admin("s1")], users=users, departments=DEPARTMENTS
    )
    finding = evaluate("DT.EXT.4", snap)
    assert finding.status is Status.PASS
    assert finding.evidence["checked"] == 2


def test_admin_in_a_mirrored_department_fails() -> None:
    users = [user("s1", name="Sid", dept_ids=[10, 20])]
    finding = evaluate(
        "DT.EXT.4", snapshot(admin_details=True, admins=[admin("s1")], users=users, departments=DEPARTMENTS)
    )
    assert finding.status is Status.FAIL
    (resource,) = finding.resources
    assert (resource.type, resource.id, resource.name) == ("admin", "s1", "Sid")
    assert resource.detail == "member of department Supplier Ops (20), mirrored from partner org ding_sup"
    assert resource.evidence["mirrored_dept_ids"] == [20]


def test_admin_with_a_partner_union_corp_id_fails_even_outside_the_directory() -> None:
    snap = snapshot(
        admin_details=True,
        admins=[admin("x1", 1, union_corp_id="ding_sup")],
        users=[],
        departments=DEPARTMENTS,
    )
    finding = evaluate("DT.EXT.4", snap)
    assert finding.status is Status.FAIL
    assert finding.resources[0].detail == "mirrored from partner org ding_sup"
    assert finding.resources[0].name is None


def test_both_signals_are_listed_in_one_resource() -> None:
    users = [user("s1", dept_ids=[20])]
    snap = snapshot(
        admin_details=True,
        admins=[admin("s1", union_corp_id="ding_sup")],
        users=users,
        departments=DEPARTMENTS,
    )
    (resource,) = evaluate("DT.EXT.4", snap).resources
    assert resource.detail.count("ding_sup") == 2


def test_unread_department_flags_cannot_pass_but_cannot_hide_a_conviction() -> None:
    unread = Department(dept_id=30, name="Sales")  # from_union_org unknown
    partial = Section.partial([ROOT, MIRRORED, unread], "details of departments [30] are outside the scope")
    cleared = snapshot(
        admin_details=True, admins=[admin("s1")], users=[user("s1", dept_ids=[30])], departments=partial
    )
    assert evaluate("DT.EXT.4", cleared).status is Status.ERROR
    users = [user("s1", dept_ids=[30]), user("s2", dept_ids=[20])]
    convicted = evaluate(
        "DT.EXT.4",
        snapshot(admin_details=True, admins=[admin("s1"), admin("s2")], users=users, departments=partial),
    )
    assert convicted.status is Status.FAIL
    assert [r.id for r in convicted.resources] == ["s2"]


def test_unread_admin_details_cannot_pass() -> None:
    partial = Section.partial(True, "details of admins could not be read: s1 (error 60121)")
    snap = snapshot(
        admin_details=partial,
        admins=[admin("s1")],
        users=[user("s1", dept_ids=[10])],
        departments=DEPARTMENTS,
    )
    assert evaluate("DT.EXT.4", snap).status is Status.ERROR


def test_departments_not_collected_is_error() -> None:
    snap = snapshot(
        admin_details=True, admins=[admin("s1")], users=[user("s1", dept_ids=[10])], departments=failed()
    )
    assert evaluate("DT.EXT.4", snap).status is Status.ERROR
