"""Scan history (``--state DIR`` or a ``postgresql://`` URL): first-seen dates, changes since
the last scan, ``dingscan history``.

:class:`StateStore` is the interface a backend implements: :class:`SqliteStore` (a directory),
or ``dingscan.state.postgres.PostgresStore`` (imported only when used: psycopg is an extra);
:data:`BACKENDS` registers the URL schemes, :func:`open_store` opens any of them.
:func:`record_scan` stores a findings document and returns it annotated with history.
"""

from dingscan.state.record import record_scan
from dingscan.state.sqlite import SqliteStore
from dingscan.state.store import (
    KnownOffender,
    Prior,
    ScanRecord,
    ScanStatuses,
    StateError,
    StateStore,
)
from dingscan.state.target import BACKENDS, Backend, open_store, state_target

__all__ = [
    "BACKENDS",
    "Backend",
    "KnownOffender",
    "Prior",
    "ScanRecord",
    "ScanStatuses",
    "SqliteStore",
    "StateError",
    "StateStore",
    "open_store",
    "record_scan",
    "state_target",
]
