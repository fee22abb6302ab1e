"""The output formats, registered in one place: a new format is one module plus one line here."""

from __future__ import annotations

import re

from dingscan.findings import FindingsDocument
from dingscan.report import csvtable, html, json, markdown, ocsf
from dingscan.report.base import ReportFormat

FORMATS: dict[str, ReportFormat] = {
    f.name: f for f in (json.FORMAT, ocsf.FORMAT, html.FORMAT, markdown.FORMAT, csvtable.FORMAT)
}


def output_name(document: FindingsDocument, fmt: ReportFormat) -> str:
    """``<tenant>-<time judged>.<suffix>``: stable for a bundle, distinct across scans and tenants."""
    tenant = document.scan.tenant.corp_id or document.scan.tenant.org_name or "tenant"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", tenant).strip("._") or "tenant"
    return f"dingscan-{safe[:64]}-{document.scan.as_of:%Y%m%dT%H%M%SZ}.{fmt.suffix}"
