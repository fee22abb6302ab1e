"""What changed between two scans of a tenant: new, resolved and still-open offenders, status moves.

One comparison serves both the state directory (against the offenders still open in the history)
and ``dingscan diff`` (against an older findings document). Offenders are those of FAIL and
ACCEPTED findings; an offender is *resolved* only when the control was evaluated again (PASS,
FAIL, ACCEPTED): under ERROR or MANUAL nothing is known about it, so nothing is resolved.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from dingscan.findings import Changes, Finding, FindingsDocument, ResourceKey, Status

#: Statuses that judged every object: an offender absent from them is resolved. Under ERROR,
#: MANUAL or NOT_APPLICABLE nothing is known, so open offenders stay open (fail closed).
EVALUATED = frozenset({Status.PASS, Status.FAIL, Status.ACCEPTED})
OFFENDING = frozenset({Status.FAIL, Status.ACCEPTED})


def offenders(finding: Finding) -> list[ResourceKey]:
    return [r.key for r in finding.resources] if finding.status in OFFENDING else []


def changes(
    finding: Finding, since: datetime, previous_status: Status | None, previous: Iterable[ResourceKey]
) -> Changes:
    current = {key.identity: key for key in offenders(finding)}
    before = {key.identity: key for key in previous}
    evaluated = finding.status in EVALUATED
    return Changes(
        since=since,
        previous_status=previous_status,
        new=[key for identity, key in current.items() if identity not in before],
        resolved=[key for identity, key in before.items() if identity not in current] if evaluated else [],
        open=[key for identity, key in current.items() if identity in before],
    )


def compare(old: FindingsDocument, new: FindingsDocument) -> FindingsDocument:
    """``new`` with each finding's ``changes`` against ``old`` (``dingscan diff``)."""
    before = {f.control_id: f for f in old.findings}
    findings = [
        f.model_copy(
            update={
                "changes": changes(
                    f,
                    old.scan.as_of,
                    before[f.control_id].status if f.control_id in before else None,
                    offenders(before[f.control_id]) if f.control_id in before else [],
                )
            }
        )
        for f in new.findings
    ]
    return new.model_copy(update={"findings": findings})


def new_failures(finding: Finding) -> list[ResourceKey]:
    """New offenders of this finding that no exception accepts."""
    if finding.changes is None or finding.status is not Status.FAIL:
        return []
    fresh = {key.identity for key in finding.changes.new}
    return [r.key for r in finding.resources if r.key.identity in fresh and r.accepted is None]


def something_new_failed(document: FindingsDocument) -> bool:
    """A new unaccepted offender, or a control newly FAIL: what a nightly job must report."""
    return any(
        new_failures(f)
        or (f.status is Status.FAIL and f.changes and f.changes.previous_status is not Status.FAIL)
        for f in document.findings
        if f.changes is not None
    )
