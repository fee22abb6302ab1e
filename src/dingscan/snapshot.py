"""The tenant snapshot: everything a scan learned about a tenant, typed, and how well it learned it.

Each area of the tenant is a :class:`Section` that records whether it was collected and, when not,
why (a permission point missing, an edition without the API, the quota, an error). Checks read
sections through :meth:`Section.get`, which raises for anything not collected, so a check cannot
PASS on data that is missing: the engine turns the exception into ERROR (or NOT_APPLICABLE) with
the collector's reason. A *partial* section (some departments out of the app's scope, say) still
lets a check prove a FAIL; the engine never lets it support a PASS.

Only the fields some check needs are kept: the snapshot is personal data, and holds no more of it
than the baseline requires (no mobiles, avatars or addresses). Names follow DingTalk's own words.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from dingscan.attestations import Attestations

T = TypeVar("T")


class SectionStatus(StrEnum):
    COLLECTED = "collected"
    PARTIAL = "partial"  # data present but known to be incomplete
    FAILED = "failed"  # could not be collected: permission, quota, API error
    NOT_APPLICABLE = "not_applicable"  # the tenant's edition or configuration has no such data


class SectionUnavailable(Exception):
    """A check asked for data the collector could not (fully) provide."""

    def __init__(self, status: SectionStatus, reason: str) -> None:
        self.status = status
        self.reason = reason
        super().__init__(reason)


class Section(BaseModel, Generic[T]):
    model_config = ConfigDict(frozen=True)

    status: SectionStatus
    reason: str | None = None
    data: T | None = None

    @classmethod
    def collected(cls, data: T) -> Section[T]:
        return cls(status=SectionStatus.COLLECTED, data=data)

    @classmethod
    def partial(cls, data: T, reason: str) -> Section[T]:
        return cls(status=SectionStatus.PARTIAL, data=data, reason=reason)

    @classmethod
    def failed(cls, reason: str, status: SectionStatus = SectionStatus.FAILED) -> Section[T]:
        return cls(status=status, reason=reason)

    def get(self) -> T:
        """The data, or :class:`SectionUnavailable` when it could not be collected.

        Partial data is returned: it can prove a FAIL. The engine refuses a PASS that rests on it.
        """
        if self.status not in (SectionStatus.COLLECTED, SectionStatus.PARTIAL) or self.data is None:
            raise SectionUnavailable(self.status, self.reason or "not collected")
        return self.data

    def known(self) -> T | None:
        """The data when there is any (collected or partial), else None: for a section a check
        only ``enriches``, where "unknown" must stay distinct from "none"."""
        return self.data if self.status in (SectionStatus.COLLECTED, SectionStatus.PARTIAL) else None


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True)


class AuthScopes(_Record):
    """What the scanner's own app may see (``/auth/scopes``)."""

    authed_dept: list[int] = Field(default_factory=list)
    authed_user: list[str] = Field(default_factory=list)
    auth_user_field: list[str] = Field(default_factory=list)


class OrgInfo(_Record):
    org_name: str
    auth_level: int | None = None
    license_org_name: str | None = None


class Department(_Record):
    dept_id: int
    name: str
    from_union_org: bool | None = None  # mirrored from a partner org (see union_signal); None = unknown
    union_corp_id: str | None = None  # the partner org it is mirrored from, never the tenant itself
    union_signal: str | None = None  # the department/get field(s) that showed the partner link


class User(_Record):
    userid: str
    name: str = ""
    email: str | None = None  # absent = unknown, never "no email" (field permission)
    org_email: str | None = None
    active: bool | None = None
    admin: bool = False
    boss: bool = False
    dept_ids: list[int] = Field(default_factory=list)
    hired_at: datetime | None = None
    exclusive_account: bool = False
    exclusive_account_type: str | None = None  # "sso" | "dingtalk" on enterprise-account tenants
    disable_status: bool | None = None

    @property
    def uses_sso(self) -> bool:
        """Signs in through the organisation's identity provider (an ``sso`` enterprise account)."""
        return self.exclusive_account_type == "sso"

    def rejoined_after(self, record: LeaveRecord) -> bool:
        """Hired again after this leave record: a new employment, not a forgotten account."""
        return self.hired_at is not None and self.hired_at > record.leave_time

    @property
    def addresses(self) -> list[str]:
        """``email`` and ``org_email``, each once (they are often the same address)."""
        return list(dict.fromkeys(a for a in (self.email, self.org_email) if a))


class Admin(_Record):
    userid: str
    sys_level: int  # 1 primary admin (主管理员), 2 sub-admin (子管理员)
    dept_ids: list[int] | None = None  # directory scope; [1] = whole organisation; None = unknown
    union_corp_id: str | None = None  # set when the admin is mirrored from a partner org (union_emp_ext)
    union_signal: str | None = None  # the user/get field that named that partner org
    detail_error: str | None = None  # why dept_ids / union_corp_id are unknown, when they are

    @property
    def is_primary(self) -> bool:
        return self.sys_level == 1


class RoleMember(_Record):
    userid: str
    name: str = ""


class Role(_Record):
    role_id: int
    name: str
    group_name: str
    members: list[RoleMember] = Field(default_factory=list)


class ExternalContact(_Record):
    userid: str
    name: str = ""
    company_name: str | None = None
    follower_user_id: str | None = None
    share_dept_ids: list[int] = Field(default_factory=list)
    share_user_ids: list[str] = Field(default_factory=list)


class PartnerOrg(_Record):
    corp_id: str
    org_name: str = ""


class App(_Record):
    agent_id: int
    app_id: int  # 0 = self-built; otherwise the platform AppId (built-in or third-party)
    name: str
    app_status: int  # 0 disabled, 1 enabled, 3 expired
    develop_type: int | None = None


class LeaveRecord(_Record):
    userid: str
    name: str = ""
    leave_time: datetime
    leave_reason: str | None = None


class LeaveRecords(_Record):
    """Leave records (``empLeaveRecords``) of the window the collector asked for: checks say
    "left since ``since``" from here, never from a constant of their own."""

    since: datetime
    records: list[LeaveRecord] = Field(default_factory=list)

    @property
    def window(self) -> str:
        return f"since {self.since:%Y-%m-%d}"

    def latest(self) -> dict[str, LeaveRecord]:
        """Each leaver's most recent leave record, by userid (people can leave more than once)."""
        return {r.userid: r for r in sorted(self.records, key=lambda r: r.leave_time)}


class Dormancy(_Record):
    """Members with no login on any day of the window (``inactive/user/v2/get``, day by day)."""

    first_day: date
    last_day: date
    dormant_userids: list[str] = Field(default_factory=list)


class Dimission(_Record):
    """智能人事 resignation record (``hrm/employees/dimissionInfos``)."""

    userid: str
    last_work_day: datetime | None = None
    status: int | None = None  # 1 pending, 2 left, 3 neither, 4 approval pending
    handover_userid: str | None = None


class AuditLogProbe(_Record):
    """专属钉钉 log APIs asked for records in a week about 90 days ago: supporting evidence of
    how far back the logs reach. An empty week proves nothing on its own (a quiet week)."""

    window_start: datetime
    window_end: datetime
    admin_log_records: int | None = None  # oaOperatorLogs; None = could not be probed
    file_log_records: int | None = None  # fileAuditLogs; None = could not be probed


class ExternalGroup(_Record):
    """An external group under audit (``exclusive/audits/outsideGroups``, 专属钉钉 only). The API
    gives only the group's ``openConversationId``: no title or name."""

    group_id: str


class SectionName(StrEnum):
    SCOPES = "scopes"
    ORG = "org"
    DEPARTMENTS = "departments"
    USERS = "users"
    USER_EMAILS = "user_emails"
    ADMINS = "admins"
    ADMIN_DETAILS = "admin_details"
    ROLES = "roles"
    EXTERNAL_CONTACTS = "external_contacts"
    PARTNER_ORGS = "partner_orgs"
    APPS = "apps"
    LEAVE_RECORDS = "leave_records"
    DORMANCY = "dormancy"
    DIMISSIONS = "dimissions"
    AUDIT_LOG_PROBE = "audit_log_probe"
    EXTERNAL_GROUPS = "external_groups"
    ATTESTATIONS = "attestations"


#: The default of every section: a collector that never reached an area leaves it failed.
NOT_COLLECTED: Section[Any] = Section[Any](status=SectionStatus.FAILED, reason="not collected")


class Snapshot(BaseModel):
    """One tenant at one moment. ``as_of`` is the moment checks judge time against."""

    model_config = ConfigDict(frozen=True)

    as_of: datetime
    corp_id: str | None = None
    scopes: Section[AuthScopes] = NOT_COLLECTED
    org: Section[OrgInfo] = NOT_COLLECTED
    departments: Section[list[Department]] = NOT_COLLECTED
    users: Section[list[User]] = NOT_COLLECTED
    user_emails: Section[bool] = NOT_COLLECTED  # the app may read email fields (auth_user_field)
    admins: Section[list[Admin]] = NOT_COLLECTED
    admin_details: Section[bool] = NOT_COLLECTED  # every admin's scope and partner-org link were read
    roles: Section[list[Role]] = NOT_COLLECTED
    external_contacts: Section[list[ExternalContact]] = NOT_COLLECTED
    partner_orgs: Section[list[PartnerOrg]] = NOT_COLLECTED
    apps: Section[list[App]] = NOT_COLLECTED
    leave_records: Section[LeaveRecords] = NOT_COLLECTED
    dormancy: Section[Dormancy] = NOT_COLLECTED
    dimissions: Section[list[Dimission]] = NOT_COLLECTED
    audit_log_probe: Section[AuditLogProbe] = NOT_COLLECTED
    external_groups: Section[list[ExternalGroup]] = NOT_COLLECTED
    attestations: Section[Attestations] = NOT_COLLECTED  # the operator's file, not the API

    def section(self, name: SectionName) -> Section[object]:
        section: Section[object] = getattr(self, name.value)
        return section

    def coverage(self) -> dict[str, Section[object]]:
        return {name.value: self.section(name) for name in SectionName}

    def users_by_id(self) -> dict[str, User]:
        """Whatever users were collected, by userid: to *name* people in findings, never as
        evidence (a check that needs the users declares the section)."""
        return {u.userid: u for u in self.users.data or []}
