"""Record a scan in the state and annotate its findings with what the history knows."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from dingscan.drift import OFFENDING, changes, offenders
from dingscan.findings import Finding, FindingsDocument
from dingscan.state.store import (
    FutureScan,
    KnownOffender,
    NoCorpId,
    Prior,
    ScanRecord,
    StateStore,
    stamp,
)

#: How far past this machine's clock a scan may be dated and still be recorded (clocks drift).
FUTURE_TOLERANCE = timedelta(minutes=5)


def record_scan(document: FindingsDocument, store: StateStore) -> FindingsDocument:
    """Store the scan; return it with ``first_seen`` on offenders and ``changes`` on findings."""
    return annotate(document, store.record(scan_record(document)))


def scan_record(document: FindingsDocument, *, now: datetime | None = None) -> ScanRecord:
    """What the state keeps of ``document``; refused when it cannot be kept (no corp_id) or
    must not be (dated in the future: recorded, it would block every later scan of the tenant)."""
    scan = document.scan
    if not scan.tenant.corp_id:
        raise NoCorpId()
    clock = now or datetime.now(UTC)
    if scan.as_of > clock + FUTURE_TOLERANCE:
        raise FutureScan(
            f"the scan is dated {stamp(scan.as_of)}, after this machine's clock ({stamp(clock)}); "
            "a scan from the future is never recorded (check the clock, or the bundle's recording time)"
        )
    offending = {f.control_id: offenders(f) for f in document.findings}
    return ScanRecord(
        tenant=scan.tenant.corp_id,
        scan_id=scan.id,
        as_of=scan.as_of,
        mode=scan.mode,
        statuses={f.control_id: f.status for f in document.findings},
        offenders={control: keys for control, keys in offending.items() if keys},
    )


def history(store: StateStore, tenant: str) -> Prior:
    """The tenant's history as it stands, read without recording anything."""
    previous = store.scans(tenant, 1)
    return Prior(previous[-1] if previous else None, store.offenders(tenant))


def annotate(document: FindingsDocument, prior: Prior) -> FindingsDocument:
    """``document`` with what ``prior`` knows: first-seen dates and changes since the last scan."""
    as_of = document.scan.as_of
    known: dict[str, dict[tuple[str, str], KnownOffender]] = defaultdict(dict)
    for offender in prior.offenders:
        known[offender.control_id][offender.key.identity] = offender
    findings = [_annotate(f, known[f.control_id], prior, as_of) for f in document.findings]
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
