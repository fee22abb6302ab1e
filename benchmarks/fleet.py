"""A fleet run of many emulated tenants on one machine: wall time, rate at the ceiling, memory.

Run: python benchmarks/fleet.py [--tenants 20] [--members 300] [--ceiling 150] [--parallel 20]

Starts ``--tenants`` loopback emulators (each with DingTalk's 20 calls/s per app and API), scans
the first one alone (the single-tenant time), then all of them with ``dingscan scan --tenants``
in a child process, and prints: wall time of the fleet against the slowest tenant alone and
within the fleet, calls per second overall and in the busiest second against ``--ceiling``, and
the child's peak RSS. The emulators run in this process, so they do not inflate that figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from bisect import bisect_right
from contextlib import ExitStack
from pathlib import Path

import yaml

from dingscan.emulator import Emulator, generate_tenant
from dingscan.emulator.tenant import AppCredentials


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=20)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--ceiling", type=float, default=150.0)
    parser.add_argument("--parallel", type=int, default=20)
    args = parser.parse_args()
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = dict(os.environ)
        entries, emulators = [], []
        for i in range(args.tenants):
            secret = f"bench-secret-{i}-0a1b2c"
            tenant = generate_tenant(members=args.members, seed=500 + i).model_copy(
                update={"app": AppCredentials(app_key=f"bench-key-{i}", app_secret=secret)}
            )
            emu = stack.enter_context(Emulator(tenant))
            emulators.append(emu)
            env[f"B{i}_KEY"], env[f"B{i}_SECRET"] = emu.app_key, secret
            entries.append(
                {
                    "name": f"tenant{i:02d}",
                    "corp_id": tenant.corp_id,
                    "app_key": {"env": f"B{i}_KEY"},
                    "app_secret": {"env": f"B{i}_SECRET"},
                    "oapi_url": emu.oapi_url,
                    "api_url": emu.api_url,
                }
            )
        alone = _fleet(folder / "alone", entries[:1], env, args.ceiling, 1)
        fleet_started = time.monotonic()
        fleet = _fleet(folder / "fleet", entries, env, args.ceiling, args.parallel)
        times = sorted(call.at for emu in emulators for call in emu.calls if call.at >= fleet_started)
    per_tenant = [row["seconds"] for row in fleet["rows"]]
    busiest = max(bisect_right(times, t + 1.0) - i for i, t in enumerate(times))
    # DingTalk's own measure: calls in any 20 s (10,000 allowed from one address).
    window = min(20.0, fleet["wall"])
    busiest_window = max(bisect_right(times, t + window) - i for i, t in enumerate(times)) / window
    print(
        f"{args.tenants} tenants of {args.members} members, --parallel {args.parallel}, --ceiling {args.ceiling:g}/s"
    )
    print(f"one tenant alone:        {alone['wall']:.1f} s wall")
    print(
        f"fleet:                   {fleet['wall']:.1f} s wall (exit {fleet['code']}); slowest tenant in it {max(per_tenant):.1f} s"
    )
    print(
        f"calls:                   {len(times)} in all, {len(times) / fleet['wall']:.0f}/s over the run, busiest second {busiest}, "
        f"busiest {window:.0f} s {busiest_window:.0f}/s"
    )
    print("(as the emulators logged them: 40 emulated hosts in one process add their own queueing)")
    print(f"peak RSS of the fleet:   {fleet['rss_mb']:.0f} MB (one tenant alone: {alone['rss_mb']:.0f} MB)")


def _fleet(
    out: Path, entries: list[dict[str, object]], env: dict[str, str], ceiling: float, parallel: int
) -> dict[str, object]:
    out.mkdir()
    (out / "tenants.yaml").write_text(yaml.safe_dump({"tenants": entries}))
    command = [sys.executable, "-m", "dingscan", "scan", "--tenants", str(out / "tenants.yaml")]
    command += ["--output-dir", str(out), "--ceiling", str(ceiling), "--parallel", str(parallel), "--quiet"]
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    wall = time.monotonic() - started
    rss = resource.getrusage(
        resource.RUSAGE_CHILDREN
    ).ru_maxrss  # the largest child so far: run the small one first
    rows = yaml.safe_load((out / "fleet-summary.json").read_text())["tenants"]
    return {"wall": wall, "code": result.returncode, "rows": rows, "rss_mb": max(rss, before) / 1024}


if __name__ == "__main__":
    main()
