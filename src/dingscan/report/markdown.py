"""A Markdown summary for a ticket or a chat message: counts, then every control that needs action.

Failing controls list a few offenders each (the other formats carry all of them). Every value
from the tenant is escaped, so a name cannot add links, images, HTML or table columns.
"""

from __future__ import annotations

import re

from dingscan.findings import Finding, FindingsDocument, Status
from dingscan.report.base import ReportFormat, by_priority, statuses

OFFENDERS_SHOWN = 5
_MARKUP = re.compile(r"([\\`*_\[\]|~])")
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]+")


def escape(text: str) -> str:
    """Literal text in Markdown: markup characters escaped, HTML neutralised, one line."""
    text = _INVISIBLE.sub(" ", text).replace("&", "&amp;").replace("<", "&lt;")
    return _MARKUP.sub(r"\\\1", text)


def render_markdown(document: FindingsDocument) -> str:
    scan, tenant = document.scan, document.scan.tenant
    lines = [
        f"# dingscan report: {escape(tenant.org_name or 'unknown organisation')}",
        "",
        f"- **Tenant:** {escape(tenant.corp_id or 'corp_id not set')}",
        f"- **Scan:** {scan.mode}, judged as of {scan.as_of:%Y-%m-%d %H:%M} UTC (dingscan {document.tool.version})",
    ]
    if scan.bundle_integrity:
        lines.append(f"- **Bundle integrity:** {escape(scan.bundle_integrity)}")
    lines += ["", "| status | controls |", "| --- | ---: |"]
    lines += [f"| {s.value} | {document.summary.get(s, 0)} |" for s in statuses()]
    lines += ["", "| control | severity | status | result |", "| --- | --- | --- | --- |"]
    lines += [
        f"| {f.control_id} | {f.severity.value} | {f.status.value} | {escape(f.message)} |"
        for f in by_priority(document.findings)
    ]
    failing = [f for f in by_priority(document.findings) if f.status is Status.FAIL]
    if failing:
        lines += ["", "## Offenders"]
    for finding in failing:
        lines += ["", f"### {finding.control_id} {escape(finding.title)}", "", *_offenders(finding)]
    return "\n".join(lines) + "\n"


def _offenders(finding: Finding) -> list[str]:
    shown = [
        f"- `{r.type}` {escape(r.id)}{f' ({escape(r.name)})' if r.name else ''}: {escape(r.detail)}"
        for r in finding.resources[:OFFENDERS_SHOWN]
    ]
    if hidden := len(finding.resources) - len(shown):
        shown.append(f"- … and {hidden} more (see the HTML, CSV or JSON report)")
    return shown or [escape(finding.message)]


FORMAT = ReportFormat("markdown", "md", "a summary for a ticket or a chat message", render_markdown)
