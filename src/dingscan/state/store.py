"""The state store's interface: what history needs from a database, and nothing more.

Each backend (SQLite for one machine; PostgreSQL for fleets of scanners writing to one store)
implements :class:`StateStore`. Everything above it (first-seen dates, changes, the history
table) is computed from these records by backend-independent code, so a backend only stores
and fetches. Keeping days' activity lists for daily re-scans is a separate, optional interface
(:class:`~dingscan.activity.ActivityDays`): SQLite implements it; a backend that does not
simply gives no caching (every scan fetches every day). An offender's identity is (tenant corp_id, control ID, resource type, resource id).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from dingscan.drift import EVALUATED
from dingscan.errors import UserError
from dingscan.findings import ResourceKey, Status


class StateError(UserError):
    """The state cannot be used (locked, newer schema, out-of-order scan); one line."""


class NoCorpId(StateError):
    """History is kept per corp_id: a scan without one cannot have any."""

    def __init__(self) -> None:
        super().__init__("the scan names no corp_id, so its history cannot be kept: set DINGSCAN_CORP_ID")


class NotRecordable(StateError):
    """This scan cannot join the tenant's history (another run's scan is newer, or this one is
    dated in the future); the state itself is fine and the run's outputs stand."""


class FutureScan(NotRecordable):
    """A scan dated past this machine's clock (a clock jump, an edited recording time)."""


@dataclass(frozen=True)
class ScanRecord:
    """What is kept of one scan: each control's status and its offenders."""

    tenant: str
    scan_id: str
    as_of: datetime
    mode: str
    statuses: Mapping[str, Status]
    offenders: Mapping[str, Sequence[ResourceKey]]  # control ID -> offenders (FAIL/ACCEPTED only)


@dataclass(frozen=True)
class ScanStatuses:
    scan_id: str
    as_of: datetime
    statuses: Mapping[str, Status]


@dataclass(frozen=True)
class KnownOffender:
    """An offender the tenant's history has seen, and whether it was still open at the last look."""

    control_id: str
    key: ResourceKey
    first_seen: datetime
    open_since: datetime | None  # None: resolved by the last scan that evaluated the control


@dataclass(frozen=True)
class Prior:
    """The tenant's history as it stood just before a scan was recorded."""

    previous: ScanStatuses | None  # None: the first scan of this tenant in the state
    offenders: Sequence[KnownOffender]


@dataclass(frozen=True)
class OwedAlert:
    """An alert the state owes a target: stored in the transaction that records its scan, and
    deleted once delivered, so a receiver that was down gets it from the next run."""

    delivery_id: str  # stable: the receiver de-duplicates on it
    tenant: str
    target: str  # the channel's key for the target (no secret in it)
    scan_id: str
    as_of: datetime
    payload: str  # the message as JSON, built once: every attempt sends the same


class StateStore(Protocol):
    def record(self, scan: ScanRecord, owed: Sequence[OwedAlert] = ()) -> Prior:
        """Store ``scan`` and the alerts it owes, and return the history before it, in one
        transaction.

        Waits briefly for another run holding the store, then raises :class:`StateError`; a
        scan not newer than the tenant's latest one is refused (history is kept in time order).
        """

    def owed_alerts(self, tenant: str) -> list[OwedAlert]:
        """The tenant's alerts not yet delivered, oldest scan first."""

    def settle_alerts(self, delivered: Sequence[str]) -> None:
        """Forget the alerts with these delivery ids: delivered (or not to be sent again)."""

    def scans(self, tenant: str, limit: int) -> list[ScanStatuses]:
        """The tenant's latest ``limit`` scans, oldest first."""

    def offenders(self, tenant: str) -> list[KnownOffender]:
        """Every offender the tenant's history has seen."""

    def tenants(self) -> list[str]:
        """The corp_ids with at least one scan, sorted."""

    def close(self) -> None: ...


def stamp(moment: datetime) -> str:
    """Fixed-width UTC ISO 8601, so that text order is time order (and messages read alike)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def out_of_order(where: str, scan: ScanRecord, latest: datetime) -> StateError:
    """The refusal of a scan not newer than the tenant's latest one, worded alike by every backend."""
    return NotRecordable(
        f"state {where}: tenant {scan.tenant} already has a scan as of {stamp(latest)}; "
        f"a scan as of {stamp(scan.as_of)} cannot be added (history is kept in time order)"
    )


def resolved(prior: Prior, scan: ScanRecord) -> list[KnownOffender]:
    """Offenders open before ``scan`` that it no longer shows, under a control it evaluated.

    A control it could not evaluate (ERROR) says nothing, so its offenders stay open.
    """
    current = {(c, k.type, k.id) for c, keys in scan.offenders.items() for k in keys}
    return [
        o
        for o in prior.offenders
        if o.open_since is not None
        and scan.statuses.get(o.control_id) in EVALUATED
        and (o.control_id, o.key.type, o.key.id) not in current
    ]


def busy(where: str, wait_seconds: float) -> StateError:
    """Another run holds the state for longer than this one waits (a cron job that ran long)."""
    return StateError(
        f"state {where}: in use by another dingscan run "
        f"(waited {wait_seconds:g} s); try again when it has finished"
    )


def upgrade_schema(
    db: Any, where: str, migrations: Sequence[Sequence[str]], placeholder: Literal["?", "%s"]
) -> None:
    """Apply the migrations a store lacks; refuse a store written by a newer dingscan.

    ``db`` is a DB-API connection inside the store's write transaction, so each step lands with
    its version bump or not at all. ``migrations[n]`` upgrades schema version n to n + 1.
    """
    newest = len(migrations)
    db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = db.execute("SELECT version FROM schema_version").fetchone()
    version = int(row[0]) if row else 0
    if version > newest:
        raise StateError(
            f"state {where}: written by a newer dingscan (schema {version}, "
            f"this one knows {newest}); upgrade dingscan"
        )
    for step in migrations[version:]:
        for statement in step:
            db.execute(statement)
    if row is None:
        db.execute(f"INSERT INTO schema_version VALUES ({placeholder})", (newest,))  # noqa: S608
    else:
        db.execute(f"UPDATE schema_version SET version = {placeholder}", (newest,))  # noqa: S608
