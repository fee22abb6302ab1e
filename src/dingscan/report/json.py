"""The findings document as JSON: the versioned format the SOC ingests."""

from __future__ import annotations

from dingscan.findings import FindingsDocument
from dingscan.jsontext import line_safe
from dingscan.report.base import ReportFormat


def render_json(document: FindingsDocument) -> str:
    return line_safe(document.model_dump_json(indent=2)) + "\n"


FORMAT = ReportFormat(
    "json", "json", "the findings document (docs/findings.schema.json)", render_json, for_people=False
)
