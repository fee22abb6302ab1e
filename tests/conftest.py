"""Fixtures shared across test folders: the PostgreSQL server the state tests run against."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Generator, Iterator
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


# --- the list of hostile cases ---------------------------------------------------------------------

_HOSTILE_OUTCOMES: dict[str, tuple[str, str]] = {}  # node id -> (outcome, what the case is)


def _is_hostile(item: pytest.Item) -> bool:
    return "tests/hostile/" in item.nodeid or item.get_closest_marker("hostile") is not None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Note each hostile case's outcome (a failed setup or teardown wins over a passed call)."""
    report = yield
    if _is_hostile(item) and (report.when == "call" or not report.passed):
        what = item.name.removeprefix("test_").replace("_", " ")
        if _HOSTILE_OUTCOMES.get(item.nodeid, ("passed", ""))[0] == "passed":
            _HOSTILE_OUTCOMES[item.nodeid] = (report.outcome, what)
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Every hostile case that ran, with its outcome: the record of what an attacker was tried with."""
    if not _HOSTILE_OUTCOMES:
        return
    counts = {
        o: sum(1 for v, _ in _HOSTILE_OUTCOMES.values() if v == o) for o in ("passed", "failed", "skipped")
    }
    terminalreporter.section(
        f"hostile cases: {len(_HOSTILE_OUTCOMES)} ({', '.join(f'{n} {o}' for o, n in counts.items() if n)})"
    )
    for nodeid, (outcome, what) in sorted(_HOSTILE_OUTCOMES.items()):
        terminalreporter.line(f"{outcome.upper():8} {nodeid.split('::')[0]}: {what}")
