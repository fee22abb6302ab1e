"""What an alert reports: the findings that need someone's attention now.

With a history (``--state``), a finding carries its ``changes`` since the tenant's last scan: it
is new when it has offenders the last scan did not, or when it has just become FAIL or ERROR; an
unchanged failure was reported before and is not repeated every night. Until the scan has a
history to compare with, everything that FAILED or could not be evaluated (ERROR) is new: an
alert that stays silent for lack of history would fail open.
"""

from __future__ import annotations

from dingscan.findings import Finding, FindingsDocument, Status

ALERTING = (Status.FAIL, Status.ERROR)


def new_findings(document: FindingsDocument) -> list[Finding]:
    return [f for f in document.findings if _is_new(f)]


def _is_new(finding: Finding) -> bool:
    if finding.status not in ALERTING:
        return False
    if finding.changes is None:  # no previous scan of this tenant in the state, or no state
        return True
    return bool(finding.changes.new) or finding.changes.previous_status != finding.status
