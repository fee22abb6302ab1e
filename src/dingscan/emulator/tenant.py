"""The tenant description the emulator serves: a YAML file, validated strictly.

One file describes one DingTalk organisation as the Open API would reveal it. Keys are
snake_case; the emulator renders them with the documented field names (``app_status`` ->
``appStatus``). Every ``*_days_ago`` value is relative and resolves against the emulator's clock
(``Emulator(now=...)``), so a fixture never goes stale. Unknown keys are errors, so a typo cannot
silently drop a posture problem from a fixture.

Top-level keys (all but ``corp_id``, ``org`` and ``departments`` optional):

- ``corp_id``, ``org`` (``name``, ``auth_level`` 0|1|2 and the other ``authInfos`` fields),
  ``edition`` (``standard`` | ``professional`` | ``exclusive``; only ``exclusive`` serves the
  ``/v1.0/exclusive/*`` endpoints), ``hr_app_enabled`` (智能人事; without it the ``hrm``
  endpoints answer ``corpNotOpenHrm``).
- ``app``: the credentials the emulator accepts (``app_key``, ``app_secret``).
- ``permissions``: ``granted`` (``all`` or a list of permission points), ``denied`` (points
  taken away), ``auth_user_field`` (what ``/auth/scopes`` reports; ``"mobile"`` and ``"email"``
  in it are the field permissions that reveal ``mobile``/``state_code`` and
  ``email``/``org_email``), ``authed_dept``/``authed_user`` (the app's contact scope).
- ``departments``: the tree (``id``, ``name``, ``parent``; root is id 1), with ``managers``,
  ``group_owner``, ``outer_dept``/``outer_permit_*``, ``hide_dept``/``*_permits`` and
  ``union`` (mirrored from a partner org: ``from_union_org`` + ``union_dept_ext``).
- ``users``: one entry per member; see :class:`User`.
- ``admins``: ``userid``, ``sys_level`` (1 primary, 2 sub-admin), ``dept_ids`` (directory scope).
- ``role_groups``: custom role groups (``name``, ``roles``); the default group 默认 with
  主管理员/子管理员/负责人/主管 always exists and is filled from ``admins``, ``boss`` and
  department ``managers``.
- ``external_contacts``, ``partner_orgs``, ``apps``, ``leave_records``, ``exclusive``.

The full key reference is ``fixtures/tenants/README.md``; ``demo.yaml`` beside it is a worked example.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from pathlib import Path
from typing import Any, Literal, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Edition = Literal["standard", "professional", "exclusive"]
LeaveReason = Literal["oapi", "cancel", "leave", "unknown", "delete"]

# The default role group 默认 always holds these; the emulator fills them from the tenant.
SYSTEM_ROLES: tuple[str, ...] = ("主管理员", "子管理员", "负责人", "主管")

# /auth/scopes example from the DingTalk docs plus the two field permissions dingscan cares about.
DEFAULT_AUTH_USER_FIELD: tuple[str, ...] = (
    "jobnumber", "isLeader", "name", "position", "isAdmin", "avatar", "department", "userid",
    "deviceId", "isHide", "mobile", "email",
)  # fmt: skip


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrgInfo(_Model):
    """What ``/v1.0/contact/organizations/authInfos`` returns (only ``name`` at auth_level 0)."""

    name: str
    auth_level: Literal[0, 1, 2] = 0
    license_org_name: str | None = None
    registration_num: str | None = None
    unified_social_credit: str | None = None
    organization_code: str | None = None
    legal_person: str | None = None
    license_url: str | None = None


class AppCredentials(_Model):
    app_key: str = "demo-app-key"
    app_secret: str = "demo-app-secret"


class Permissions(_Model):
    """What the scanning app was granted: API permission points, field permissions, scope."""

    granted: Literal["all"] | tuple[str, ...] = "all"
    denied: tuple[str, ...] = ()
    auth_user_field: tuple[str, ...] = DEFAULT_AUTH_USER_FIELD
    authed_dept: tuple[int, ...] = (1,)
    authed_user: tuple[str, ...] = ()

    def allows(self, point: str) -> bool:
        granted = self.granted == "all" or point in self.granted
        return granted and point not in self.denied


class UnionDept(_Model):
    """The partner-org department this department is mirrored from."""

    corp_id: str
    dept_id: int


class Department(_Model):
    id: int
    name: str
    parent: int | None = None
    order: int = 0
    managers: tuple[str, ...] = ()
    group_owner: str | None = None
    create_dept_group: bool = True
    auto_add_user: bool = True
    outer_dept: bool = False
    outer_permit_depts: tuple[int, ...] = ()
    outer_permit_users: tuple[str, ...] = ()
    hide_dept: bool = False
    dept_permits: tuple[int, ...] = ()
    user_permits: tuple[str, ...] = ()
    union: UnionDept | None = None


class UnionEmp(_Model):
    """The partner-org identity a mirrored member maps to (rendered as ``union_emp_ext``)."""

    corp_id: str
    userid: str


class User(_Model):
    """One member. ``last_login_days_ago`` N: logged in every day up to N days ago, not since;
    null means never (the default for a user who never activated)."""

    userid: str
    name: str
    departments: tuple[int, ...] = Field(min_length=1)
    unionid: str | None = None
    title: str = ""
    job_number: str = ""
    email: str = ""
    org_email: str = ""
    mobile: str = ""
    state_code: str = "852"
    active: bool = True
    boss: bool = False
    senior: bool = False
    real_authed: bool = True
    manager_userid: str | None = None
    hired_days_ago: int | None = Field(default=None, ge=0)
    exclusive_account: bool = False
    exclusive_account_type: Literal["sso", "dingtalk"] | None = None
    login_id: str | None = None
    disable_status: bool = False
    access_limited: bool = False
    roles: tuple[str, ...] = ()
    union_emp_ext: UnionEmp | None = None
    last_login_days_ago: int | None = Field(default=0, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _never_activated_never_logged_in(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("active") is False:
            data = {"last_login_days_ago": None, **data}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.exclusive_account_type and not self.exclusive_account:
            raise ValueError(f"user {self.userid}: exclusive_account_type needs exclusive_account")
        if not self.active and self.last_login_days_ago is not None:
            raise ValueError(f"user {self.userid}: never activated, so last_login_days_ago: null")
        return self

    @property
    def union_id(self) -> str:
        return self.unionid or f"union-{self.userid}"


class Admin(_Model):
    userid: str
    sys_level: Literal[1, 2]
    dept_ids: tuple[int, ...] = (1,)


class RoleGroup(_Model):
    name: str
    roles: tuple[str, ...]


class ExternalContact(_Model):
    userid: str
    name: str
    follower_user_id: str
    company_name: str = ""
    title: str = ""
    mobile: str = ""
    state_code: str = "852"
    email: str = ""
    address: str = ""
    remark: str = ""
    share_user_ids: tuple[str, ...] = ()
    share_dept_ids: tuple[int, ...] = ()
    label_ids: tuple[int, ...] = ()


class PartnerOrg(_Model):
    """An associated org (关联组织); ``status`` 1 joined, 0 applying."""

    corp_id: str
    org_name: str
    status: Literal[0, 1] = 1
    belong_corp_id: str | None = None
    belong_org_name: str | None = None


class App(_Model):
    """``appId`` 0 = self-built; ``app_status`` 0 disabled, 1 enabled, 3 expired."""

    agent_id: int
    name: str
    app_id: int = 0
    desc: str = ""
    app_status: Literal[0, 1, 3] = 1
    develop_type: Literal[0, 1] = 0
    homepage_link: str = ""


class LeaveRecord(_Model):
    """A leaver: ``empLeaveRecords`` always, and the 智能人事 endpoints when the HR app is on."""

    userid: str
    name: str
    leave_days_ago: int = Field(ge=0)
    leave_reason: LeaveReason = "leave"
    mobile: str = ""
    state_code: str = "852"
    handover_userid: str | None = None
    main_dept_id: int | None = None
    hr_status: Literal[1, 2, 3, 4] = 2
    voluntary_reason: tuple[str, ...] = ()
    passive_reason: tuple[str, ...] = ()


class InternalGroup(_Model):
    open_conversation_id: str
    name: str
    owner: str
    members_count: int = 0
    created_days_ago: int = 365
    last_active_days_ago: int = 0
    status: Literal[-1, 0, 1] = 1


class ExclusiveData(_Model):
    """专属钉钉 evidence: how far back the audit logs reach (null = no records), groups."""

    oldest_op_log_days_ago: int | None = Field(default=None, ge=0)
    oldest_file_log_days_ago: int | None = Field(default=None, ge=0)
    outside_groups: tuple[str, ...] = ()
    internal_groups: tuple[InternalGroup, ...] = ()


class Tenant(_Model):
    corp_id: str
    org: OrgInfo
    edition: Edition = "standard"
    hr_app_enabled: bool = False
    app: AppCredentials = AppCredentials()
    permissions: Permissions = Permissions()
    departments: tuple[Department, ...]
    users: tuple[User, ...] = ()
    admins: tuple[Admin, ...] = ()
    role_groups: tuple[RoleGroup, ...] = ()
    external_contacts: tuple[ExternalContact, ...] = ()
    partner_orgs: tuple[PartnerOrg, ...] = ()
    apps: tuple[App, ...] = ()
    leave_records: tuple[LeaveRecord, ...] = ()
    exclusive: ExclusiveData = ExclusiveData()

    @model_validator(mode="after")
    def _references_resolve(self) -> Self:
        """Cross-references must point at something, or a fixture quietly tests nothing."""
        problems = [*_tree_problems(self.departments), *_reference_problems(self)]
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _duplicates(values: list[Any]) -> list[Any]:
    return [value for value, count in Counter(values).items() if count > 1]


def _tree_problems(departments: tuple[Department, ...]) -> list[str]:
    by_id = {d.id: d for d in departments}
    problems = [f"departments: duplicate id {i}" for i in _duplicates([d.id for d in departments])]
    if by_id.get(1) is None or by_id[1].parent is not None:
        problems.append("departments: the root department must have id 1 and no parent")
    for dept in departments:
        if dept.id != 1 and dept.parent not in by_id:
            problems.append(f"departments[{dept.id}].parent: unknown department {dept.parent}")
            continue
        seen, node = {dept.id}, dept
        while node.parent is not None and node.parent in by_id:
            if node.parent in seen:
                problems.append(f"departments[{dept.id}].parent: cycle")
                break
            seen.add(node.parent)
            node = by_id[node.parent]
    return problems


def _reference_problems(t: Tenant) -> list[str]:
    dept_ids = {d.id for d in t.departments}
    userids = {u.userid for u in t.users}
    role_names = [role for group in t.role_groups for role in group.roles]
    # (what is referenced, what exists, [(where, reference)])
    references: list[tuple[str, Collection[Any], list[tuple[str, Any]]]] = [
        (
            "department",
            dept_ids,
            [(f"users[{u.userid}].departments", d) for u in t.users for d in u.departments],
        ),
        ("department", dept_ids, [(f"admins[{a.userid}].dept_ids", d) for a in t.admins for d in a.dept_ids]),
        ("department", dept_ids, [("permissions.authed_dept", d) for d in t.permissions.authed_dept]),
        ("role", role_names, [(f"users[{u.userid}].roles", r) for u in t.users for r in u.roles]),
        ("userid", userids, [("admins", a.userid) for a in t.admins]),
        (
            "userid",
            userids,
            [(f"departments[{d.id}].managers", m) for d in t.departments for m in d.managers],
        ),
    ]
    problems = [
        f"{where}: unknown {what} {value}"
        for what, known, refs in references
        for where, value in refs
        if value not in known
    ]
    problems += [f"users: duplicate userid {u}" for u in _duplicates([u.userid for u in t.users])]
    problems += [f"role_groups: duplicate role {r}" for r in _duplicates(role_names)]
    problems += [
        f"role_groups: {r} is a built-in role of the 默认 group" for r in role_names if r in SYSTEM_ROLES
    ]
    return problems


def load_tenant(path: Path) -> Tenant:
    """Read and validate a tenant file; a ValueError names the file and the offending key."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a tenant file must be a mapping of keys")
    try:
        return Tenant.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"{path}: {_describe(exc)}") from None


def _describe(exc: ValidationError) -> str:
    """One line per problem, keys joined with dots (``users.3.emial: Extra inputs ...``)."""
    lines = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "tenant"
        lines.append(f"{where}: {error['msg']}")
    return "; ".join(lines)
