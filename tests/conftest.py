"""Fixtures shared across test folders: the PostgreSQL server the state tests run against."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from postgres_server import PostgresServer, binaries

_databases = itertools.count()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One server for the session; skipped without Debian's postgresql, except in CI (fails)."""
    bin_dir = binaries()
    if bin_dir is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must test the PostgreSQL state store: apt-get install postgresql")
        pytest.skip("PostgreSQL binaries (Debian's postgresql package) are not installed")
    started = time.monotonic()
    server = PostgresServer.start(bin_dir)
    print(f"\nPostgreSQL test server started in {time.monotonic() - started:.2f} s")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database on the session's server."""
    return postgres_server.new_database(f"state_{next(_databases)}")


@pytest.fixture(params=["sqlite", "postgresql"])
def state_target(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a state lives, once per backend: a directory, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return tmp_path / "state"
    return str(request.getfixturevalue("postgres_url"))
