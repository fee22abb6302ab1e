"""DT.PRV.5 — the administrator list and the administrator roles tell the same story.

DingTalk exposes administrators twice: ``listadmin`` (``sys_level`` 1/2) and the members of the
system roles 主管理员 / 子管理员 in the default role group 默认 (``role/simplelist``). Each userid in
one but not the other is named, saying which side has it. When the system roles are absent from
``role/list`` there is nothing to compare: MANUAL, not a PASS.
"""

from dingscan.check import Check, CheckMetadata, Outcome
from dingscan.findings import Resource, Severity
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, Snapshot

SYSTEM_GROUP = "默认"
ADMIN_ROLES = {1: "主管理员", 2: "子管理员"}  # sys_level -> system role name


class AdminListMatchesRoles(Check):
    metadata = CheckMetadata(
        control_id="DT.PRV.5",
        title="The administrator list and the administrator roles agree",
        severity=Severity.MEDIUM,
        rationale=(
            "Two views of who administers the tenant should be one: a member holding an admin role "
            "without appearing as an administrator (or the reverse) is a privilege nobody reviews, "
            "often left behind by a half-finished change."
        ),
        remediation=(
            "Admin console > 权限管理 > 管理员 / 子管理员 and 通讯录 > 角色管理 > 默认: for each listed "
            "userid, remove the stray role membership or administrator entry so both views match."
        ),
        evidence="API topapi/user/listadmin (sys_level) + topapi/role/list and topapi/role/simplelist (主管理员, 子管理员)",
    )
    requires = (SectionName.ADMINS, SectionName.ROLES)

    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        in_role = _system_role_members(snapshot)  # sys_level -> userids, for the roles found
        missing = [name for level, name in ADMIN_ROLES.items() if level not in in_role]
        if not in_role:
            return Outcome.manual(
                f"the system roles {' and '.join(missing)} (group {SYSTEM_GROUP}) are not in role/list: "
                "compare 权限管理 with the administrator list by hand",
                missing_roles=missing,
            )
        admins = {a.userid: a.sys_level for a in snapshot.admins.get()}
        listed = {level: {u for u, lv in admins.items() if lv == level} for level in in_role}
        names = _names(snapshot)
        offenders = []
        for userid in sorted(set().union(*listed.values(), *in_role.values())):
            disagreements = [
                f"sys_level {level} in listadmin but not a member of role {ADMIN_ROLES[level]}"
                if userid in listed[level]
                else f"member of role {ADMIN_ROLES[level]} but not sys_level {level} in listadmin"
                for level in sorted(in_role)
                if (userid in listed[level]) != (userid in in_role[level])
            ]
            if disagreements:
                offenders.append(
                    Resource(
                        type="admin",
                        id=userid,
                        name=names.get(userid) or None,
                        detail="; ".join(disagreements),
                        evidence={
                            "sys_level": admins.get(userid),
                            "roles": [ADMIN_ROLES[lv] for lv in sorted(in_role) if userid in in_role[lv]],
                        },
                    )
                )
        evidence = {"administrators": sum(map(len, listed.values())), "missing_roles": missing}
        if offenders:
            return Outcome.failed(
                f"{len(offenders)} userids disagree between listadmin and the administrator roles",
                offenders,
                **evidence,
            )
        if missing:
            return Outcome.manual(
                f"listadmin agrees with the roles found, but role {', '.join(missing)} is not in role/list",
                **evidence,
            )
        return Outcome.passed(
            f"listadmin and the roles {'/'.join(ADMIN_ROLES.values())} agree on "
            f"{evidence['administrators']} administrators",
            **evidence,
        )


def _system_role_members(snapshot: Snapshot) -> dict[int, set[str]]:
    """Members of 主管理员 / 子管理员 in the default group, by the sys_level each stands for."""
    members: dict[int, set[str]] = {}
    for level, name in ADMIN_ROLES.items():
        for role in snapshot.roles.get():
            if role.group_name == SYSTEM_GROUP and role.name == name:
                members.setdefault(level, set()).update(m.userid for m in role.members)
    return members


def _names(snapshot: Snapshot) -> dict[str, str]:
    """Names from the role lists, overridden by the directory's where it has the member."""
    from_roles = {m.userid: m.name for r in snapshot.roles.get() for m in r.members}
    return from_roles | {u: user.name for u, user in snapshot.users_by_id().items()}
