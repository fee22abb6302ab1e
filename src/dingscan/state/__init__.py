"""Scan history (``--state DIR``): first-seen dates, changes since the last scan, ``dingscan history``.

:class:`StateStore` is the interface a backend implements; :class:`SqliteStore` is the one
shipped. :func:`record_scan` stores a findings document and returns it annotated with history.
"""

from dingscan.state.record import record_scan
from dingscan.state.sqlite import SqliteStore
from dingscan.state.store import KnownOffender, Prior, ScanRecord, ScanStatuses, StateError, StateStore

__all__ = [
    "KnownOffender",
    "Prior",
    "ScanRecord",
    "ScanStatuses",
    "SqliteStore",
    "StateError",
    "StateStore",
    "record_scan",
]
