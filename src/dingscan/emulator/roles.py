"""The role catalogue (``topapi/role/*``) a tenant implies.

DingTalk's default group 默认 holds system roles whose members follow from other facts: 主管理员
and 子管理员 are the admins (their directory scope is the role's ``manageScopes``), 负责人 the
``boss`` users, 主管 the department heads. Custom groups come from the tenant file. Ids are
assigned in file order so they are stable for a given tenant.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from dingscan.emulator.tenant import SYSTEM_ROLES, Tenant, User

DEFAULT_GROUP = "默认"
_GROUP_ID_STEP = 1000


@dataclass(frozen=True)
class Role:
    id: int
    name: str
    group_name: str


@dataclass(frozen=True)
class RoleGroup:
    id: int
    name: str
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class RoleMember:
    user: User
    manage_scopes: tuple[int, ...] = ()


class RoleCatalogue:
    def __init__(self, tenant: Tenant) -> None:
        names = {DEFAULT_GROUP: list(SYSTEM_ROLES)}
        for group in tenant.role_groups:
            names.setdefault(group.name, []).extend(group.roles)
        self.groups: list[RoleGroup] = []
        for number, (group_name, role_names) in enumerate(names.items(), start=1):
            group_id = number * _GROUP_ID_STEP
            roles = tuple(Role(group_id + i, name, group_name) for i, name in enumerate(role_names, start=1))
            self.groups.append(RoleGroup(group_id, group_name, roles))
        self.by_id = {role.id: role for group in self.groups for role in group.roles}
        self.members: dict[int, list[RoleMember]] = {role_id: [] for role_id in self.by_id}
        self.of_user: dict[str, list[Role]] = defaultdict(list)
        self._fill(tenant)

    def _fill(self, tenant: Tenant) -> None:
        by_name = {role.name: role for role in self.by_id.values()}
        users = {user.userid: user for user in tenant.users}
        heads: dict[str, list[int]] = defaultdict(list)
        for dept in tenant.departments:
            for userid in dept.managers:
                heads[userid].append(dept.id)
        level_role = {1: "主管理员", 2: "子管理员"}
        for admin in tenant.admins:
            self._add(by_name[level_role[admin.sys_level]], users[admin.userid], admin.dept_ids)
        for user in tenant.users:
            if user.boss:
                self._add(by_name["负责人"], user)
            if user.userid in heads:
                self._add(by_name["主管"], user, tuple(heads[user.userid]))
            for name in user.roles:
                self._add(by_name[name], user)

    def _add(self, role: Role, user: User, scopes: tuple[int, ...] = ()) -> None:
        self.members[role.id].append(RoleMember(user, scopes))
        self.of_user[user.userid].append(role)
