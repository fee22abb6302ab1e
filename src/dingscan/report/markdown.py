"""A Markdown summary for a ticket or a chat message: counts, then every control that needs action.

Failing controls list a few offenders each (the other formats carry all of them). Every value
from the tenant is escaped, so a name cannot add links, images, HTML or table columns.
"""

from __future__ import annotations

import re

from dingscan.findings import Finding, FindingsDocument, Status
from dingscan.i18n import Translator, translator
from dingscan.report.base import ReportFormat, by_priority, statuses

OFFENDERS_SHOWN = 5
_MARKUP = re.compile(r"([\\`*_\[\]|~])")
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]+")


def escape(text: str) -> str:
    """Literal text in Markdown: markup characters escaped, HTML neutralised, one line."""
    text = _INVISIBLE.sub(" ", text).replace("&", "&amp;").replace("<", "&lt;")
    return _MARKUP.sub(r"\\\1", text)


def render_markdown(document: FindingsDocument) -> str:
    tr = translator(document.lang)
    scan, tenant = document.scan, document.scan.tenant
    judged = tr(
        "{mode}, judged as of {as_of} UTC (dingscan {version})",
        mode=scan.mode,
        as_of=scan.as_of.strftime("%Y-%m-%d %H:%M"),
        version=document.tool.version,
    )
    name, corp_id = tenant.org_name or tr("unknown organisation"), tenant.corp_id or tr("corp_id not set")
    heading, tenant_label, scan_label = tr("dingscan report:"), tr("Tenant:"), tr("Scan:")
    lines = [
        f"# {heading} {escape(name)}",
        "",
        f"- **{tenant_label}** {escape(corp_id)}",
        f"- **{scan_label}** {judged}",
    ]
    if scan.bundle_integrity:
        integrity_label = tr("Bundle integrity:")
        lines.append(f"- **{integrity_label}** {escape(scan.bundle_integrity)}")
    lines += ["", _row(tr("status"), tr("controls")), "| --- | ---: |"]
    lines += [_row(s.value, str(document.summary.get(s, 0))) for s in statuses()]
    lines += [
        "",
        _row(tr("control"), tr("severity"), tr("status"), tr("result")),
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {f.control_id} | {f.severity.value} | {f.status.value} | {escape(f.message)} |"
        for f in by_priority(document.findings)
    ]
    failing = [f for f in by_priority(document.findings) if f.status is Status.FAIL]
    if failing:
        lines += ["", "## " + tr("Offenders")]
    for finding in failing:
        lines += ["", f"### {finding.control_id} {escape(finding.title)}", "", *_offenders(finding, tr)]
    return "\n".join(lines) + "\n"


def _row(*cells: str) -> str:
    return f"| {' | '.join(cells)} |"


def _offenders(finding: Finding, tr: Translator) -> list[str]:
    shown = [
        f"- `{r.type}` {escape(r.id)}{f' ({escape(r.name)})' if r.name else ''}: {escape(r.detail)}"
        for r in finding.resources[:OFFENDERS_SHOWN]
    ]
    if hidden := len(finding.resources) - len(shown):
        shown.append("- " + tr("… and {hidden} more (see the HTML, CSV or JSON report)", hidden=hidden))
    return shown or [escape(finding.message)]


FORMAT = ReportFormat("markdown", "md", "a summary for a ticket or a chat message", render_markdown)
