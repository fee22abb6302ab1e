"""Scan speed against the loopback emulator: wall time, API calls, peak memory.

Run: python benchmarks/scan_speed.py --members 2000 [--qps 20]

The emulator enforces DingTalk's per-API QPS, so the figure approximates a real standard-edition
tenant minus network latency. The target: wall time close to the busiest API's calls / QPS
(independent APIs run concurrently), not the sum of all calls / QPS.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import time
from collections import Counter

from dingscan.emulator import Emulator, generate_tenant
from dingscan.engine import load_checks
from dingscan.inputs import JudgementInputs
from dingscan.logs import configure_logging
from dingscan.scan import scan_live


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--qps", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    configure_logging("warning")

    tenant = generate_tenant(members=args.members, seed=args.seed)
    with Emulator(tenant, qps=args.qps) as emu:
        settings = emu.scanner_settings(qps=args.qps)
        started = time.perf_counter()
        result = asyncio.run(scan_live(settings, inputs=JudgementInputs.load(), checks=load_checks()))
        wall = time.perf_counter() - started
        per_path = Counter(call.path for call in emu.calls)
        throttled = sum(
            1
            for call in emu.calls
            if call.code in ("90018", "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi")
        )

    usage = result.document.scan.api_usage
    busiest, busiest_calls = per_path.most_common(1)[0]
    print(f"members              {args.members}")
    print(f"departments          {len(tenant.departments)}")
    print(f"wall time            {wall:.2f} s")
    print(
        f"API calls            {usage.sent if usage else '?'} (counted against quota: {usage.counted if usage else '?'})"
    )
    print(f"throttled by server  {throttled}")
    print(
        f"busiest API          {busiest}: {busiest_calls} calls -> floor {busiest_calls / args.qps:.2f} s at {args.qps:g} QPS"
    )
    print(
        f"sum of calls / QPS   {sum(per_path.values()) / args.qps:.2f} s (what a sequential scan would take)"
    )
    print(f"peak RSS             {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(f"findings             {dict((k.value, v) for k, v in result.document.summary.items())}")


if __name__ == "__main__":
    main()
