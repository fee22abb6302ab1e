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
from dingscan.metrics import TenantRun, write_metrics
from dingscan.redaction import SECRETS
from dingscan.report.terminal import for_terminal
from dingscan.run import OutputPlan, RunService


async def scan_fleet(
    tenants_file: TenantsFile,
    selected: Sequence[TenantEntry],
    options: FleetOptions,
    checks: Sequence[Check],
    *,
    metrics: Path | None = None,
    notifier: Notifier | None = None,
) -> list[TenantOutcome]:
    """Scan (each tenant alerted as it finishes, its outputs already written), then write the
    combined summary and the metrics; print the summary table."""
    OutputPlan(output_dir=options.output_dir, extra=[*([metrics] if metrics else [])]).probe()
    service = RunService(notifier=notifier or Notifier(), warn=_warn)
    outcomes = await run_fleet(
        selected, options, checks, service=service, targets_for=tenants_file.targets_for
    )
    summary = write_summary(outcomes, options.output_dir)
    if metrics is not None:
        write_metrics(
            metrics, [TenantRun(o.tenant.name, o.exit_code, o.seconds, o.document) for o in outcomes]
        )
    sys.stdout.write(render_table(outcomes))
    print(f"wrote {summary}")
    return outcomes


def _warn(message: str) -> None:
    print(for_terminal(f"dingscan: warning: {SECRETS.scrub(message)}"), file=sys.stderr)
