"""The findings document as JSON: the versioned format the SOC ingests."""

from __future__ import annotations

from pathlib import Path

from dingscan.findings import FindingsDocument
from dingscan.fsutil import atomic_write_text
from dingscan.report.base import ReportFormat


def render_json(document: FindingsDocument) -> str:
    return document.model_dump_json(indent=2) + "\n"


def write_json(document: FindingsDocument, path: Path) -> None:
    atomic_write_text(path, render_json(document))


FORMAT = ReportFormat("json", "json", "the findings document (docs/findings.schema.json)", render_json)
