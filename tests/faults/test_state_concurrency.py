"""Two runs on one state, and a run killed mid-write: the state stays whole.

Real processes, because what is under test is each store's locking and rollback across processes
(SQLite's file locks; PostgreSQL's advisory lock, on a real server):
a cron job that ran long overlaps the next one; a machine reboot kills a scan while it writes.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from dingscan import cli
from dingscan.exitcodes import ExitCode
from dingscan.run import history as run_history
from dingscan.state import ScanRecord, open_store
from dingscan.state.postgres import LOCK_KEY
from dingscan.state.sqlite import DATABASE

RECORD_SCANS = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta
    from dingscan.findings import ResourceKey, Status
    from dingscan.state import ScanRecord, open_store, state_target

    state, tenant, count = state_target(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for day in range(count):
        store = open_store(state, wait_seconds=30)
        users = [ResourceKey(type="user", id=f"u{n}") for n in range(day, day + 50)]
        store.record(ScanRecord(tenant, f"{tenant}-{day}", start + timedelta(days=day), "live",
                                {"DT.LCM.2": Status.FAIL}, {"DT.LCM.2": users}))
        store.close()
    """
)

KILLED_MID_WRITE = textwrap.dedent(
    """
    import sqlite3, sys, time
    from datetime import UTC, datetime
    import psycopg

    def stall(statement):
        if str(statement).startswith("INSERT INTO offenders"):
            print("writing", flush=True)
            time.sleep(60)

    connect = sqlite3.connect
    executemany = psycopg.Cursor.executemany

    def stalling_connect(*args, **kwargs):
        db = connect(*args, **kwargs)
        db.set_trace_callback(stall)
        return db

    def stalling_executemany(cursor, query, *args, **kwargs):
        stall(query)
        return executemany(cursor, query, *args, **kwargs)

    sqlite3.connect = stalling_connect
    psycopg.Cursor.executemany = stalling_executemany
    from dingscan.findings import ResourceKey, Status
    from dingscan.state import ScanRecord, open_store, state_target

    store = open_store(state_target(sys.argv[1]), wait_seconds=1)
    store.record(ScanRecord("dingcorp", "second", datetime(2026, 2, 1, tzinfo=UTC), "live",
                            {"DT.LCM.2": Status.FAIL}, {"DT.LCM.2": [ResourceKey(type="user", id="new")]}))
    """
)


def run(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_two_processes_recording_at_once_both_succeed(state_target: Path | str) -> None:
    runs = [run(RECORD_SCANS, str(state_target), tenant, "15") for tenant in ("dingone", "dingtwo")]
    for process in runs:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    store = open_store(state_target, wait_seconds=1)
    assert [len(store.scans(t, 100)) for t in ("dingone", "dingtwo")] == [15, 15]
    assert len([o for o in store.offenders("dingone") if o.open_since]) == 50
    store.close()
    if isinstance(state_target, Path):
        with sqlite3.connect(state_target / DATABASE) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@contextmanager
def writing(state: Path | str) -> Iterator[None]:
    """Another run in the middle of writing to ``state``: it holds the writers' lock."""
    open_store(state, wait_seconds=1).close()
    if isinstance(state, Path):
        holder = sqlite3.connect(state / DATABASE, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    else:
        with psycopg.connect(state) as other, other.transaction():
            other.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            yield


def test_a_run_finding_the_state_busy_waits_then_stops_with_one_line(
    state_target: Path | str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(run_history, "STATE_WAIT_SECONDS", 0.3)
    with writing(state_target):
        assert cli.main(["demo", "--state", str(state_target)]) == ExitCode.USAGE
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err == (
        f"dingscan: error: state {state_target}: in use by another dingscan run (waited 0.3 s); "
        "try again when it has finished"
    )
    assert cli.main(["demo", "--state", str(state_target)]) == ExitCode.OK  # free again


def test_a_run_killed_mid_write_leaves_the_previous_state(state_target: Path | str) -> None:
    state = state_target
    first = run(RECORD_SCANS, str(state), "dingcorp", "1")
    assert first.communicate(timeout=60)[0] == "" and first.returncode == 0
    killed = run(KILLED_MID_WRITE, str(state))
    assert killed.stdout is not None and killed.stdout.readline() == "writing\n"
    os.kill(killed.pid, signal.SIGKILL)
    killed.communicate(timeout=10)
    assert killed.returncode == -signal.SIGKILL
    store = open_store(state, wait_seconds=10)  # the server may take a moment to see the loss
    assert [s.scan_id for s in store.scans("dingcorp", 10)] == ["dingcorp-0"]
    assert {o.key.id for o in store.offenders("dingcorp")} == {f"u{n}" for n in range(50)}
    store.record(  # and the killed run's lock is gone
        ScanRecord("dingcorp", "third", datetime(2026, 3, 1, tzinfo=UTC), "live", {}, {})
    )
    store.close()
    if isinstance(state, Path):
        with sqlite3.connect(state / DATABASE) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
