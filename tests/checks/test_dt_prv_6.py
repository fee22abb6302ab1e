from dingscan.findings import Status
from dingscan.policy import Policy
from dingscan.snapshot import Role, RoleMember
from factories import evaluate, failed, snapshot, user

HR_FINANCE = Policy(conflicting_roles=[("人事", "财务"), ("财务", "审计")])


def role(role_id: int, name: str, *userids: str) -> Role:
    members = [RoleMember(userid=u, name=f"Role {u}") for u in userids]
    return Role(role_id=role_id, name=name, group_name="职务", members=members)


def test_nobody_holding_a_pair_passes() -> None:
    roles = [role(1, "人事", "u1"), role(2, "财务", "u2"), role(3, "审计", "u1")]
    finding = evaluate("DT.PRV.6", snapshot(roles=roles), HR_FINANCE)
    assert finding.status is Status.PASS
    assert finding.evidence["checked"] == 2
    assert finding.evidence["roles_not_found"] == []


def test_holder_of_both_roles_fails_with_every_pair_named() -> None:
    roles = [role(1, "人事", "u1", "u2"), role(2, "财务", "u1"), role(3, "审计", "u1")]
    snap = snapshot(roles=roles, users=[user("u1", name="Alice", dept_ids=[12])])
    finding = evaluate("DT.PRV.6", snap, HR_FINANCE)
    assert finding.status is Status.FAIL
    (resource,) = finding.resources
    assert (resource.id, resource.name) == ("u1", "Alice")
    assert resource.evidence == {"dept_ids": [12], "conflicting_pairs": [["人事", "财务"], ["财务", "审计"]]}


def test_holder_missing_from_users_is_named_by_the_role() -> None:
    roles = [role(1, "人事", "u9"), role(2, "财务", "u9")]
    finding = evaluate("DT.PRV.6", snapshot(roles=roles), HR_FINANCE)
    assert [(r.id, r.name) for r in finding.resources] == [("u9", "Role u9")]


def test_role_names_match_across_groups() -> None:
    roles = [role(1, "人事", "u1"), role(2, "财务"), role(4, "财务", "u1")]
    assert evaluate("DT.PRV.6", snapshot(roles=roles), HR_FINANCE).status is Status.FAIL


def test_configured_role_missing_from_the_tenant_is_reported() -> None:
    finding = evaluate("DT.PRV.6", snapshot(roles=[role(1, "人事", "u1")]), HR_FINANCE)
    assert finding.status is Status.PASS
    assert finding.evidence["roles_not_found"] == ["审计", "财务"]
    assert finding.message.endswith("; roles not in the tenant: 审计, 财务")


def test_no_pairs_configured_is_not_applicable() -> None:
    finding = evaluate("DT.PRV.6", snapshot(roles=[role(1, "人事", "u1")]), Policy())
    assert finding.status is Status.NOT_APPLICABLE


def test_roles_not_collected_is_error() -> None:
    assert evaluate("DT.PRV.6", snapshot(roles=failed()), HR_FINANCE).status is Status.ERROR
