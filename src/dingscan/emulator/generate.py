"""Synthetic large tenants for benchmarks and scale tests.

The proportions follow a mid-sized company: about 40 members a department over three levels,
a fifth of members in two departments, a handful of admins, ~10% dormant, one leaver for every
50 members, one external contact for every 20. Everything derives from ``seed``, so the same
arguments always give the same tenant.
"""

from __future__ import annotations

import random

from dingscan.emulator.tenant import (
    Admin,
    App,
    Department,
    ExternalContact,
    LeaveRecord,
    OrgInfo,
    PartnerOrg,
    RoleGroup,
    Tenant,
    User,
)

_DIVISIONS = ("研发中心", "市场部", "销售部", "财务部", "人力资源部", "运营部", "法务部", "客服中心")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
_CUSTOM_ROLES = ("人事", "财务", "法务", "行政", "IT运维", "审计")
_APP_NAMES = ("审批", "考勤", "日志", "钉盘", "智能人事", "报销", "CRM", "项目管理", "OA", "签到")


def generate_tenant(members: int = 2000, seed: int = 0) -> Tenant:
    rng = random.Random(seed)
    domain = f"corp{seed}.example.com"
    departments = _departments(rng, max(3, members // 40))
    users = _users(rng, members, departments, domain)
    departments = _with_managers(rng, departments, users)
    ids = [user.userid for user in users]
    return Tenant(
        corp_id=f"ding{seed:012x}",
        org=OrgInfo(name=f"Generated Corp {seed}", auth_level=1, legal_person="Chan Tai Man"),
        departments=tuple(departments),
        users=tuple(users),
        admins=_admins(rng, ids, departments),
        role_groups=(RoleGroup(name="职务", roles=_CUSTOM_ROLES),),
        external_contacts=_external_contacts(rng, members // 20, ids, departments),
        partner_orgs=tuple(
            PartnerOrg(corp_id=f"dingpartner{seed}{n}", org_name=f"Partner {n} Ltd") for n in range(3)
        ),
        apps=_apps(rng, 30),
        leave_records=_leave_records(rng, members // 50, ids),
    )


def _departments(rng: random.Random, count: int) -> list[Department]:
    """Root plus ``count`` departments over three levels (about 1:2:5)."""
    level1 = max(1, count // 8)
    level2 = max(1, count // 3)
    departments = [Department(id=1, name="总公司")]
    for n in range(level1):
        name = f"{_DIVISIONS[n % len(_DIVISIONS)]}{n // len(_DIVISIONS) or ''}"
        departments.append(Department(id=2 + n, name=name, parent=1, order=n))
    parents: dict[int, list[int]] = {2: [d.id for d in departments[1:]], 3: []}
    for n in range(count - level1):
        level = 2 if n < level2 else 3
        dept_id = len(departments) + 1
        parent = rng.choice(parents[level])
        departments.append(Department(id=dept_id, name=f"{level}级团队{dept_id}", parent=parent))
        if level == 2:
            parents[3].append(dept_id)
    return departments


def _users(rng: random.Random, count: int, departments: list[Department], domain: str) -> list[User]:
    choices = [d.id for d in departments[1:]]
    users = []
    for n in range(count):
        depts = rng.sample(choices, 2 if rng.random() < 0.2 and len(choices) > 1 else 1)
        never_activated = rng.random() < 0.03
        dormant = rng.random() < 0.1
        sso = rng.random() < 0.6
        users.append(
            User(
                userid=f"u{n:05d}",
                name=rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.randint(1, 2))),
                departments=tuple(depts),
                title=rng.choice(("工程师", "经理", "专员", "主管", "分析师")),
                job_number=f"E{n:05d}",
                email=f"user{n}@{domain}",
                org_email=f"user{n}@{domain}",
                mobile=f"1{rng.randint(30, 99)}{n:08d}",
                state_code="86",
                active=not never_activated,
                boss=n == 0,
                hired_days_ago=rng.randint(1, 3000),
                exclusive_account=sso,
                exclusive_account_type="sso" if sso else None,
                login_id=f"user{n}" if sso else None,
                access_limited=rng.random() < 0.01,
                roles=tuple(r for r in _CUSTOM_ROLES if rng.random() < 0.01),
                last_login_days_ago=None
                if never_activated
                else (rng.randint(31, 120) if dormant else rng.randint(0, 3)),
            )
        )
    return users


def _with_managers(rng: random.Random, departments: list[Department], users: list[User]) -> list[Department]:
    members: dict[int, list[str]] = {}
    for user in users:
        for dept_id in user.departments:
            members.setdefault(dept_id, []).append(user.userid)
    return [
        d.model_copy(update={"managers": (rng.choice(members[d.id]),)}) if d.id in members else d
        for d in departments
    ]


def _admins(rng: random.Random, ids: list[str], departments: list[Department]) -> tuple[Admin, ...]:
    chosen = rng.sample(ids, min(8, len(ids)))
    dept_ids = [d.id for d in departments[1:]]
    return tuple(
        Admin(userid=userid, sys_level=1)
        if n < 2
        else Admin(userid=userid, sys_level=2, dept_ids=(1,) if n == 2 else (rng.choice(dept_ids),))
        for n, userid in enumerate(chosen)
    )


def _external_contacts(
    rng: random.Random, count: int, ids: list[str], departments: list[Department]
) -> tuple[ExternalContact, ...]:
    dept_ids = [d.id for d in departments]
    return tuple(
        ExternalContact(
            userid=f"ext{n:05d}",
            name=f"外部联系人{n}",
            follower_user_id=rng.choice(ids),
            company_name=f"供应商{n % 37}有限公司",
            share_dept_ids=(1,) if rng.random() < 0.05 else (rng.choice(dept_ids),),
        )
        for n in range(count)
    )


def _apps(rng: random.Random, count: int) -> tuple[App, ...]:
    return tuple(
        App(
            agent_id=100_000 + n,
            name=f"{_APP_NAMES[n % len(_APP_NAMES)]}{n // len(_APP_NAMES) or ''}",
            app_id=0 if n % 3 == 0 else 1_000 + n,
            app_status=rng.choices((1, 0, 3), weights=(8, 1, 1))[0],
        )
        for n in range(count)
    )


def _leave_records(rng: random.Random, count: int, ids: list[str]) -> tuple[LeaveRecord, ...]:
    """Mostly people already gone; every tenth is still in the directory (a posture finding)."""
    return tuple(
        LeaveRecord(
            userid=rng.choice(ids) if n % 10 == 0 else f"left{n:05d}",
            name=f"离职员工{n}",
            leave_days_ago=rng.randint(1, 300),
            handover_userid=rng.choice(ids) if rng.random() < 0.7 else None,
        )
        for n in range(count)
    )
