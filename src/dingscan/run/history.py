"""The run's side of the state: probed before the scan, read for the reports, written last.

A live scan reads the tenant's history to annotate its findings (first-seen dates, changes),
writes every output, and only then records the scan, so the state never says "seen" about a
scan whose findings nobody received. A replay or the demo only reads (drift against the
state), never records: a recording is not a new look at the tenant.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dingscan.findings import FindingsDocument
from dingscan.state import StateStore, open_store
from dingscan.state.record import annotate, history, scan_record
from dingscan.state.sqlite import DATABASE
from dingscan.state.store import NotRecordable, OwedAlert

#: How long a run waits for another one holding the state (an overlapping cron job) before giving up.
STATE_WAIT_SECONDS = 10.0


@dataclass(frozen=True)
class StateAccess:
    """``--state``: a directory or a PostgreSQL URL; ``writes`` is False for replay and demo."""

    target: Path | str
    writes: bool = True
    wait_seconds: float = STATE_WAIT_SECONDS

    @property
    def exists(self) -> bool:
        """Whether there is a state to read (a missing SQLite folder is an empty history)."""
        return not isinstance(self.target, Path) or (self.target / DATABASE).is_file()

    def probe(self) -> None:
        """Open the store (schema checked and upgraded in a write transaction), then close it:
        a state that cannot be used stops the run before the first API call."""
        if self.writes or self.exists:
            open_store(self.target, wait_seconds=self.wait_seconds).close()

    @contextmanager
    def opened(self) -> Iterator[StateStore]:
        store = open_store(self.target, wait_seconds=self.wait_seconds)
        try:
            yield store
        finally:
            store.close()

    def annotated(self, document: FindingsDocument) -> FindingsDocument:
        """``document`` with what the tenant's history knows (read only)."""
        corp_id = document.scan.tenant.corp_id
        if not corp_id or not self.exists:
            return document
        with self.opened() as store:
            return annotate(document, history(store, corp_id))

    def record(
        self, document: FindingsDocument, owed: Sequence[OwedAlert] = (), *, now: datetime | None = None
    ) -> str | None:
        """Record the scan and the alerts it owes, in one transaction; None when recorded, else
        why it could not join the history (a newer scan of the tenant, a date in the future).
        A state that fails raises its StateError."""
        try:
            record = scan_record(document, now=now)
            with self.opened() as store:
                store.record(record, owed)
        except NotRecordable as exc:
            return str(exc)
        return None

    def owed_alerts(self, tenant: str) -> list[OwedAlert]:
        with self.opened() as store:
            return store.owed_alerts(tenant)

    def settle_alerts(self, delivered: Sequence[str]) -> None:
        if delivered:
            with self.opened() as store:
                store.settle_alerts(delivered)
