"""Where a state lives, and the registry of backends that can keep one.

``--state`` is a directory (the SQLite store) or a URL whose scheme names a backend:
``postgresql://`` (and ``postgres://``) for a shared server. A new backend is one module (a
:class:`~dingscan.state.store.StateStore`) plus one :class:`Backend` line in :data:`BACKENDS`, or
a package's entry point in the group ``dingscan.state_backends`` naming a :class:`Backend`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

from dingscan.state.sqlite import SqliteStore
from dingscan.state.store import StateError, StateStore
from dingscan.state.url import register_password

ENTRY_POINT_GROUP = "dingscan.state_backends"


@dataclass(frozen=True)
class Backend:
    """A state backend chosen by the scheme of a ``--state`` URL."""

    schemes: tuple[str, ...]  # without "://"
    open: Callable[[str, float], StateStore]  # (the URL, seconds to wait for another run)
    #: Registers the URL's secrets with the scrubber while options are parsed, before anything
    #: can print it.
    register_secrets: Callable[[str], None] = lambda _: None


def _open_postgres(url: str, wait_seconds: float) -> StateStore:
    try:
        from dingscan.state.postgres import PostgresStore  # psycopg is an optional extra
    except ImportError:
        raise StateError(
            "--state postgresql://...: the PostgreSQL driver is not installed: "
            "pip install 'dingscan[postgres]'"
        ) from None
    return PostgresStore(url, wait_seconds=wait_seconds)


def _registered() -> dict[str, Backend]:
    builtin = [Backend(("postgresql", "postgres"), _open_postgres, register_password)]
    plugins: list[Backend] = [point.load() for point in entry_points(group=ENTRY_POINT_GROUP)]
    return {scheme: backend for backend in (*builtin, *plugins) for scheme in backend.schemes}


BACKENDS: Mapping[str, Backend] = _registered()


def _backend_of(text: str) -> Backend | None:
    scheme, separator, _ = text.partition("://")
    return BACKENDS.get(scheme.lower()) if separator else None


def state_target(text: str) -> Path | str:
    """A state directory, or a backend's URL kept as text, its secrets registered here
    (argparse calls this while parsing, before anything can print the URL)."""
    backend = _backend_of(text)
    if backend is None:
        return Path(text)
    backend.register_secrets(text)
    return text


def open_store(target: Path | str, *, wait_seconds: float) -> StateStore:
    """The store at ``target``, waiting up to ``wait_seconds`` for another run writing to it."""
    if isinstance(target, Path):
        return SqliteStore(target, wait_seconds=wait_seconds)
    backend = _backend_of(target)
    if backend is None:
        raise StateError(f"--state {target}: no state backend for this address")
    return backend.open(target, wait_seconds)
