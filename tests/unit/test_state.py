"""The state stores (SQLite, and PostgreSQL on a throwaway server): schema versions, first-seen and open offenders, time order, annotation."""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

import psycopg
import pytest

from dingscan.activity import ActivityDays, DayList
from dingscan.drift import compare
from dingscan.findings import FindingsDocument, ResourceKey, Status
from dingscan.i18n import translator
from dingscan.redaction import SECRETS
from dingscan.report.drift import render_diff
from dingscan.report.history import render_history
from dingscan.state import ScanRecord, SqliteStore, StateError, StateStore, open_store, record_scan
from dingscan.state.postgres import SCHEMA_VERSION as PG_SCHEMA_VERSION
from dingscan.state.postgres import PostgresStore
from dingscan.state.sqlite import DATABASE, SCHEMA_VERSION
from dingscan.state.store import OwedAlert
from postgres_server import USER as PG_USER
from postgres_server import PostgresServer

T0 = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
ALICE = ResourceKey(type="user", id="alice", name="Alice")
BOB = ResourceKey(type="user", id="bob")


def scan(
    day: int, statuses: dict[str, Status], offenders: dict[str, list[ResourceKey]], tenant: str = "dingcorp"
) -> ScanRecord:
    return ScanRecord(tenant, f"scan-{day}", T0 + timedelta(days=day), "live", statuses, offenders)


@pytest.fixture
def store(state_target: Path | str) -> Iterator[StateStore]:
    """Each store test runs against both backends: SQLite and a real PostgreSQL server."""
    opened = open_store(state_target, wait_seconds=1)
    yield opened
    opened.close()


def test_a_new_state_is_private_and_at_the_current_schema(tmp_path: Path) -> None:
    SqliteStore(tmp_path / "state").close()
    assert stat.S_IMODE((tmp_path / "state").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "state" / DATABASE).stat().st_mode) == 0o600
    db = sqlite3.connect(tmp_path / "state" / DATABASE)
    assert db.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    SqliteStore(tmp_path / "state").close()  # reopening migrates nothing twice
    assert db.execute("SELECT count(*) FROM schema_version").fetchone() == (1,)


def test_a_state_from_a_newer_dingscan_is_refused(tmp_path: Path) -> None:
    SqliteStore(tmp_path / "state").close()
    with sqlite3.connect(tmp_path / "state" / DATABASE) as db:
        db.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(StateError, match="written by a newer dingscan \\(schema 99"):
        SqliteStore(tmp_path / "state")


def test_offenders_open_resolve_and_reopen_keeping_first_seen(store: StateStore) -> None:
    prior = store.record(scan(0, {"DT.PRV.1": Status.FAIL}, {"DT.PRV.1": [ALICE, BOB]}))
    assert prior.previous is None and prior.offenders == []
    store.record(scan(1, {"DT.PRV.1": Status.FAIL}, {"DT.PRV.1": [ALICE]}))  # bob resolved
    store.record(scan(2, {"DT.PRV.1": Status.ERROR}, {}))  # nothing known: alice stays open
    prior = store.record(scan(3, {"DT.PRV.1": Status.FAIL}, {"DT.PRV.1": [ALICE, BOB]}))  # bob back
    assert prior.previous is not None and prior.previous.statuses == {"DT.PRV.1": Status.ERROR}
    known = {o.key.id: o for o in prior.offenders}
    assert known["alice"].open_since == T0 and known["bob"].open_since is None
    now = {o.key.id: o for o in store.offenders("dingcorp")}
    assert now["bob"].first_seen == T0 and now["bob"].open_since == T0 + timedelta(days=3)
    assert now["alice"].key.name == "Alice"
    assert [s.as_of.day for s in store.scans("dingcorp", 2)] == [3, 4]


def test_history_is_kept_in_time_order(store: StateStore) -> None:
    store.record(scan(1, {}, {}))
    with pytest.raises(StateError, match="already has a scan as of 2026-11-02"):
        store.record(scan(1, {}, {}))
    with pytest.raises(StateError, match="history is kept in time order"):
        store.record(scan(0, {}, {}))
    store.record(scan(0, {}, {}, tenant="dingother"))  # another tenant has its own timeline
    assert store.tenants() == ["dingcorp", "dingother"]


def test_record_scan_annotates_first_seen_and_changes(store: StateStore) -> None:
    demo = FindingsDocument.model_validate_json(
        (Path(__file__).parents[2] / "fixtures" / "demo" / "findings.json").read_text()
    )
    first = record_scan(demo, store)
    assert all(f.changes is None for f in first.findings)
    prv1 = next(f for f in first.findings if f.control_id == "DT.PRV.1")
    assert {r.first_seen for r in prv1.resources} == {demo.scan.as_of}
    later = demo.scan.model_copy(update={"id": "next", "as_of": demo.scan.as_of + timedelta(days=1)})
    fewer = [
        f.model_copy(update={"resources": f.resources[1:]}) if f.control_id == "DT.PRV.1" else f
        for f in demo.findings
    ]
    second = record_scan(demo.model_copy(update={"scan": later, "findings": fewer}), store)
    changes = {f.control_id: f.changes for f in second.findings}
    assert changes["DT.PRV.1"] is not None and [k.id for k in changes["DT.PRV.1"].resolved] == ["chan.taiman"]
    assert all(not c.new for c in changes.values() if c)
    assert changes["DT.PRV.1"].since == demo.scan.as_of


def test_a_scan_without_corp_id_cannot_be_kept(store: StateStore) -> None:
    demo = FindingsDocument.model_validate_json(
        (Path(__file__).parents[2] / "fixtures" / "demo" / "findings.json").read_text()
    )
    anonymous = demo.scan.model_copy(update={"tenant": demo.scan.tenant.model_copy(update={"corp_id": None})})
    with pytest.raises(StateError, match="DINGSCAN_CORP_ID"):
        record_scan(demo.model_copy(update={"scan": anonymous}), store)


HOSTILE = "\x1b[2K\rDT.PRV.1 high PASS\u202e"


def test_history_and_diff_show_hostile_names_without_obeying_them(store: StateStore) -> None:
    store.record(
        scan(0, {"DT.PRV.1": Status.FAIL}, {"DT.PRV.1": [ResourceKey(type="user", id="x", name=HOSTILE)]})
    )
    demo = FindingsDocument.model_validate_json(
        (Path(__file__).parents[2] / "fixtures" / "demo" / "findings.json").read_text()
    )
    renamed = [
        f.model_copy(
            update={
                "resources": [
                    r.model_copy(update={"name": HOSTILE, "id": "new.admin"}) for r in f.resources[:1]
                ]
            }
        )
        if f.control_id == "DT.PRV.1"
        else f
        for f in demo.findings
    ]
    later = demo.scan.model_copy(update={"as_of": demo.scan.as_of + timedelta(days=1)})
    diff = render_diff(
        compare(demo, demo.model_copy(update={"scan": later, "findings": renamed})), translator()
    )
    for text in (render_history(store, "dingcorp"), diff):
        assert "\x1b" not in text and "\r" not in text and "\u202e" not in text
        assert "\\x1b[2K\\x0dDT.PRV.1 high PASS\\u202e" in text


def test_a_new_postgres_state_is_at_the_current_schema_and_refuses_a_newer_one(postgres_url: str) -> None:
    PostgresStore(postgres_url).close()
    PostgresStore(postgres_url).close()  # reopening migrates nothing twice
    with psycopg.connect(postgres_url, autocommit=True) as db:
        assert db.execute("SELECT version FROM schema_version").fetchall() == [(PG_SCHEMA_VERSION,)]
        db.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(StateError, match="written by a newer dingscan \\(schema 99"):
        PostgresStore(postgres_url)


def test_a_postgres_url_password_stays_out_of_messages(postgres_server: PostgresServer) -> None:
    url = f"postgresql://{PG_USER}:hunter2@127.0.0.1:{postgres_server.port}/no_such_database"
    with pytest.raises(StateError) as raised:
        PostgresStore(url)
    message = str(raised.value)
    assert "hunter2" not in message and f"{PG_USER}:***@127.0.0.1" in message
    assert "no_such_database" in message and "\n" not in message


@pytest.mark.hostile
@pytest.mark.parametrize(
    "credentials",
    [
        pytest.param("?password=hunter2-query", id="query-string"),
        pytest.param("?sslmode=disable&password=hunter2%2Dpct", id="query-percent-encoded"),
        pytest.param("?password=hunter two", id="query-with-a-space"),
        pytest.param(":hunter two", id="user-part-with-a-space"),
    ],
)
def test_a_postgres_password_in_any_form_stays_out_of_messages(
    postgres_server: PostgresServer, credentials: str, capsys: pytest.CaptureFixture[str]
) -> None:
    user_part, _, query = credentials.partition("?")
    url = f"postgresql://{PG_USER}{user_part}@127.0.0.1:{postgres_server.port}/no_such_database"
    url += f"?{query}" if query else ""
    password = unquote(query.rpartition("password=")[2] if query else user_part[1:])
    with pytest.raises(StateError) as raised:
        PostgresStore(url)
    for message in (str(raised.value), SECRETS.scrub(f"{url} {password} {raised.value}")):
        assert password not in message and unquote(password) not in message, message
        assert "hunter" not in message, message  # nor a part the driver echoed


def test_activity_days_are_kept_per_tenant_and_forgotten_past_the_window(tmp_path: Path) -> None:
    """SQLite keeps days' activity lists; PostgreSQL does not (its scans fetch every day)."""
    assert not issubclass(PostgresStore, ActivityDays)
    store = SqliteStore(tmp_path / "state")
    first = date(2026, 11, 1)
    days = [DayList(day=first + timedelta(days=n), active=n % 2 == 1, userids=("a", "b")) for n in range(3)]
    store.store_activity_days("dingcorp", days, keep_from=first)
    store.store_activity_days("othercorp", days[:1], keep_from=first)
    assert store.activity_days("dingcorp", first, first + timedelta(days=29)) == days
    assert store.activity_days("dingcorp", first + timedelta(days=1), first + timedelta(days=1)) == days[1:2]
    assert store.activity_days("nobody", first, first + timedelta(days=29)) == []

    store.store_activity_days("dingcorp", [], keep_from=first + timedelta(days=2))
    assert store.activity_days("dingcorp", first, first + timedelta(days=29)) == days[2:]
    assert store.activity_days("othercorp", first, first) == days[:1]  # another tenant's days stay


def test_a_state_from_before_activity_days_is_migrated_keeping_its_history(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "state")
    store.record(scan(0, {"DT.PRV.1": Status.FAIL}, {"DT.PRV.1": [ALICE]}))
    store.close()
    with sqlite3.connect(tmp_path / "state" / DATABASE) as db:
        db.execute("DROP TABLE activity_days")
        db.execute("DROP TABLE outbox")
        db.execute("UPDATE schema_version SET version = 1")
    store = SqliteStore(tmp_path / "state")
    day = DayList(day=date(2026, 11, 1), active=False, userids=("alice",))
    store.store_activity_days("dingcorp", [day], keep_from=day.day)
    assert store.activity_days("dingcorp", day.day, day.day) == [day]
    assert [o.key.id for o in store.offenders("dingcorp")] == ["alice"]
    assert store.scans("dingcorp", 5)[0].scan_id == "scan-0"


@pytest.mark.hostile
@pytest.mark.parametrize("name", [DATABASE, f"{DATABASE}-wal"])
def test_a_state_file_that_is_a_symlink_is_refused_and_its_target_never_created(
    tmp_path: Path, name: str
) -> None:
    folder = tmp_path / "state"
    folder.mkdir()
    target = tmp_path / "elsewhere" / "victim"
    target.parent.mkdir()
    (folder / name).symlink_to(target)
    with pytest.raises(StateError, match=f"{name} is a symbolic link"):
        SqliteStore(folder)
    assert not target.exists()


@pytest.mark.hostile
def test_an_existing_state_folder_and_file_are_made_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    (folder / DATABASE).touch(mode=0o666)
    (folder / DATABASE).chmod(0o666)
    SqliteStore(folder).close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / DATABASE).stat().st_mode) == 0o600


def owed(day: int, target: str = "webhook:1", tenant: str = "dingcorp") -> OwedAlert:
    return OwedAlert(
        f"{tenant}-{day}-{target}", tenant, target, f"scan-{day}", T0 + timedelta(days=day), '{"n": 1}'
    )


def test_alerts_owed_are_kept_with_their_scan_until_settled(store: StateStore) -> None:
    store.record(scan(0, {}, {}), [owed(0), owed(0, "robot:2")])
    store.record(scan(1, {}, {}), [owed(1)])
    store.record(scan(5, {}, {}, tenant="othercorp"), [owed(5, tenant="othercorp")])
    assert [a.delivery_id for a in store.owed_alerts("dingcorp")] == [
        "dingcorp-0-robot:2",
        "dingcorp-0-webhook:1",
        "dingcorp-1-webhook:1",
    ]
    assert store.owed_alerts("dingcorp")[0] == owed(0, "robot:2")  # every field as stored
    store.settle_alerts(["dingcorp-0-webhook:1", "dingcorp-0-robot:2"])
    assert [a.scan_id for a in store.owed_alerts("dingcorp")] == ["scan-1"]
    assert len(store.owed_alerts("othercorp")) == 1


def test_an_out_of_order_scan_owes_no_alert(store: StateStore) -> None:
    store.record(scan(1, {}, {}))
    with pytest.raises(StateError, match="history is kept in time order"):
        store.record(scan(0, {}, {}), [owed(0)])
    assert store.owed_alerts("dingcorp") == []  # the transaction that refused the scan kept nothing
