"""Accepted risks: the exceptions file, and what its entries do to the findings.

A nightly job must go green once every remaining failure is a known, accepted risk, so that its
exit code means "something new is wrong". An entry accepts named offenders of one control (a
whole control only when it says ``all_resources: true``), for a reason, owned and approved by
named people, with a ticket and an expiry date at most a year ahead: an accepted risk is
re-decided at least yearly, and an expired one stops applying on its own.

What an exception can never do is hide missing data: it applies to FAIL findings only, so ERROR,
MANUAL and NOT_APPLICABLE stay what they are. Offenders stay listed (marked accepted); a control
whose every offender is accepted becomes ACCEPTED, one with offenders left stays FAIL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dingscan.errors import UserError
from dingscan.findings import Acceptance, ExceptionOutcome, ExceptionState, Finding, Status
from dingscan.yamlfile import parse_model, read_text

#: Longest an exception may run: a year (leap day included) from the day the file is read.
MAX_VALIDITY = timedelta(days=366)


class ExceptionsError(UserError, ValueError):
    """An exceptions file that cannot be used; one line naming file, line and key."""


class RiskException(BaseModel):
    """One accepted risk: which offenders of which control, why, whose, and until when."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, description="unique within the file, shown in the findings")
    control: str = Field(pattern=r"^[A-Z]{2,}\.[A-Z]{3}\.\d+$")
    resources: list[str] | None = Field(default=None, min_length=1, description="exact resource ids")
    all_resources: bool = Field(default=False, description="covers every offender of the control")
    reason: str = Field(min_length=2)
    owner: str = Field(min_length=2)
    approved_by: str = Field(min_length=2)
    reference: str = Field(min_length=2, description="ticket or document reference")
    expires_on: date

    @field_validator("expires_on")
    @classmethod
    def _within_a_year(cls, value: date) -> date:
        """On the UTC date, the calendar exceptions expire on (a local date is a day off near midnight)."""
        if value > datetime.now(UTC).date() + MAX_VALIDITY:
            raise ValueError("is more than a year ahead: accepted risks are re-approved at least yearly")
        return value

    @model_validator(mode="after")
    def _names_what_it_covers(self) -> RiskException:
        if (self.resources is None) == (not self.all_resources):
            raise ValueError(
                "name the covered resource ids in 'resources', or set 'all_resources: true' (not both)"
            )
        return self

    def acceptance(self) -> Acceptance:
        return Acceptance(
            exception=self.id,
            owner=self.owner,
            approved_by=self.approved_by,
            reason=self.reason,
            reference=self.reference,
            expires_on=self.expires_on,
        )


class Exceptions(BaseModel):
    """The exceptions file (``--exceptions``): a list of accepted risks."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    exceptions: list[RiskException] = Field(default_factory=list)

    @field_validator("exceptions")
    @classmethod
    def _unique_ids(cls, value: list[RiskException]) -> list[RiskException]:
        ids = [entry.id for entry in value]
        if duplicates := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"exception ids must be unique: {', '.join(duplicates)}")
        return value

    @classmethod
    def load(cls, path: Path) -> Exceptions:
        return cls.parse(read_text(path, ExceptionsError), str(path))

    @classmethod
    def parse(cls, text: str, source: str) -> Exceptions:
        return parse_model(cls, text, source, ExceptionsError)


def apply_exceptions(
    findings: Sequence[Finding], exceptions: Exceptions, today: date
) -> tuple[list[Finding], list[ExceptionOutcome]]:
    """The findings with covered offenders accepted, and what each entry did (judged on ``today``)."""
    by_control = {f.control_id: f for f in findings}
    outcomes = [_outcome(entry, by_control.get(entry.control), today) for entry in exceptions.exceptions]
    active = [e for e, o in zip(exceptions.exceptions, outcomes, strict=True) if o.state == "applied"]
    expired = [e for e, o in zip(exceptions.exceptions, outcomes, strict=True) if o.state == "expired"]
    return [_accept(f, active, expired) for f in findings], outcomes


def _covers(entry: RiskException, resource_id: str) -> bool:
    return entry.all_resources or resource_id in (entry.resources or [])


def _outcome(entry: RiskException, finding: Finding | None, today: date) -> ExceptionOutcome:
    def outcome(state: ExceptionState, detail: str) -> ExceptionOutcome:
        accepted = entry.acceptance()
        return ExceptionOutcome(
            id=entry.id,
            control_id=entry.control,
            resources=entry.resources,
            owner=accepted.owner,
            approved_by=accepted.approved_by,
            reason=accepted.reason,
            reference=accepted.reference,
            expires_on=accepted.expires_on,
            state=state,
            detail=detail,
        )

    if entry.expires_on < today:
        return outcome("expired", f"expired on {entry.expires_on:%Y-%m-%d}: not applied")
    if finding is None:
        return outcome("stale", f"no control {entry.control} was evaluated")
    if finding.status in (Status.ERROR, Status.MANUAL, Status.NOT_APPLICABLE):
        return outcome(
            "not_applied", f"{entry.control} is {finding.status.value}: an exception never hides that"
        )
    if finding.status is Status.PASS:
        return outcome("stale", f"{entry.control} passes: the exception matches nothing any more")
    ids = {r.id for r in finding.resources}
    if entry.all_resources:
        return outcome("applied", f"covers every offender of {entry.control} ({len(ids)})")
    covered = [i for i in entry.resources or [] if i in ids]
    gone = [i for i in entry.resources or [] if i not in ids]
    if not covered:
        return outcome("stale", f"matches no offender of {entry.control} any more: {', '.join(gone)}")
    no_longer = f"; no longer offending: {', '.join(gone)}" if gone else ""
    return outcome("applied", f"covers {len(covered)} of {len(ids)} offenders{no_longer}")


def _accept(finding: Finding, active: list[RiskException], expired: list[RiskException]) -> Finding:
    if finding.status is not Status.FAIL:
        return finding
    lapsed = [e for e in expired if e.control == finding.control_id]
    entries = [e for e in active if e.control == finding.control_id]
    covering = {r.id: next((e for e in entries if _covers(e, r.id)), None) for r in finding.resources}
    resources = [
        r.model_copy(update={"accepted": entry.acceptance()}) if (entry := covering[r.id]) else r
        for r in finding.resources
    ]
    accepted = sum(r.accepted is not None for r in resources)
    notes = [f"exception {e.id} expired on {e.expires_on:%Y-%m-%d}, not applied" for e in lapsed]
    if accepted:
        notes.append(f"{accepted} of {len(resources)} offenders accepted as risks")
    whole = any(e.all_resources for e in entries)
    everything = accepted == len(resources) and (accepted > 0 or whole)
    message = f"{finding.message} ({'; '.join(notes)})" if notes else finding.message
    status = Status.ACCEPTED if everything else Status.FAIL
    return finding.model_copy(update={"resources": resources, "status": status, "message": message})
