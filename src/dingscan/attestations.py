"""Operator attestations: what the DingTalk API cannot show, signed off by a named person.

SSO enforcement, audit-log retention, backups, device and watermark controls, PDPO paperwork and
the registers of approved apps and temporary access exist only in the admin console and in the
organisation's documents. The attestation file records each as a statement with who attested
it, when, the evidence (a document reference or URL) and until when it holds. Nothing here is
ever guessed: a missing statement makes its control MANUAL, an expired one MANUAL with the date,
an attested "no" a FAIL.

Validity defaults follow how fast each fact goes stale: one year, a quarter for training, one
month for backups and log exports.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from dingscan.errors import UserError
from dingscan.yamlfile import parse_model, read_text

YEAR = timedelta(days=365)
QUARTER = timedelta(days=92)
MONTH = timedelta(days=31)


class AttestationError(UserError, ValueError):
    """An attestation file that cannot be used; one line naming file, line and key."""


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> date:
    """Only ``YYYY-MM-DD``: pydantic would also take ``20261101`` (as seconds since 1970)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}")


def _not_in_future(value: date) -> date:
    """A day's grace for time zones; a later date is a typo, or a claim about what has not happened."""
    if value > date.today() + timedelta(days=1):
        raise ValueError(f"{value:%Y-%m-%d} is in the future")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
PastDate = Annotated[date, BeforeValidator(_iso_date), AfterValidator(_not_in_future)]


class Attestation(BaseModel):
    """Who says so, when, on what evidence, and until when it holds."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    validity: ClassVar[timedelta] = YEAR

    attested_by: str = Field(min_length=2)
    attested_on: PastDate
    evidence: str = Field(min_length=2, description="document reference or URL")
    expires_on: IsoDate | None = None

    @property
    def valid_until(self) -> date:
        return self.expires_on or self.attested_on + self.validity

    def expired(self, today: date) -> bool:
        return today > self.valid_until


class Statement(Attestation):
    """A yes/no statement: ``answer: yes`` holds the control, ``answer: no`` fails it."""

    answer: bool
    details: str | None = None


class SsoStatement(Statement):
    identity_provider: str | None = None


class RetentionStatement(Attestation):
    retention_days: int = Field(ge=0)


class LastDone(Attestation):
    """Something that must happen regularly: when it last happened."""

    last_done_on: PastDate


class MonthlyTask(LastDone):
    validity = MONTH


class TrainingRecord(LastDone):
    validity = QUARTER
    attendance_kept: bool


class ResellerStatement(Statement):
    reseller: str | None = None
    authorisation_number: str | None = None


class ApprovedApp(BaseModel):
    """An entry of the third-party app register, joined to ``microApp/allApps`` by ``app_id``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    app_id: int
    name: str
    approved_scopes: list[str] = Field(
        default_factory=list,
        description="For reviewers: what the approver accepted. DingTalk does not expose the "
        "permissions an app was granted, so no check compares them.",
    )
    approved_by: str
    reviewed_on: PastDate


class TemporaryGrant(BaseModel):
    """An entry of the temporary-access register (e.g. 7-day collaborator access)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    userid: str
    role: str | None = Field(default=None, description="role name granted")
    dept_id: int | None = Field(default=None, description="department granted")
    granted_on: IsoDate
    expires_on: IsoDate
    approved_by: str

    @model_validator(mode="after")
    def _grants_something(self) -> TemporaryGrant:
        if self.role is None and self.dept_id is None:
            raise ValueError("a grant names the role or the dept_id it granted")
        if self.expires_on < self.granted_on:
            raise ValueError("expires_on is before granted_on")
        return self


class Attestations(BaseModel):
    """The attestation file. Every key is optional: what is absent is MANUAL, never assumed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sso_enforced: SsoStatement | None = None
    audit_log_retention: RetentionStatement | None = None
    audit_log_export: MonthlyTask | None = None
    external_groups_restricted: Statement | None = None
    backups: MonthlyTask | None = None
    trusted_devices_only: Statement | None = None
    watermark_and_download_controls: Statement | None = None
    transfer_impact_assessment: LastDone | None = None
    data_processing_agreement: Statement | None = None
    staff_notice: Statement | None = None
    authorised_reseller: ResellerStatement | None = None
    security_training: TrainingRecord | None = None
    acceptable_use_rules: Statement | None = None
    approved_apps: list[ApprovedApp] | None = None
    temporary_access: list[TemporaryGrant] | None = None

    @classmethod
    def load(cls, path: Path) -> Attestations:
        return cls.parse(read_text(path, AttestationError), str(path))

    @classmethod
    def parse(cls, text: str, source: str) -> Attestations:
        return parse_model(cls, text, source, AttestationError)
