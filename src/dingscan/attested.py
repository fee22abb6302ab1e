"""Check bases for controls proven by the operator's attestation file.

Declaring such a control is naming the attestation key: the base turns a missing statement into
MANUAL ("no attestation"), an expired one into MANUAL ("expired on DATE"), an attested "no" into
FAIL, and otherwise judges it. Controls with API evidence beside the attestation override
:meth:`AttestedCheck.judge` and compare the two; a contradiction is a FAIL showing both.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from dingscan.attestations import Attestation, LastDone, Statement
from dingscan.check import Check, Outcome
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, SectionUnavailable, Snapshot


def attestation_evidence(statement: Attestation) -> dict[str, Any]:
    """Who attested what and when, for a finding's evidence."""
    return {
        "attested_by": statement.attested_by,
        "attested_on": statement.attested_on.isoformat(),
        "evidence": statement.evidence,
        "valid_until": statement.valid_until.isoformat(),
    }


def attested_by(statement: Attestation) -> str:
    """ "attested by NAME on DATE", the way every attested verdict names its source."""
    return f"attested by {statement.attested_by} on {statement.attested_on:%Y-%m-%d}"


def read_attestation(snapshot: Snapshot, key: str) -> Attestation | Outcome:
    """The current statement under ``key``, or the MANUAL outcome saying why there is none.

    An attestation file that could not be read is MANUAL here too, so that API evidence beside
    the statement can still prove a FAIL; the engine turns any other verdict of a check whose
    attestations are missing into ERROR."""
    try:
        attestations = snapshot.attestations.get()
    except SectionUnavailable as exc:
        return Outcome.manual(f"the attestation file could not be read: {exc.reason}")
    statement = getattr(attestations, key)
    if statement is None:
        note = f" ({snapshot.attestations.reason})" if snapshot.attestations.reason else ""
        return Outcome.manual(f"no '{key}' statement in the attestation file{note}")
    if not isinstance(statement, Attestation):
        raise TypeError(f"{key} is a register, not a statement")
    if statement.expired(snapshot.as_of.date()):
        return Outcome.manual(
            f"the '{key}' attestation expired on {statement.valid_until:%Y-%m-%d}; attest it again",
            **attestation_evidence(statement),
        )
    return statement


class AttestedCheck(Check):
    """A control proven by one attestation statement (``attestation`` = its key in the file)."""

    attestation: ClassVar[str]
    requires: ClassVar[tuple[SectionName, ...]] = (SectionName.ATTESTATIONS,)

    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        statement = read_attestation(snapshot, self.attestation)
        if isinstance(statement, Outcome):
            return statement
        return self.judge(statement, snapshot, policy)

    def judge(self, statement: Attestation, snapshot: Snapshot, policy: Policy) -> Outcome:
        """Yes/no statements by default: ``answer: yes`` passes, ``answer: no`` fails."""
        if not isinstance(statement, Statement):
            raise TypeError(f"{self.attestation} needs its own judge()")
        who = attested_by(statement)
        details = f": {statement.details}" if statement.details else ""
        if statement.answer:
            return Outcome.passed(f"{who}{details}", **attestation_evidence(statement))
        return Outcome.failed(f"attested as NOT in place ({who}){details}", **attestation_evidence(statement))


class RecurringTaskCheck(AttestedCheck):
    """A task that must recur: PASS when it was last done within ``max_age_days``."""

    max_age_days: ClassVar[int]
    task: ClassVar[str]  # "the last backup", "the last SIEM export", ...

    def judge(self, statement: Attestation, snapshot: Snapshot, policy: Policy) -> Outcome:
        if not isinstance(statement, LastDone):
            raise TypeError(f"{self.attestation} is not a recurring-task record")
        age = (snapshot.as_of.date() - statement.last_done_on).days
        evidence = {
            **attestation_evidence(statement),
            "last_done_on": statement.last_done_on.isoformat(),
            "age_days": age,
        }
        deadline = statement.last_done_on + timedelta(days=self.max_age_days)
        if age > self.max_age_days:
            return Outcome.failed(
                f"{self.task} was on {statement.last_done_on:%Y-%m-%d}, {age} days ago "
                f"(allowed {self.max_age_days}; overdue since {deadline:%Y-%m-%d})",
                **evidence,
            )
        return Outcome.passed(
            f"{self.task} was on {statement.last_done_on:%Y-%m-%d} ({age} days ago)", **evidence
        )
