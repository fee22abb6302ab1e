"""Large-tenant benchmark: how close a complete scan comes to the rate-limit floor.

Run: python benchmarks/large_tenant.py --members 50000 --qps 20 --latency 0.05

The emulator runs in a child process (its own CPU and memory, no shared GIL) with the given
size, latency and per-API limit (``--limit``, default: the scanner's ``--qps``). APIs run in
parallel, so the physical limit of a scan is its busiest API's calls divided by the limit.
Printed: wall time; that floor from the calls the scan made and from the minimal plan (the
fewest calls that fetch what the built-in checks need: the smaller of each day's two activity
lists, department details only for departments holding an administrator, which is all DT.EXT.4
reads), their ratio, and wall time over the minimal floor; calls per API; throttle answers;
retries; the scanner's peak RSS and CPU seconds (the emulator's are its own).

``--rescan``: the daily re-scan. A first scan keeps each day's activity list in a temporary
state directory; a night is simulated by forgetting the newest day held (the one a real night
adds); then a second scan with that state fetches only that day. Printed for the second scan,
with its wall time against the first scan's floor (target: 0.70x).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import resource
import sqlite3
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

from pydantic import SecretStr

from dingscan.collect.lifecycle import dormancy_window
from dingscan.emulator import Emulator, Tenant, generate_tenant
from dingscan.emulator.org import Org
from dingscan.engine import load_checks
from dingscan.inputs import JudgementInputs
from dingscan.logs import configure_logging
from dingscan.scan import ScanResult, scan_live
from dingscan.settings import Settings
from dingscan.state import SqliteStore
from dingscan.state.sqlite import DATABASE

PAGE = 100
THROTTLE_CODES = {"90018", "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi"}


def minimal_plan(tenant: Tenant, now: datetime) -> dict[str, int]:
    """The fewest calls per API path for what the built-in checks need, from the tenant itself."""
    org = Org(tenant, now)
    plan: Counter[str] = Counter()
    plan["/topapi/v2/department/listsub"] = len(tenant.departments)
    plan["/topapi/v2/user/list"] = sum(
        max(1, math.ceil(len(org.members[d.id]) / PAGE)) for d in tenant.departments
    )
    first, last = dormancy_window(now)
    users = list(org.users.values())
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        inactive = sum(1 for u in users if not org.logged_in_on(u, day))
        plan["/topapi/inactive/user/v2/get"] += max(1, math.ceil(min(inactive, len(users) - inactive) / PAGE))
    admin_users = {a.userid for a in tenant.admins}
    plan["/topapi/v2/department/get"] = len(
        {d for u in users if u.userid in admin_users for d in u.departments}
    )
    return dict(plan)


def serve(conn: Connection, members: int, seed: int, limit: int, latency: float) -> None:
    """The child: an emulator until told to stop, then its call log and the minimal plan."""
    tenant = generate_tenant(members=members, seed=seed)
    now = datetime.now(UTC)
    with Emulator(tenant, now=now, qps=limit, latency=latency) as emu:
        conn.send(
            (emu.oapi_url, emu.api_url, emu.app_key, emu.app_secret, tenant.corp_id, len(tenant.departments))
        )
        while conn.recv() == "mark":  # the calls so far belong to an earlier scan
            conn.send(len(emu.calls))
        calls = emu.calls[conn.recv() :]
    per_path = Counter(call.path for call in calls)
    throttled = Counter(call.path for call in calls if str(call.code) in THROTTLE_CODES)
    conn.send((dict(per_path), dict(throttled), minimal_plan(tenant, now)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--qps", type=float, default=20.0, help="the scanner's configured calls/s per API")
    parser.add_argument(
        "--limit", type=int, default=None, help="the emulator's calls/s per API (default: --qps)"
    )
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the emulator holds each answer")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rescan", action="store_true", help="measure the daily re-scan with a state")
    parser.add_argument("--log-level", default="warning", help="info shows when each section finished")
    args = parser.parse_args()
    limit = args.limit or int(args.qps)
    configure_logging(args.log_level)

    parent, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(child, args.members, args.seed, limit, args.latency))
    server.start()
    oapi_url, api_url, app_key, app_secret, corp_id, departments = parent.recv()
    settings = Settings(
        app_key=app_key,
        app_secret=SecretStr(app_secret),
        corp_id=corp_id,
        oapi_url=oapi_url,
        api_url=api_url,
        qps=args.qps,
    )
    with tempfile.TemporaryDirectory() as state:
        store = SqliteStore(Path(state)) if args.rescan else None
        first_wall = None
        if store is not None:
            first_wall, _, _ = _timed_scan(settings, store)
            with sqlite3.connect(Path(state) / DATABASE) as db:  # a night passes
                db.execute("DELETE FROM activity_days WHERE day = (SELECT max(day) FROM activity_days)")
            parent.send("mark")
            skip = parent.recv()
        else:
            skip = 0
        wall, cpu, result = _timed_scan(settings, store)
    parent.send("stop")
    parent.send(skip)
    per_path, throttled, plan = parent.recv()
    server.join()

    usage = result.document.scan.api_usage
    made_floor = max(per_path.values()) / limit
    plan_floor = max(plan.values()) / limit
    errors = sum(1 for f in result.document.findings if f.status.value == "ERROR")
    print(f"members              {args.members} in {departments} departments")
    print(
        f"scanner / emulator   {args.qps:g} calls/s configured, {limit} allowed per API, {args.latency * 1000:g} ms latency"
    )
    if first_wall is not None:
        print(f"first scan wall time {first_wall:.1f} s (keeping each day in the state)")
        print("daily re-scan        (the figures below; one new day fetched)")
        print(f"re-scan / first floor {wall / plan_floor:.2f}x (target 0.70x)")
    print(f"wall time            {wall:.1f} s")
    print(f"floor (calls made)   {made_floor:.1f} s")
    print(f"floor (minimal plan) {plan_floor:.1f} s")
    print(f"floors made / plan   {made_floor / plan_floor:.2f}x")
    print(f"wall / minimal floor {wall / plan_floor:.2f}x")
    print(f"throttle answers     {sum(throttled.values())}")
    print(f"retries              {usage.retries if usage else '?'}")
    print(
        f"peak RSS             {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB (scanner)"
    )
    print(f"CPU                  {cpu:.1f} s (scanner), {cpu / wall:.2f} of the wall time")
    print(f"ERROR findings       {errors}")
    print("calls per API        made / minimal plan / throttled")
    for path, made in sorted(per_path.items(), key=lambda item: -item[1]):
        print(f"  {path:44} {made:6} / {plan.get(path, made):6} / {throttled.get(path, 0)}")


def _timed_scan(settings: Settings, store: SqliteStore | None) -> tuple[float, float, ScanResult]:
    """Wall and CPU seconds of one scan, and the scan."""
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    scan = scan_live(settings, inputs=JudgementInputs.load(), checks=load_checks(), activity=store)
    result = asyncio.run(scan)
    return time.perf_counter() - started, _cpu_seconds() - cpu_before, result


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
