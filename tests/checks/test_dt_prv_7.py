from typing import Any

from dingscan.attestations import Attestations
from dingscan.findings import Finding, Status
from dingscan.snapshot import Role, RoleMember, User
from factories import attestations, evaluate, failed, snapshot, user

COLLABORATOR = Role(
    role_id=7, name="外部协作", group_name="职务", members=[RoleMember(userid="c1", name="Carol (role)")]
)


def grant(userid: str, expires_on: str, **target: Any) -> dict[str, Any]:
    return {
        "userid": userid,
        "granted_on": "2026-11-01",
        "expires_on": expires_on,
        "approved_by": "Jane Chan",
    } | target


def register(*grants: dict[str, Any]) -> Attestations:
    return attestations(temporary_access=list(grants))


def scan(file: Attestations, users: list[User], roles: list[Role] | None = None) -> Finding:
    return evaluate("DT.PRV.7", snapshot(attestations=file, users=users, roles=roles or [COLLABORATOR]))


def test_expired_grants_that_are_gone_pass() -> None:
    file = register(grant("x1", "2026-11-08", role="外部协作"), grant("c1", "2026-12-01", role="外部协作"))
    finding = scan(file, [user("c1"), user("x1", dept_ids=[40])])
    assert finding.status is Status.PASS
    assert finding.evidence == {"grants": 2, "expired": 1}


def test_expired_role_grant_still_held_fails() -> None:
    finding = scan(register(grant("c1", "2026-11-08", role="外部协作")), [user("c1", name="Carol")])
    assert finding.status is Status.FAIL
    (resource,) = finding.resources
    assert (resource.id, resource.name) == ("c1", "Carol")
    assert "role 外部协作 expired on 2026-11-08" in resource.detail
    assert resource.evidence["days_overdue"] == 17


def test_expired_department_grant_still_held_fails() -> None:
    finding = scan(register(grant("d1", "2026-11-08", dept_id=40)), [user("d1", dept_ids=[3, 40])])
    assert finding.status is Status.FAIL
    assert finding.resources[0].evidence["still_held"] == ["department 40"]


def test_grant_is_valid_through_its_expiry_day() -> None:
    assert scan(register(grant("c1", "2026-11-25", role="外部协作")), [user("c1")]).status is Status.PASS
    assert scan(register(grant("c1", "2026-11-24", role="外部协作")), [user("c1")]).status is Status.FAIL


def test_role_holder_missing_from_users_is_named_by_the_role() -> None:
    finding = scan(register(grant("c1", "2026-11-08", role="外部协作")), [])
    assert [(r.id, r.name) for r in finding.resources] == [("c1", "Carol (role)")]


def test_no_register_is_manual_and_an_empty_one_passes() -> None:
    assert scan(attestations(), [user("c1")]).status is Status.MANUAL
    empty = scan(register(), [user("c1")])
    assert empty.status is Status.PASS
    assert empty.message == "no temporary grants registered"


def test_roles_not_collected_is_error() -> None:
    file = register(grant("c1", "2026-11-08", role="外部协作"))
    assert evaluate("DT.PRV.7", snapshot(attestations=file, users=[], roles=failed())).status is Status.ERROR
