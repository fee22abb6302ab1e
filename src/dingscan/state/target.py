"""Where a state lives: a directory (SQLite) or a ``postgresql://`` URL (a shared server)."""

from __future__ import annotations

from pathlib import Path

from dingscan.findings import FindingsDocument
from dingscan.state.record import record_scan
from dingscan.state.sqlite import SqliteStore
from dingscan.state.store import POSTGRES_SCHEMES, StateError, StateStore
from dingscan.state.url import register_password


def state_target(text: str) -> Path | str:
    """A state directory, or a PostgreSQL URL kept as text, its password registered as a secret
    here (argparse calls this while parsing, before anything can print the URL)."""
    if text.startswith(POSTGRES_SCHEMES):
        register_password(text)
        return text
    return Path(text)


def open_store(target: Path | str, *, wait_seconds: float) -> StateStore:
    """The store at ``target``, waiting up to ``wait_seconds`` for another run writing to it."""
    if isinstance(target, Path):
        return SqliteStore(target, wait_seconds=wait_seconds)
    try:
        from dingscan.state.postgres import PostgresStore  # psycopg is an optional extra
    except ImportError:
        raise StateError(
            "--state postgresql://...: the PostgreSQL driver is not installed: "
            "pip install 'dingscan[postgres]'"
        ) from None
    return PostgresStore(target, wait_seconds=wait_seconds)


def remember(document: FindingsDocument, target: Path | str, *, wait_seconds: float) -> FindingsDocument:
    """Record ``document`` in the store at ``target``; return it annotated with its history."""
    store = open_store(target, wait_seconds=wait_seconds)
    try:
        return record_scan(document, store)
    finally:
        store.close()
