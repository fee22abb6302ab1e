"""The terminal summary for the security team: what failed, on what, and what to look at next.

Long lists are cut to a few examples per control; the JSON output always has every one.
"""

from __future__ import annotations

from dingscan.findings import Finding, FindingsDocument, Status
from dingscan.report.terminal import for_terminal

EXAMPLES_PER_FINDING = 5
_ORDER = (Status.FAIL, Status.ERROR, Status.MANUAL, Status.PASS, Status.NOT_APPLICABLE)


def render_summary(document: FindingsDocument) -> str:
    scan = document.scan
    tenant = scan.tenant.org_name or "unknown organisation"
    lines = [
        f"dingscan {document.tool.version} - {tenant} ({scan.tenant.corp_id or 'corp_id not set'})",
        f"{scan.mode} scan, judged as of {scan.as_of:%Y-%m-%d %H:%M} UTC",
    ]
    lines += _coverage_lines(document)
    lines.append("")
    lines.append(f"{'CONTROL':<10} {'SEVERITY':<9} {'STATUS':<14} RESULT")
    for finding in sorted(document.findings, key=lambda f: (_ORDER.index(f.status), f.control_id)):
        lines.append(
            f"{finding.control_id:<10} {finding.severity.value:<9} {finding.status.value:<14} {finding.message}"
        )
        lines += _examples(finding)
    lines.append("")
    counts = ", ".join(f"{document.summary.get(s, 0)} {s.value}" for s in _ORDER)
    usage = scan.api_usage
    calls = f"; {usage.sent} API calls ({usage.counted} counted against the monthly quota)" if usage else ""
    lines.append(f"{len(document.findings)} controls: {counts}{calls}")
    return "".join(for_terminal(line) + "\n" for line in lines)


def _coverage_lines(document: FindingsDocument) -> list[str]:
    gaps = {name: c for name, c in document.coverage.items() if c.status != "collected"}
    collected = len(document.coverage) - len(gaps)
    lines = [f"coverage: {collected} of {len(document.coverage)} areas collected"]
    lines += [f"  {name}: {c.status} - {c.reason}" for name, c in sorted(gaps.items())]
    return lines


def _examples(finding: Finding) -> list[str]:
    if finding.status is not Status.FAIL:
        return []
    shown = [
        f"{'':<10} - {r.id}{f' ({r.name})' if r.name else ''}: {r.detail}"
        for r in finding.resources[:EXAMPLES_PER_FINDING]
    ]
    hidden = len(finding.resources) - len(shown)
    if hidden > 0:
        shown.append(f"{'':<10}   ... and {hidden} more (see the JSON output)")
    return shown
