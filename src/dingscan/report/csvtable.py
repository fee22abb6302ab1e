"""One row per (control, resource) for auditors' spreadsheets.

Columns are the finding's plain fields (whatever the findings model holds, in its order), the
control's framework mappings, then the resource; a control without offenders is one row with
empty resource columns; column names are in the document's language. Cells that a spreadsheet
would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR at the start) are prefixed with
``'``: tenant data can contain anything.
"""

from __future__ import annotations

import csv
import io

from dingscan.findings import FindingsDocument
from dingscan.i18n import translator
from dingscan.report.base import (
    ReportFormat,
    finding_field_names,
    finding_fields,
    finding_rows,
    plain,
    reference_labels,
)

RESOURCE_COLUMNS = ("resource_type", "resource_id", "resource_name", "resource_detail", "resource_evidence")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render_csv(document: FindingsDocument) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    tr = translator(document.lang)
    writer.writerow([tr(name) for name in (*finding_field_names(), "references", *RESOURCE_COLUMNS)])
    for finding in document.findings:
        fields = [plain(v) for v in finding_fields(finding).values()]
        references = "; ".join(reference_labels(finding))
        for resource in finding_rows(finding):
            described = (
                (resource.type, resource.id, resource.name, resource.detail, resource.evidence)
                if resource
                else ("", "", "", "", None)
            )
            writer.writerow([_cell(c) for c in (*fields, references, *(plain(v) for v in described))])
    return buffer.getvalue()


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_START) else text


FORMAT = ReportFormat("csv", "csv", "one row per (control, resource), for spreadsheets", render_csv)
