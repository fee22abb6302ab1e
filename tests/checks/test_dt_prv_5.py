from itertools import count

from dingscan.findings import Status
from dingscan.snapshot import Role, RoleMember
from factories import admin, evaluate, failed, snapshot, user

ROLE_IDS = count(1507113578)


def role(name: str, *userids: str, group: str = "默认") -> Role:
    members = [RoleMember(userid=u, name=f"Role {u}") for u in userids]
    return Role(role_id=next(ROLE_IDS), name=name, group_name=group, members=members)


def test_admin_list_and_roles_agree_pass() -> None:
    snap = snapshot(
        admins=[admin("p1", 1), admin("s1"), admin("s2")],
        roles=[role("主管理员", "p1"), role("子管理员", "s1", "s2"), role("负责人", "m9")],
    )
    finding = evaluate("DT.PRV.5", snap)
    assert finding.status is Status.PASS
    assert finding.evidence["administrators"] == 3


def test_each_disagreement_names_the_side_that_has_it() -> None:
    snap = snapshot(
        admins=[admin("p1", 1), admin("s1"), admin("s2")],
        roles=[role("主管理员", "p1", "x1"), role("子管理员", "s1")],
        users=[user("s2", name="Sue")],
    )
    finding = evaluate("DT.PRV.5", snap)
    assert finding.status is Status.FAIL
    by_id = {r.id: r for r in finding.resources}
    assert by_id["s2"].detail == "sys_level 2 in listadmin but not a member of role 子管理员"
    assert by_id["s2"].name == "Sue"
    assert by_id["x1"].detail == "member of role 主管理员 but not sys_level 1 in listadmin"
    assert by_id["x1"].name == "Role x1"
    assert set(by_id) == {"s2", "x1"}


def test_wrong_level_is_one_resource_with_both_sides() -> None:
    snap = snapshot(admins=[admin("a1", 2)], roles=[role("主管理员", "a1"), role("子管理员")])
    finding = evaluate("DT.PRV.5", snap)
    assert finding.status is Status.FAIL
    (resource,) = finding.resources
    assert resource.evidence == {"sys_level": 2, "roles": ["主管理员"]}
    assert "member of role 主管理员 but not sys_level 1" in resource.detail
    assert "sys_level 2 in listadmin but not a member of role 子管理员" in resource.detail


def test_system_roles_missing_is_manual() -> None:
    snap = snapshot(admins=[admin("p1", 1)], roles=[role("财务", "p1", group="职务")])
    finding = evaluate("DT.PRV.5", snap)
    assert finding.status is Status.MANUAL
    assert finding.evidence["missing_roles"] == ["主管理员", "子管理员"]


def test_same_name_outside_the_default_group_is_not_the_system_role() -> None:
    snap = snapshot(admins=[admin("p1", 1)], roles=[role("主管理员", "p1", group="自定义")])
    assert evaluate("DT.PRV.5", snap).status is Status.MANUAL


def test_one_system_role_missing_compares_the_other() -> None:
    agreeing = snapshot(admins=[admin("p1", 1), admin("s1")], roles=[role("主管理员", "p1")])
    finding = evaluate("DT.PRV.5", agreeing)
    assert finding.status is Status.MANUAL
    assert finding.evidence["missing_roles"] == ["子管理员"]
    disagreeing = snapshot(admins=[admin("p1", 1), admin("s1")], roles=[role("主管理员")])
    assert [r.id for r in evaluate("DT.PRV.5", disagreeing).resources] == ["p1"]


def test_roles_not_collected_is_error() -> None:
    assert evaluate("DT.PRV.5", snapshot(admins=[admin("p1", 1)], roles=failed())).status is Status.ERROR
