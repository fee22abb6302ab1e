"""Size and render time of every report format, for the demo and for a large generated tenant.

Run: python benchmarks/report_sizes.py --members 50000

The large tenant is scanned live through the loopback emulator (no QPS limit, so the scan is
quick), then each format is rendered from the same findings document. The HTML report must stay
at a few MB however many offenders a control has (its offender lists are capped).
"""

from __future__ import annotations

import argparse
import asyncio
import time

from dingscan.emulator import Emulator, generate_tenant
from dingscan.engine import load_checks
from dingscan.findings import FindingsDocument
from dingscan.inputs import JudgementInputs
from dingscan.logs import configure_logging
from dingscan.report.formats import FORMATS
from dingscan.resources import packaged_path
from dingscan.scan import scan_live


def scanned(members: int, seed: int) -> FindingsDocument:
    tenant = generate_tenant(members=members, seed=seed)
    with Emulator(tenant, qps=None) as emu:
        settings = emu.scanner_settings(qps=1000.0)
        return asyncio.run(scan_live(settings, inputs=JudgementInputs.load(), checks=load_checks())).document


def report(label: str, document: FindingsDocument) -> None:
    offenders = sum(len(f.resources) for f in document.findings)
    print(f"{label}: {len(document.findings)} controls, {offenders} offending resources")
    for fmt in FORMATS.values():
        started = time.perf_counter()
        size = len(fmt.render(document).encode())
        elapsed = time.perf_counter() - started
        print(f"  {fmt.name:<9} {size:>12,} bytes  {size / 1024 / 1024:7.2f} MiB  {elapsed:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    configure_logging("warning")
    demo = packaged_path("fixtures/demo/findings.json").read_bytes()
    report("demo (recorded findings)", FindingsDocument.model_validate_json(demo))
    started = time.perf_counter()
    document = scanned(args.members, args.seed)
    print(f"(scan of the generated tenant took {time.perf_counter() - started:.1f} s)")
    report(f"generated tenant, {args.members:,} members", document)


if __name__ == "__main__":
    main()
