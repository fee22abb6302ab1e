"""``dingscan scan --tenants FILE``: the fleet run with its alerts, summary and metrics."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from dingscan.alerts.send import Notifier
from dingscan.check import Check
from dingscan.fleet.runner import FleetOptions, TenantOutcome, run_fleet
from dingscan.fleet.summary import render_table, write_summary
from dingscan.fleet.tenants import TenantEntry, TenantsFile
from dingscan.fsutil import probe_writable_folder
from dingscan.metrics import TenantRun, write_metrics
from dingscan.report.terminal import for_terminal


async def scan_fleet(
    tenants_file: TenantsFile,
    selected: Sequence[TenantEntry],
    options: FleetOptions,
    checks: Sequence[Check],
    *,
    metrics: Path | None = None,
    notifier: Notifier | None = None,
) -> list[TenantOutcome]:
    """Scan, alert as each tenant finishes (its outputs already written), then write the
    combined summary and the metrics; print the summary table."""
    probe_writable_folder(options.output_dir)
    sender = notifier or Notifier()

    async def alert(outcome: TenantOutcome) -> None:
        targets = tenants_file.targets_for(outcome.tenant)
        if outcome.document is None or not targets:
            return
        for warning in await sender.notify(targets, outcome.tenant.name, outcome.document):
            print(for_terminal(f"dingscan: warning: {warning}"), file=sys.stderr)

    outcomes = await run_fleet(selected, options, checks, after_each=alert)
    summary = write_summary(outcomes, options.output_dir)
    if metrics is not None:
        write_metrics(
            metrics, [TenantRun(o.tenant.name, o.exit_code, o.seconds, o.document) for o in outcomes]
        )
    sys.stdout.write(render_table(outcomes))
    print(f"wrote {summary}")
    return outcomes
