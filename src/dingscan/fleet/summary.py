"""The combined summary of a fleet run: one row per tenant, on the terminal and as JSON.

NEW counts the findings an alert would report (:func:`~dingscan.alerts.news.new_findings`): with
``--state``, what changed since the tenant's last scan; without, everything failing or in error.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dingscan.alerts.news import new_findings
from dingscan.findings import Status
from dingscan.fleet.runner import TenantOutcome
from dingscan.fsutil import atomic_write_text
from dingscan.jsontext import dumps
from dingscan.report.terminal import for_terminal

SUMMARY_FILE = "fleet-summary.json"


def summary_rows(outcomes: Sequence[TenantOutcome]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for outcome in outcomes:
        document = outcome.document
        rows.append(
            {
                "tenant": outcome.tenant.name,
                "corp_id": outcome.tenant.corp_id,
                "exit_code": int(outcome.exit_code),
                "fail": document.summary.get(Status.FAIL, 0) if document else None,
                "error": document.summary.get(Status.ERROR, 0) if document else None,
                "accepted": document.summary.get(Status.ACCEPTED, 0) if document else None,
                "new": len(new_findings(document)) if document else None,
                "seconds": round(outcome.seconds, 2),
                "not_scanned": outcome.error,
                "not_recorded": outcome.not_recorded,
                "outputs": [str(p) for p in outcome.outputs],
            }
        )
    return rows


def render_table(outcomes: Sequence[TenantOutcome]) -> str:
    lines = [
        f"{'TENANT':<24} {'EXIT':>4} {'FAIL':>5} {'ERROR':>5} {'ACCEPTED':>8} {'NEW':>5} {'SECONDS':>8}  NOTE"
    ]
    for row in summary_rows(outcomes):
        fail, error, accepted, new = (
            "-" if row[k] is None else row[k] for k in ("fail", "error", "accepted", "new")
        )
        lines.append(
            f"{row['tenant']!s:<24} {row['exit_code']!s:>4} {fail!s:>5} {error!s:>5} {accepted!s:>8} "
            f"{new!s:>5} {row['seconds']!s:>8}  {_note(row)}"
        )
    scanned = sum(1 for o in outcomes if o.document is not None)
    lines += ["", f"{scanned} of {len(outcomes)} tenants scanned"]
    return "".join(for_terminal(line) + "\n" for line in lines)


def write_summary(outcomes: Sequence[TenantOutcome], folder: Path) -> Path:
    path = folder / SUMMARY_FILE
    atomic_write_text(path, dumps({"tenants": summary_rows(outcomes)}, indent=2))
    return path


def _note(row: dict[str, object]) -> str:
    if row["not_recorded"]:
        return f"not recorded in the state: {row['not_recorded']}"
    return str(row["not_scanned"] or "")
