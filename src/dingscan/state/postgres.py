"""The PostgreSQL state store (``--state postgresql://...``): one history for a fleet of scanners.

Pods of a Kubernetes Job cannot share a SQLite file safely; they can share a database server.
The guarantees are the SQLite store's: each scan is recorded in one transaction (a run killed
mid-write leaves the previous state, the server rolls it back), and writers serialise on one
transaction-scoped advisory lock, so a second run waits up to ``wait_seconds`` (``lock_timeout``)
and then stops with a one-line error. Reads need no lock (each is one consistent statement).

The schema is versioned like the SQLite store's: ``schema_version`` and :data:`MIGRATIONS`, each
step applied under the lock, in the same transaction as the version bump. Needs psycopg 3
(``pip install 'dingscan[postgres]'``); it is imported only when a ``postgresql://`` URL is given.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import LiteralString

import psycopg
from psycopg import errors
from psycopg.rows import TupleRow

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
    upgrade_schema,
)
from dingscan.state.url import register_password, scrub_password, without_password

#: The advisory lock every writer takes (an arbitrary constant: "dingscan" in ASCII, truncated).
LOCK_KEY = 0x64696E6773636E

#: MIGRATIONS[n] upgrades schema version n to n + 1. Never edit a released step; append one.
MIGRATIONS: tuple[tuple[LiteralString, ...], ...] = (
    (
        """CREATE TABLE scans (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            scan_uid TEXT NOT NULL UNIQUE,
            tenant TEXT NOT NULL,
            as_of TIMESTAMPTZ NOT NULL,
            mode TEXT NOT NULL
        )""",
        "CREATE INDEX scans_by_tenant ON scans (tenant, as_of)",
        """CREATE TABLE statuses (
            scan BIGINT NOT NULL REFERENCES scans (id),
            control_id TEXT NOT NULL,
            status TEXT NOT NULL,
            PRIMARY KEY (scan, control_id)
        )""",
        # One row per offender ever seen (not per scan), as in the SQLite store.
        """CREATE TABLE offenders (
            tenant TEXT NOT NULL,
            control_id TEXT NOT NULL,
            resource_type TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            name TEXT,
            first_seen TIMESTAMPTZ NOT NULL,
            open_since TIMESTAMPTZ,
            last_seen TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (tenant, control_id, resource_type, resource_id)
        )""",
    ),
    (
        # Alerts owed, as in the SQLite store (its version 2, activity days, is SQLite's alone).
        """CREATE TABLE outbox (
            delivery_id TEXT PRIMARY KEY,
            tenant TEXT NOT NULL,
            target TEXT NOT NULL,
            scan_uid TEXT NOT NULL,
            as_of TIMESTAMPTZ NOT NULL,
            payload TEXT NOT NULL
        )""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class PostgresStore:
    """:class:`~dingscan.state.store.StateStore` in a PostgreSQL database."""

    def __init__(self, url: str, *, wait_seconds: float = 10.0) -> None:
        register_password(url)  # already done by state_target; a store opened directly too
        self.where = without_password(url)
        self._url = url
        self.wait_seconds = wait_seconds
        try:
            self._db = psycopg.connect(url, autocommit=True, connect_timeout=max(1, round(wait_seconds)))
        except psycopg.Error as exc:
            raise self._error(exc) from None
        try:
            self._db.execute("SET TIME ZONE 'UTC'")  # timestamps come back in UTC, as they went in
            self._migrate()
        except psycopg.Error as exc:
            self._db.close()
            raise self._error(exc) from None
        except BaseException:
            self._db.close()
            raise

    def _error(self, exc: psycopg.Error) -> StateError:
        if isinstance(exc, errors.LockNotAvailable):
            return busy(self.where, self.wait_seconds)
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return StateError(f"state {self.where}: {scrub_password(first_line, self._url)}")

    @contextmanager
    def _transaction(self) -> Iterator[psycopg.Connection[TupleRow]]:
        """A transaction holding the writers' lock, waited for at most ``wait_seconds``."""
        try:
            with self._db.transaction():
                self._db.execute(
                    "SELECT set_config('lock_timeout', %s, true)", (f"{round(self.wait_seconds * 1000)}ms",)
                )
                self._db.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
                yield self._db
        except psycopg.Error as exc:
            raise self._error(exc) from None

    def _migrate(self) -> None:
        with self._transaction() as db:
            upgrade_schema(db, self.where, MIGRATIONS, "%s")

    def record(self, scan: ScanRecord, owed: Sequence[OwedAlert] = ()) -> Prior:
        with self._transaction() as db:
            latest = db.execute("SELECT max(as_of) FROM scans WHERE tenant = %s", (scan.tenant,)).fetchone()
            if latest and latest[0] is not None and latest[0] >= scan.as_of:
                raise out_of_order(self.where, scan, latest[0])
            previous = self.scans(scan.tenant, 1)
            prior = Prior(previous[-1] if previous else None, self.offenders(scan.tenant))
            row = db.execute(
                "INSERT INTO scans (scan_uid, tenant, as_of, mode) VALUES (%s, %s, %s, %s) RETURNING id",
                (scan.scan_id, scan.tenant, scan.as_of, scan.mode),
            ).fetchone()
            assert row is not None  # noqa: S101 - INSERT ... RETURNING returns the row
            with db.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO statuses VALUES (%s, %s, %s)",
                    [(row[0], control, status.value) for control, status in scan.statuses.items()],
                )
                cursor.executemany(
                    "UPDATE offenders SET open_since = NULL WHERE tenant = %s AND control_id = %s "
                    "AND resource_type = %s AND resource_id = %s",
                    [(scan.tenant, o.control_id, o.key.type, o.key.id) for o in resolved(prior, scan)],
                )
                cursor.executemany(
                    "INSERT INTO offenders VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT (tenant, control_id, resource_type, resource_id) DO UPDATE "
                    "SET name = excluded.name, last_seen = excluded.last_seen, "
                    "open_since = coalesce(offenders.open_since, excluded.open_since)",
                    [
                        (scan.tenant, control, key.type, key.id, key.name, scan.as_of, scan.as_of, scan.as_of)
                        for control, keys in scan.offenders.items()
                        for key in keys
                    ],
                )
                cursor.executemany(
                    "INSERT INTO outbox VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    [(a.delivery_id, a.tenant, a.target, a.scan_id, a.as_of, a.payload) for a in owed],
                )
        return prior

    def owed_alerts(self, tenant: str) -> list[OwedAlert]:
        rows = self._db.execute(
            "SELECT delivery_id, target, scan_uid, as_of, payload FROM outbox WHERE tenant = %s "
            "ORDER BY as_of, delivery_id",
            (tenant,),
        )
        return [
            OwedAlert(delivery_id, tenant, target, scan_uid, as_of, payload)
            for delivery_id, target, scan_uid, as_of, payload in rows
        ]

    def settle_alerts(self, delivered: Sequence[str]) -> None:
        with self._transaction() as db, db.cursor() as cursor:
            cursor.executemany("DELETE FROM outbox WHERE delivery_id = %s", [(d,) for d in delivered])

    def scans(self, tenant: str, limit: int) -> list[ScanStatuses]:
        rows = self._db.execute(
            "SELECT s.scan_uid, s.as_of, coalesce(json_object_agg(t.control_id, t.status) "
            "FILTER (WHERE t.control_id IS NOT NULL), '{}') "
            "FROM (SELECT * FROM scans WHERE tenant = %s ORDER BY as_of DESC LIMIT %s) s "
            "LEFT JOIN statuses t ON t.scan = s.id GROUP BY s.id, s.scan_uid, s.as_of ORDER BY s.as_of",
            (tenant, limit),
        ).fetchall()
        return [
            ScanStatuses(uid, as_of, {c: Status(s) for c, s in statuses.items()})
            for uid, as_of, statuses in rows
        ]

    def offenders(self, tenant: str) -> list[KnownOffender]:
        rows = self._db.execute(
            "SELECT control_id, resource_type, resource_id, name, first_seen, open_since "
            "FROM offenders WHERE tenant = %s",
            (tenant,),
        )
        return [
            KnownOffender(
                control_id=control,
                key=ResourceKey(type=kind, id=rid, name=name),
                first_seen=first_seen,
                open_since=open_since,
            )
            for control, kind, rid, name, first_seen, open_since in rows
        ]

    def tenants(self) -> list[str]:
        return [t for (t,) in self._db.execute("SELECT DISTINCT tenant FROM scans ORDER BY tenant")]

    def close(self) -> None:
        self._db.close()
