"""Record a scan in the state and annotate its findings with what the history knows."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from dingscan.drift import OFFENDING, changes, offenders
from dingscan.findings import Finding, FindingsDocument
from dingscan.state.store import KnownOffender, Prior, ScanRecord, StateError, StateStore


def record_scan(document: FindingsDocument, store: StateStore) -> FindingsDocument:
    """Store the scan; return it with ``first_seen`` on offenders and ``changes`` on findings."""
    scan = document.scan
    if not scan.tenant.corp_id:
        raise StateError("the scan names no corp_id, so its history cannot be kept: set DINGSCAN_CORP_ID")
    offending = {f.control_id: offenders(f) for f in document.findings}
    prior = store.record(
        ScanRecord(
            tenant=scan.tenant.corp_id,
            scan_id=scan.id,
            as_of=scan.as_of,
            mode=scan.mode,
            statuses={f.control_id: f.status for f in document.findings},
            offenders={control: keys for control, keys in offending.items() if keys},
        )
    )
    known: dict[str, dict[tuple[str, str], KnownOffender]] = defaultdict(dict)
    for offender in prior.offenders:
        known[offender.control_id][offender.key.identity] = offender
    findings = [_annotate(f, known[f.control_id], prior, scan.as_of) for f in document.findings]
    return document.model_copy(update={"findings": findings})


def _annotate(
    finding: Finding, known: dict[tuple[str, str], KnownOffender], prior: Prior, as_of: datetime
) -> Finding:
    update: dict[str, object] = {}
    if finding.status in OFFENDING:
        update["resources"] = [
            r.model_copy(
                update={"first_seen": known[(r.type, r.id)].first_seen if (r.type, r.id) in known else as_of}
            )
            for r in finding.resources
        ]
    if prior.previous is not None:
        still_open = [o.key for o in known.values() if o.open_since is not None]
        update["changes"] = changes(
            finding, prior.previous.as_of, prior.previous.statuses.get(finding.control_id), still_open
        )
    return finding.model_copy(update=update)
