"""Large-tenant behaviour on a real loopback emulator: throttling, a slow server, the window.

The figures (wall time against the rate-limit floor, RSS, CPU) are in
``benchmarks/large_tenant.py``; these tests pin the behaviours behind them, on small tenants.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from e2e_support import judged_by, settings_for
from pydantic import SecretStr

from dingscan.client import DingTalkClient, HostMap, RetryPolicy
from dingscan.client import endpoints as ep
from dingscan.client.client import MAX_IN_FLIGHT
from dingscan.collect.lifecycle import collect_dormancy, dormancy_window
from dingscan.emulator import Emulator, Tenant, generate_tenant
from dingscan.emulator.org import Org
from dingscan.engine import load_checks
from dingscan.policy import Lifecycle, Policy
from dingscan.scan import ScanResult, scan_live

INACTIVE_PATH = ep.INACTIVE_USERS.path
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # after 09:00 in Shanghai: yesterday's data is ready


def client_for(emu: Emulator, **options: object) -> DingTalkClient:
    return DingTalkClient(
        emu.app_key,
        SecretStr(emu.app_secret),
        hosts=HostMap(emu.oapi_url, emu.api_url),
        **options,  # type: ignore[arg-type]
    )


async def scan(emu: Emulator, tenant: Tenant, policy: Policy, **settings: object) -> ScanResult:
    return await scan_live(
        settings_for(emu, tenant, **settings), inputs=judged_by(policy), checks=load_checks()
    )


async def test_a_server_allowing_4_calls_a_second_gives_the_findings_of_an_unthrottled_scan(
    tenant: Tenant,
) -> None:
    policy = Policy(lifecycle=Lifecycle(dormant_days=7))  # fewer calls: the test stays fast
    now = datetime.now(UTC)  # one calendar for both: leave times resolve against it
    with Emulator(tenant, now=now, qps=None) as emu:
        unthrottled = await scan(emu, tenant, policy, qps=20.0)
    with Emulator(tenant, now=now, qps=4) as emu:
        throttled = await scan(emu, tenant, policy, qps=20.0)

    usage = throttled.document.scan.api_usage
    assert usage is not None and usage.throttled > 0  # DingTalk said "slower", more than once
    assert all(c.status != "failed" for c in throttled.document.coverage.values())
    assert [f.model_dump(mode="json") for f in throttled.document.findings] == [
        f.model_dump(mode="json") for f in unthrottled.document.findings
    ]


async def test_5000_calls_queued_on_a_2_second_server_never_wait_inside_the_pool(tenant: Tenant) -> None:
    """Every request is on the wire within its timeout, however long it queued before: waves of
    ``MAX_IN_FLIGHT`` complete every 2 s and none times out (one attempt, so none is hidden).

    The test waits for three waves to end, however long a busy machine takes, rather than for a
    fixed time. The 5 s timeout leaves 3 s for a wave late on a busy machine, and is still
    shorter than the two waves (4 s) plus its own 2 s that a call queued inside the pool waits."""
    with Emulator(tenant, qps=None, latency=2.0) as emu:
        async with client_for(
            emu, calls_per_second=None, timeout=5.0, retry=RetryPolicy(attempts=1)
        ) as client:
            calls = [asyncio.ensure_future(client.call(ep.ADMIN_LIST)) for _ in range(5000)]
            pending = set(calls)
            async with asyncio.timeout(120):
                while len(calls) - len(pending) < 3 * MAX_IN_FLIGHT:
                    _, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            done = [c for c in calls if c.done()]
            for call in calls:
                call.cancel()
            await asyncio.gather(*calls, return_exceptions=True)

    assert [c.exception() for c in done if c.exception()] == []


async def test_dormant_days_narrows_the_window(tenant: Tenant) -> None:
    away = tenant.users[1].userid  # last seen 10 days ago: dormant for a week, not for a month
    users = tuple(
        u.model_copy(update={"last_login_days_ago": 10}) if u.userid == away else u for u in tenant.users
    )
    tenant = tenant.model_copy(update={"users": users})

    found = {}
    for days in (7, 30):
        with Emulator(tenant, qps=None) as emu:
            result = await scan(emu, tenant, Policy(lifecycle=Lifecycle(dormant_days=days)))
            found[days] = (result.snapshot.dormancy.get(), sum(c.path == INACTIVE_PATH for c in emu.calls))

    week, calls = found[7]
    assert (week.first_day, week.last_day) == dormancy_window(result.snapshot.as_of, 7)
    assert week.last_day - week.first_day == timedelta(days=6)
    assert calls == 7  # one page a day on this small tenant, seven days
    assert away in week.dormant_userids
    assert away not in found[30][0].dormant_userids


async def test_the_smaller_of_each_days_two_lists_gives_the_same_dormant_members() -> None:
    """On the four latest days nine in ten members had not logged in: the active list is
    fetched, which saves more calls than the one probe page a day costs."""
    tenant = generate_tenant(members=3000, seed=3)
    away = tuple(
        u.model_copy(update={"last_login_days_ago": 5})
        if n % 10 and (u.last_login_days_ago or 99) <= 3
        else u
        for n, u in enumerate(tenant.users)
    )
    tenant = tenant.model_copy(update={"users": away})
    org = Org(tenant, NOW)
    first, last = dormancy_window(NOW)
    window = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    inactive_pages = sum(-(-len(org.activity(day, active=False)) // 100) or 1 for day in window)

    with Emulator(tenant, now=NOW, qps=None) as emu:
        async with client_for(emu, calls_per_second=None) as client:
            dormancy = (await collect_dormancy(client, NOW)).get()
        calls = sum(c.path == INACTIVE_PATH for c in emu.calls)

    expected = sorted(u.userid for u in tenant.users if not any(org.logged_in_on(u, d) for d in window))
    assert dormancy.dormant_userids == expected
    assert calls < inactive_pages
