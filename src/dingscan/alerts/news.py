"""What an alert reports: the findings that need someone's attention now.

Until the scan has a history to compare with (the state store), everything that FAILED or could
not be evaluated (ERROR) is new: an alert that stays silent for lack of history would fail open.
"""

from __future__ import annotations

from dingscan.findings import Finding, FindingsDocument, Status

ALERTING = (Status.FAIL, Status.ERROR)


def new_findings(document: FindingsDocument) -> list[Finding]:
    return [f for f in document.findings if f.status in ALERTING]
