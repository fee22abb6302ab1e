"""Record a scan in the state and annotate its findings with what the history knows."""

from __future__ import annotations

from dingscan.drift import changes, offenders
from dingscan.findings import Finding, FindingsDocument
from dingscan.state.store import KnownOffender, Prior, ScanRecord, StateError, StateStore


def record_scan(document: FindingsDocument, store: StateStore) -> FindingsDocument:
    """Store the scan; return it with ``first_seen`` on offenders and ``changes`` on findings."""
    scan = document.scan
    if not scan.tenant.corp_id:
        raise StateError("the scan names no corp_id, so its history cannot be kept: set DINGSCAN_CORP_ID")
    prior = store.record(
        ScanRecord(
            tenant=scan.tenant.corp_id,
            scan_id=scan.id,
            as_of=scan.as_of,
            mode=scan.mode,
            statuses={f.control_id: f.status for f in document.findings},
            offenders={f.control_id: offenders(f) for f in document.findings if offenders(f)},
        )
    )
    return document.model_copy(
        update={"findings": [_annotate(f, prior, document) for f in document.findings]}
    )


def _annotate(finding: Finding, prior: Prior, document: FindingsDocument) -> Finding:
    known: dict[tuple[str, str], KnownOffender] = {
        o.key.identity: o for o in prior.offenders if o.control_id == finding.control_id
    }
    offending = {key.identity for key in offenders(finding)}
    resources = [
        r.model_copy(
            update={
                "first_seen": known[r.key.identity].first_seen
                if r.key.identity in known
                else document.scan.as_of
            }
        )
        if r.key.identity in offending
        else r
        for r in finding.resources
    ]
    update: dict[str, object] = {"resources": resources}
    if prior.previous is not None:
        still_open = [o.key for o in known.values() if o.open_since is not None]
        update["changes"] = changes(
            finding, prior.previous.as_of, prior.previous.statuses.get(finding.control_id), still_open
        )
    return finding.model_copy(update=update)
