"""What a check is: metadata bound to a baseline control, the sections it reads, one verdict.

A check reads the snapshot and the policy and nothing else: it never calls DingTalk, reads files
or logs. It declares the snapshot sections it cannot do without in ``requires``; the engine turns
such a section that could not be collected into ERROR (or NOT_APPLICABLE) with the collector's
reason, so no check repeats fail-closed logic. Sections that only add to what the check can
prove go in ``enriches``: the check runs without them (reading them with :meth:`Section.known`),
a FAIL it proves stands and says what could not be checked, and anything else becomes ERROR.
``supports`` names supporting evidence the check reports but never decides on. Most controls are "no object may break this rule" and subclass
:class:`RuleCheck`, which needs only the rule; the rest implement :meth:`Check.evaluate`.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dingscan.findings import CheckPack, Resource, Severity, Status
from dingscan.policy import Policy
from dingscan.snapshot import Admin, App, LeaveRecord, SectionName, Snapshot, User

CONTROL_ID = re.compile(r"^[A-Z]{2,}\.[A-Z]{3}\.\d+$")

#: The baseline's areas in the order the baseline presents them (control ID middle part).
AREAS: dict[str, str] = {
    "IDN": "Identity and sign-in",
    "PRV": "Privileged access",
    "EXT": "External collaboration",
    "LOG": "Audit logging",
    "LCM": "Account lifecycle",
    "APP": "Third-party apps",
    "DAT": "Data protection and devices",
    "GOV": "Governance and PDPO",
}


def control_sort_key(control_id: str) -> tuple[int, str, int]:
    """Baseline order: by area as listed in :data:`AREAS`, then by number."""
    prefix, _, number = control_id.rpartition(".")
    area = prefix.rpartition(".")[2]
    rank = list(AREAS).index(area) if area in AREAS else len(AREAS)
    return rank, prefix, int(number) if number.isdigit() else 0


class CheckMetadata(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    control_id: str
    title: str
    severity: Severity
    requirement: Literal["SHALL", "SHOULD"] = "SHALL"
    rationale: str
    remediation: str
    evidence: str = Field(description="Where the evidence comes from: API endpoints, attestation")

    @field_validator("control_id")
    @classmethod
    def _control_id_shape(cls, value: str) -> str:
        if not CONTROL_ID.match(value):
            raise ValueError(f"control id {value!r} is not of the form DT.ABC.1")
        return value


class Outcome(BaseModel):
    """A check's verdict before the engine dresses it with metadata."""

    model_config = ConfigDict(frozen=True)

    status: Status
    message: str
    resources: list[Resource] = Field(default_factory=list)
    evidence: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def passed(cls, message: str, **evidence: Any) -> Outcome:
        return cls(status=Status.PASS, message=message, evidence=evidence)

    @classmethod
    def failed(cls, message: str, resources: Iterable[Resource] = (), **evidence: Any) -> Outcome:
        return cls(status=Status.FAIL, message=message, resources=list(resources), evidence=evidence)

    @classmethod
    def manual(cls, message: str, **evidence: Any) -> Outcome:
        return cls(status=Status.MANUAL, message=message, evidence=evidence)

    @classmethod
    def not_applicable(cls, message: str, **evidence: Any) -> Outcome:
        return cls(status=Status.NOT_APPLICABLE, message=message, evidence=evidence)

    def extended(self, remark: str | None = None, **evidence: Any) -> Outcome:
        """The same verdict with more evidence and, when given, a remark after its message."""
        message = f"{self.message}; {remark}" if remark else self.message
        return self.model_copy(update={"message": message, "evidence": {**self.evidence, **evidence}})


class Check(ABC):
    metadata: ClassVar[CheckMetadata]
    requires: ClassVar[tuple[SectionName, ...]]
    enriches: ClassVar[tuple[SectionName, ...]] = ()
    supports: ClassVar[tuple[SectionName, ...]] = ()
    pack: CheckPack | None = None  # set by the loader: where this check came from

    @abstractmethod
    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        """The verdict for this control on this snapshot."""


class RuleCheck(Check):
    """A control that no object may break: FAIL naming every offender, else PASS.

    Subclasses yield offenders from :meth:`offenders` and phrase the two messages; ``{count}``
    and ``{checked}`` (how many objects were examined) are filled in, and whatever
    :meth:`wording` adds (a window the snapshot recorded, say).
    """

    pass_message: ClassVar[str]
    fail_message: ClassVar[str]

    @abstractmethod
    def examined(self, snapshot: Snapshot, policy: Policy) -> int:
        """How many objects the rule looked at (shown in the verdict and evidence)."""

    @abstractmethod
    def offenders(self, snapshot: Snapshot, policy: Policy) -> Iterable[Resource]:
        """Every object that breaks the rule, with what convicts it."""

    def wording(self, snapshot: Snapshot, policy: Policy) -> dict[str, str]:
        """More fields for the two messages; none by default."""
        return {}

    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        checked = self.examined(snapshot, policy)
        offenders = sorted(self.offenders(snapshot, policy), key=lambda r: (r.type, r.id))
        words = self.wording(snapshot, policy)
        if offenders:
            message = self.fail_message.format(count=len(offenders), checked=checked, **words)
            return Outcome.failed(message, offenders, checked=checked, offending=len(offenders))
        return Outcome.passed(self.pass_message.format(count=0, checked=checked, **words), checked=checked)


def user_resource(user: User, detail: str, **evidence: Any) -> Resource:
    """A member named the way a person acts on it: userid, name, departments."""
    return Resource(
        type="user",
        id=user.userid,
        name=user.name or None,
        detail=detail,
        evidence={"dept_ids": user.dept_ids, **evidence},
    )


def admin_flag(snapshot: Snapshot, userid: str) -> bool | None:
    """Whether a member is an administrator; None when the admin list was not collected."""
    admins = snapshot.admins.known()
    return None if admins is None else any(a.userid == userid for a in admins)


def member_role(is_admin: bool | None) -> str:
    """How a finding names a member whose admin status is known, or not (admin list missing)."""
    if is_admin is None:
        return "member (admin list not collected)"
    return "administrator" if is_admin else "member"


def admin_resource(
    admin: Admin, users: Mapping[str, User], detail: str, *, known_as: str | None = None, **evidence: Any
) -> Resource:
    """An administrator named by userid, with the name from the directory when it was collected
    (else ``known_as``, a name from another record such as a leave record)."""
    user = users.get(admin.userid)
    return Resource(
        type="admin",
        id=admin.userid,
        name=(user.name if user else None) or known_as or None,
        detail=detail,
        evidence={"sys_level": admin.sys_level, **evidence},
    )


def has_enterprise_accounts(users: Iterable[User]) -> bool:
    """The tenant has 专属账号 (enterprise accounts): only then can SSO be required of everyone."""
    return any(u.exclusive_account for u in users)


def without_sso(user: User) -> str:
    """Why a member's sign-in is a fault where enterprise accounts exist, naming the account type."""
    return (
        f"signs in without SSO (account type: {user.exclusive_account_type or 'personal DingTalk account'})"
    )


def departure(record: LeaveRecord) -> str:
    """``left on 2026-09-30 (leave)``: a leave record as findings state it."""
    return f"left on {record.leave_time:%Y-%m-%d} ({record.leave_reason or 'reason unknown'})"


def app_resource(app: App, detail: str, **evidence: Any) -> Resource:
    """An app named by its platform ``appId`` in every control, so history and exceptions match.

    Self-built apps all have appId 0; only their ``agentId`` tells them apart, so they are named
    ``agent:<agentId>`` (a form no platform appId can take).
    """
    return Resource(
        type="app",
        id=str(app.app_id) if app.app_id else f"agent:{app.agent_id}",
        name=app.name,
        detail=detail,
        evidence={"app_id": app.app_id, "agent_id": app.agent_id, **evidence},
    )
