"""Tenant files (loading, validation, the seeded demo) and synthetic tenants."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from raw_dingtalk import TENANTS, demo_tenant

from dingscan.emulator import Tenant, generate_tenant, load_tenant


def test_demo_tenant_carries_every_seeded_problem() -> None:
    demo = demo_tenant()
    users = {u.userid: u for u in demo.users}
    assert demo.org.name == "Harbour Fintech Ltd" and demo.org.auth_level == 1
    assert demo.edition == "standard" and 20 <= len(demo.users) <= 30
    levels = Counter(a.sys_level for a in demo.admins)
    assert levels[1] == 4
    scopes = {a.userid: a.dept_ids for a in demo.admins if a.sys_level == 2}
    assert (1,) in scopes.values() and any(s != (1,) for s in scopes.values())
    assert users["wong.kawai"].email.endswith("@gmail.com")
    assert "wong.kawai" in {a.userid for a in demo.admins}
    assert not users["kwok.manho"].email.endswith("@harbourfintech.hk")
    assert any(r.userid in users and r.leave_days_ago == 20 for r in demo.leave_records)
    assert not users["ng.hoiyan"].active and users["ng.hoiyan"].hired_days_ago == 90
    assert users["tsang.yeeman"].last_login_days_ago == 45
    assert users["siu.chunkit"].disable_status
    assert any(c.share_dept_ids == (1,) for c in demo.external_contacts)
    assert len(demo.partner_orgs) == 2
    assert {(a.app_id != 0, a.app_status) for a in demo.apps} >= {(True, 1), (False, 0), (True, 3)}
    assert {"人事", "财务"} <= set(users["yip.suetying"].roles)
    assert users["liu.ken"].union_emp_ext is not None and scopes["liu.ken"]
    sso = [u for u in demo.users if u.exclusive_account_type == "sso"]
    assert len(sso) > len(demo.users) * 0.8


def test_clean_tenant_loads() -> None:
    clean = load_tenant(TENANTS / "clean.yaml")
    assert clean.users and all(u.active and u.exclusive_account_type == "sso" for u in clean.users)


@pytest.mark.parametrize(
    ("mistake", "message"),
    [
        ("users:\n  - {userid: a, name: A, departments: [1], emial: a@x.hk}\n", r"users\.0\.emial"),
        (
            "users:\n  - {userid: a, name: A, departments: [9]}\n",
            r"users\[a\]\.departments: unknown department 9",
        ),
        ("edition: flagship\n", r"edition"),
        ("admins:\n  - {userid: nobody, sys_level: 1}\n", r"admins: unknown userid nobody"),
        ("colour: blue\n", r"colour: Extra inputs are not permitted"),
    ],
)
def test_bad_tenant_files_name_the_bad_key(tmp_path: Path, mistake: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("corp_id: ding1\norg: {name: X}\ndepartments:\n  - {id: 1, name: X}\n" + mistake)
    with pytest.raises(ValueError, match=message):
        load_tenant(path)


def test_a_file_that_is_not_yaml_is_a_value_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("corp_id: [unclosed\n")
    with pytest.raises(ValueError, match="not valid YAML"):
        load_tenant(path)


def test_generated_tenants_are_deterministic() -> None:
    assert generate_tenant(members=200, seed=7) == generate_tenant(members=200, seed=7)
    assert generate_tenant(members=200, seed=7) != generate_tenant(members=200, seed=8)


def test_generated_tenants_have_realistic_proportions() -> None:
    started = time.perf_counter()
    tenant = generate_tenant(members=2000, seed=7)
    assert time.perf_counter() - started < 1
    assert isinstance(tenant, Tenant) and len(tenant.users) == 2000
    assert 40 <= len(tenant.departments) <= 60
    depth = {d.id: 0 if d.parent is None else 1 for d in tenant.departments}
    for dept in tenant.departments:
        if dept.parent is not None:
            depth[dept.id] = depth[dept.parent] + 1
    assert max(depth.values()) == 3
    assert {len(u.departments) for u in tenant.users} == {1, 2}
    assert len(tenant.admins) == 8
    assert 8 <= sum(len(g.roles) for g in tenant.role_groups) + 4 <= 12
    assert len(tenant.external_contacts) == 100 and len(tenant.apps) == 30 and len(tenant.leave_records) == 40
    dormant = [u for u in tenant.users if u.last_login_days_ago is None or u.last_login_days_ago > 30]
    assert 0.08 <= len(dormant) / 2000 <= 0.16
