"""Daily re-scans with a state: only the days not held are fetched, with the same findings, and
a bundle of such a scan replays exactly from what it records, without the state."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from e2e_support import judged_by, settings_for
from pydantic import SecretStr

from dingscan.activity import DayCache, DayList
from dingscan.client import DingTalkClient, HostMap
from dingscan.client import endpoints as ep
from dingscan.collect.lifecycle import collect_dormancy, dormancy_window
from dingscan.emulator import Emulator, Tenant
from dingscan.emulator.org import Org
from dingscan.engine import load_checks
from dingscan.evidence import Pseudonymiser, read_bundle
from dingscan.evidence.bundle import CACHED_DAYS
from dingscan.policy import Policy
from dingscan.scan import ScanResult, replay_bundle, scan_live
from dingscan.state import SqliteStore
from dingscan.state.sqlite import DATABASE

INPUTS = judged_by(Policy())
NOW = datetime.now(UTC)  # one emulator calendar for every scan: leave times resolve against it


async def scan(
    tenant: Tenant, state: Path | None, record_to: Path | None = None, **options: object
) -> tuple[ScanResult, int]:
    """A scan with the state at ``state`` (None: none), and its inactivity calls."""
    store = SqliteStore(state) if state else None
    try:
        with Emulator(tenant, now=NOW, qps=None) as emu:
            result = await scan_live(
                settings_for(emu, tenant),
                inputs=INPUTS,
                checks=load_checks(),
                record_to=record_to,
                activity=store,
                **options,  # type: ignore[arg-type]
            )
            return result, sum(c.path == ep.INACTIVE_USERS.path for c in emu.calls)
    finally:
        if store is not None:
            store.close()


def a_day_passes(state: Path) -> None:
    """What a night changes in the state: the newest held day is the one not yet held."""
    with sqlite3.connect(state / DATABASE) as db:
        db.execute("DELETE FROM activity_days WHERE day = (SELECT max(day) FROM activity_days)")


def findings(result: ScanResult) -> list[object]:
    return [f.model_dump(mode="json") for f in result.document.findings]


async def test_a_rescan_fetches_only_the_day_not_held_with_identical_findings(
    tenant: Tenant, tmp_path: Path
) -> None:
    without_state, all_days = await scan(tenant, None)
    first, first_calls = await scan(tenant, tmp_path / "state")
    a_day_passes(tmp_path / "state")
    second, second_calls = await scan(tenant, tmp_path / "state")

    assert (all_days, first_calls, second_calls) == (30, 30, 1)  # one page a day on this tenant
    assert findings(first) == findings(second) == findings(without_state)
    assert first.snapshot.dormancy.get() == second.snapshot.dormancy.get()
    assert first.snapshot.dormancy.get().dormant_userids  # the window found someone


async def test_held_days_are_kept_per_tenant(tenant: Tenant, tmp_path: Path) -> None:
    await scan(tenant, tmp_path / "state")
    other = tenant.model_copy(update={"corp_id": "ding-another-corp"})
    _, calls = await scan(other, tmp_path / "state")
    assert calls == 30  # the first tenant's days are not the other's


async def test_a_rescan_bundle_records_the_held_days_and_replays_exactly_without_the_state(
    tenant: Tenant, tmp_path: Path
) -> None:
    await scan(tenant, tmp_path / "state")
    a_day_passes(tmp_path / "state")
    live, _ = await scan(tenant, tmp_path / "state", tmp_path / "bundle")

    bundle = read_bundle(tmp_path / "bundle")
    assert CACHED_DAYS in bundle.manifest.files
    assert len(bundle.cached_days) == 29
    assert sum(e.request.path == ep.INACTIVE_USERS.path for e in bundle.exchanges) == 1
    (tmp_path / "state" / DATABASE).unlink()  # the auditor has the bundle only
    replayed = await replay_bundle(bundle, inputs=bundle.judged_against(), checks=load_checks())
    assert replayed.document.scan.replay is not None
    assert replayed.document.scan.replay.result == "identical"
    assert findings(replayed) == findings(live)


async def test_a_pseudonymised_rescan_bundle_pseudonymises_the_held_days_and_replays_exactly(
    tenant: Tenant, tmp_path: Path
) -> None:
    await scan(tenant, tmp_path / "state")
    a_day_passes(tmp_path / "state")
    pseudonymiser = Pseudonymiser()
    await scan(tenant, tmp_path / "state", tmp_path / "bundle", pseudonymiser=pseudonymiser)

    held = (tmp_path / "bundle" / CACHED_DAYS).read_text()
    days = [DayList.model_validate(d) for d in json.loads(held)]
    assert days and all(u in pseudonymiser.mapping.values() for d in days for u in d.userids)
    assert not any(u.userid in held for u in tenant.users)
    bundle = read_bundle(tmp_path / "bundle")
    replayed = await replay_bundle(bundle, inputs=bundle.judged_against(), checks=load_checks())
    assert replayed.document.scan.replay is not None
    assert replayed.document.scan.replay.result == "identical"


async def test_an_oldest_day_held_only_as_its_active_list_is_fetched_as_the_inactive_one(
    tenant: Tenant,
) -> None:
    """The dormant are those on every inactive list: at least one must be fetched or held."""
    org = Org(tenant, NOW)
    first, last = dormancy_window(NOW)
    window = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    cache = DayCache.of(
        [DayList(day=d, active=True, userids=tuple(sorted(org.activity(d, active=True)))) for d in window]
    )
    with Emulator(tenant, now=NOW, qps=None) as emu:
        async with DingTalkClient(
            emu.app_key, SecretStr(emu.app_secret), hosts=HostMap(emu.oapi_url, emu.api_url)
        ) as client:
            dormancy = (await collect_dormancy(client, NOW, cache=cache)).get()
        calls = [c for c in emu.calls if c.path == ep.INACTIVE_USERS.path]

    expected = sorted(u.userid for u in tenant.users if not any(org.logged_in_on(u, d) for d in window))
    assert dormancy.dormant_userids == expected and expected
    assert len(calls) == 1
    assert [(d.day, d.active) for d in cache.fetched] == [(first, False)]
    assert len(cache.used) == 29
