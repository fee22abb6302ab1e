"""State size after a year of nightly scans: 365 simulated daily scans of a 2,000-member tenant.

Run: python benchmarks/state_size.py [--members 2000] [--days 365] [--churn 0.02]

Day 0 is a real scan of an emulated tenant (its real offenders). Each following day, in every
failing control, a ``--churn`` share of the offenders is resolved and as many new ones appear
(other members), and the day's findings go through the same code as ``dingscan scan --state``
(:func:`dingscan.state.record_scan`). Prints the state's size on disk, its rows, and the time
to record one scan and to render ``dingscan history``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from dingscan.emulator import Emulator, generate_tenant
from dingscan.engine import load_checks
from dingscan.findings import Finding, FindingsDocument, Resource, Status
from dingscan.inputs import JudgementInputs
from dingscan.logs import configure_logging
from dingscan.policy import Policy
from dingscan.report.history import render_history
from dingscan.scan import scan_live
from dingscan.state import SqliteStore, record_scan
from dingscan.state.sqlite import DATABASE


def first_scan(members: int, seed: int) -> tuple[FindingsDocument, list[str]]:
    tenant = generate_tenant(members=members, seed=seed)
    with Emulator(tenant, qps=None) as emu:
        settings = emu.scanner_settings(qps=1000.0)
        inputs = JudgementInputs.load()
        inputs = JudgementInputs(Policy(corporate_domains=["example.hk"]), inputs.policy_file, None, None)
        result = asyncio.run(scan_live(settings, inputs=inputs, checks=load_checks()))
    return result.document, [u.userid for u in tenant.users]


def next_day(
    document: FindingsDocument, day: int, userids: list[str], churn: float, rng: random.Random
) -> FindingsDocument:
    findings = [_churned(f, userids, churn, rng) for f in document.findings]
    scan = document.scan.model_copy(
        update={"id": f"day-{day}", "as_of": document.scan.as_of + timedelta(days=1)}
    )
    return document.model_copy(update={"scan": scan, "findings": findings})


def _churned(finding: Finding, userids: list[str], churn: float, rng: random.Random) -> Finding:
    people = [r for r in finding.resources if r.type in ("user", "admin")]
    if finding.status is not Status.FAIL or len(people) < 2:
        return finding
    moved = max(1, round(len(people) * churn))
    kept = rng.sample(people, len(people) - moved)
    current = {r.id for r in kept}
    fresh = [u for u in rng.sample(userids, moved * 3) if u not in current][:moved]
    added = [Resource(type=people[0].type, id=u, detail=people[0].detail) for u in fresh]
    return finding.model_copy(update={"resources": kept + added})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--churn", type=float, default=0.02, help="share of offenders replaced daily")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    configure_logging("warning")
    rng = random.Random(args.seed)

    document, userids = first_scan(args.members, args.seed)
    offenders = sum(len(f.resources) for f in document.findings if f.status is Status.FAIL)
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "state"
        store = SqliteStore(state)
        timings = []
        for day in range(args.days):
            started = time.perf_counter()
            record_scan(document, store)
            timings.append(time.perf_counter() - started)
            document = next_day(document, day + 1, userids, args.churn, rng)
        started = time.perf_counter()
        render_history(store, document.scan.tenant.corp_id or "", scans=30)
        history_ms = (time.perf_counter() - started) * 1000
        store.close()  # checkpoints the WAL into the database file
        size = sum(p.stat().st_size for p in state.iterdir())
        with sqlite3.connect(state / DATABASE) as db:
            rows = {
                t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 - fixed names
                for t in ("scans", "statuses", "offenders")
            }
    timings.sort()
    print(f"tenant: {args.members} members, {offenders} offenders on day 0, {args.churn:.0%} daily churn")
    print(f"state after {args.days} daily scans: {size / 1024 / 1024:.2f} MiB on disk ({size} bytes)")
    print("rows: " + ", ".join(f"{table} {count}" for table, count in rows.items()))
    print(
        f"record one scan: median {timings[len(timings) // 2] * 1000:.1f} ms, "
        f"slowest {timings[-1] * 1000:.1f} ms; history (30 scans): {history_ms:.1f} ms"
    )


if __name__ == "__main__":
    main()
