"""The SQLite state store: one file in the state directory, WAL, versioned schema.

Why SQLite: it is in the standard library, needs no server, and its transactions give the two
guarantees a nightly job needs: a run killed mid-write leaves the previous state intact (the
transaction rolls back), and two overlapping runs serialise (the second waits up to
``wait_seconds`` for the write lock, then stops with a one-line error).

The schema is versioned: ``schema_version`` holds the version, and :data:`MIGRATIONS` upgrades
a store from any earlier version, each step in the same transaction as the version bump. New
data is a new table added by a new migration: version 2 keeps each tenant's days' activity
lists (:class:`~dingscan.activity.ActivityDays`), one row per tenant and day; version 3 the
alerts owed (``outbox``).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from dingscan.activity import DayList
from dingscan.findings import ResourceKey, Status
from dingscan.state.store import (
    KnownOffender,
    OwedAlert,
    Prior,
    ScanRecord,
    ScanStatuses,
    StateError,
    busy,
    out_of_order,
    resolved,
    stamp,
    upgrade_schema,
)

DATABASE = "state.sqlite3"

#: MIGRATIONS[n] upgrades schema version n to n + 1. Never edit a released step; append one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE scans (
            id INTEGER PRIMARY KEY,
            scan_uid TEXT NOT NULL UNIQUE,
            tenant TEXT NOT NULL,
            as_of TEXT NOT NULL,
            mode TEXT NOT NULL
        )""",
        "CREATE INDEX scans_by_tenant ON scans (tenant, as_of)",
        """CREATE TABLE statuses (
            scan INTEGER NOT NULL REFERENCES scans (id),
            control_id TEXT NOT NULL,
            status TEXT NOT NULL,
            PRIMARY KEY (scan, control_id)
        ) WITHOUT ROWID""",
        # One row per offender ever seen (not per scan): a year of nightly scans of an unchanged
        # tenant costs one row per offender, and first-seen is a primary-key lookup.
        """CREATE TABLE offenders (
            tenant TEXT NOT NULL,
            control_id TEXT NOT NULL,
            resource_type TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            name TEXT,
            first_seen TEXT NOT NULL,
            open_since TEXT,
            last_seen TEXT NOT NULL,
            PRIMARY KEY (tenant, control_id, resource_type, resource_id)
        ) WITHOUT ROWID""",
    ),
    (
        # A past day's list never changes; userids is its JSON array, read and written whole.
        """CREATE TABLE activity_days (
            tenant TEXT NOT NULL,
            day TEXT NOT NULL,
            active INTEGER NOT NULL,
            userids TEXT NOT NULL,
            PRIMARY KEY (tenant, day)
        ) WITHOUT ROWID""",
    ),
    (
        # Alerts owed: written with their scan, deleted once delivered (README: Alerts).
        """CREATE TABLE outbox (
            delivery_id TEXT PRIMARY KEY,
            tenant TEXT NOT NULL,
            target TEXT NOT NULL,
            scan_uid TEXT NOT NULL,
            as_of TEXT NOT NULL,
            payload TEXT NOT NULL
        ) WITHOUT ROWID""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
_RETRY_SECONDS = 0.05


def _busy(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _private_database(directory: Path) -> Path:
    """``directory/state.sqlite3``, created owner-only before SQLite opens it; an existing folder
    and file are made owner-only too (history names members and weaknesses).

    The file and SQLite's ``-wal`` and ``-shm`` files beside it must not be symbolic links: a
    link would be followed and its target, anywhere, created or overwritten.
    """
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.chmod(0o700)
    path = directory / DATABASE
    for name in (DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm"):
        if (directory / name).is_symlink():
            raise StateError(
                f"state {directory}: {name} is a symbolic link; a state holds only regular files"
            )
    fd = os.open(path, os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    return path


class SqliteStore:
    """:class:`~dingscan.state.store.StateStore` and :class:`~dingscan.activity.ActivityDays`
    in ``directory/state.sqlite3``."""

    def __init__(self, directory: Path, *, wait_seconds: float = 10.0) -> None:
        self.directory = directory
        self.wait_seconds = wait_seconds
        path = _private_database(directory)
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                self._db = self._open(path)
                return
            except sqlite3.DatabaseError as exc:
                # Switching a new file to WAL needs the file to itself, and SQLite answers "locked"
                # at once, without waiting, while another run holds it: try again until the wait is up.
                if not _busy(exc) or time.monotonic() >= deadline:
                    raise self._error(exc) from None
                time.sleep(_RETRY_SECONDS)

    def _open(self, path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=self.wait_seconds, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            self._db = db
            self._migrate()
        except BaseException:
            db.close()
            raise
        return db

    def _error(self, exc: sqlite3.Error) -> StateError:
        if _busy(exc):
            return busy(str(self.directory), self.wait_seconds)
        return StateError(f"state {self.directory}: {exc}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, taken at once so that overlapping runs queue instead of deadlocking."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._error(exc) from None
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException as exc:
            self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise self._error(exc) from None
            raise

    def _migrate(self) -> None:
        with self._transaction() as db:
            upgrade_schema(db, str(self.directory), MIGRATIONS, "?")

    def record(self, scan: ScanRecord, owed: Sequence[OwedAlert] = ()) -> Prior:
        as_of = stamp(scan.as_of)
        with self._transaction() as db:
            latest = db.execute(
                "SELECT as_of FROM scans WHERE tenant = ? ORDER BY as_of DESC LIMIT 1", (scan.tenant,)
            ).fetchone()
            if latest and latest[0] >= as_of:
                raise out_of_order(str(self.directory), scan, datetime.fromisoformat(latest[0]))
            previous = self.scans(scan.tenant, 1)
            prior = Prior(previous[-1] if previous else None, self.offenders(scan.tenant))
            scan_row = db.execute(
                "INSERT INTO scans (scan_uid, tenant, as_of, mode) VALUES (?, ?, ?, ?)",
                (scan.scan_id, scan.tenant, as_of, scan.mode),
            ).lastrowid
            db.executemany(
                "INSERT INTO statuses VALUES (?, ?, ?)",
                [(scan_row, control, status.value) for control, status in scan.statuses.items()],
            )
            db.executemany(
                "UPDATE offenders SET open_since = NULL WHERE tenant = ? AND control_id = ? "
                "AND resource_type = ? AND resource_id = ?",
                [(scan.tenant, o.control_id, o.key.type, o.key.id) for o in resolved(prior, scan)],
            )
            db.executemany(
                "INSERT INTO offenders VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO UPDATE SET name = excluded.name, last_seen = excluded.last_seen, "
                "open_since = coalesce(open_since, excluded.open_since)",
                [
                    (scan.tenant, control, key.type, key.id, key.name, as_of, as_of, as_of)
                    for control, keys in scan.offenders.items()
                    for key in keys
                ],
            )
            db.executemany(
                "INSERT INTO outbox VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(a.delivery_id, a.tenant, a.target, a.scan_id, stamp(a.as_of), a.payload) for a in owed],
            )
        return prior

    def owed_alerts(self, tenant: str) -> list[OwedAlert]:
        rows = self._db.execute(
            "SELECT delivery_id, target, scan_uid, as_of, payload FROM outbox WHERE tenant = ? "
            "ORDER BY as_of, delivery_id",
            (tenant,),
        )
        return [
            OwedAlert(delivery_id, tenant, target, scan_uid, datetime.fromisoformat(as_of), payload)
            for delivery_id, target, scan_uid, as_of, payload in rows
        ]

    def settle_alerts(self, delivered: Sequence[str]) -> None:
        with self._transaction() as db:
            db.executemany("DELETE FROM outbox WHERE delivery_id = ?", [(d,) for d in delivered])

    def scans(self, tenant: str, limit: int) -> list[ScanStatuses]:
        rows = self._db.execute(
            "SELECT id, scan_uid, as_of FROM scans WHERE tenant = ? ORDER BY as_of DESC LIMIT ?",
            (tenant, limit),
        ).fetchall()
        scans = []
        for row_id, scan_uid, as_of in reversed(rows):
            statuses = self._db.execute("SELECT control_id, status FROM statuses WHERE scan = ?", (row_id,))
            scans.append(
                ScanStatuses(scan_uid, datetime.fromisoformat(as_of), {c: Status(s) for c, s in statuses})
            )
        return scans

    def offenders(self, tenant: str) -> list[KnownOffender]:
        rows = self._db.execute(
            "SELECT control_id, resource_type, resource_id, name, first_seen, open_since "
            "FROM offenders WHERE tenant = ?",
            (tenant,),
        )
        return [
            KnownOffender(
                control_id=control,
                key=ResourceKey(type=kind, id=rid, name=name),
                first_seen=datetime.fromisoformat(first_seen),
                open_since=datetime.fromisoformat(open_since) if open_since else None,
            )
            for control, kind, rid, name, first_seen, open_since in rows
        ]

    def activity_days(self, tenant: str, first: date, last: date) -> list[DayList]:
        rows = self._db.execute(
            "SELECT day, active, userids FROM activity_days WHERE tenant = ? AND day BETWEEN ? AND ? "
            "ORDER BY day",
            (tenant, first.isoformat(), last.isoformat()),
        )
        try:
            return [
                DayList(day=date.fromisoformat(day), active=bool(active), userids=tuple(json.loads(userids)))
                for day, active, userids in rows
            ]
        except ValueError as exc:  # ValidationError too: a hand-edited or damaged row
            raise StateError(f"state {self.directory}: an activity day is unreadable: {exc}") from None

    def store_activity_days(self, tenant: str, days: Sequence[DayList], *, keep_from: date) -> None:
        with self._transaction() as db:
            db.execute(
                "DELETE FROM activity_days WHERE tenant = ? AND day < ?", (tenant, keep_from.isoformat())
            )
            db.executemany(
                "INSERT OR REPLACE INTO activity_days VALUES (?, ?, ?, ?)",
                [(tenant, d.day.isoformat(), int(d.active), json.dumps(d.userids)) for d in days],
            )

    def tenants(self) -> list[str]:
        return [t for (t,) in self._db.execute("SELECT DISTINCT tenant FROM scans ORDER BY tenant")]

    def close(self) -> None:
        self._db.close()
