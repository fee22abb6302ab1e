"""What every output format is, and the helpers writers share to read findings generically.

Writers read the findings model through :func:`finding_fields` and :func:`finding_rows`, so a
field added to :class:`~dingscan.findings.Finding` reaches every format without touching it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dingscan.check import control_sort_key
from dingscan.findings import Finding, FindingsDocument, Resource, Status
from dingscan.frameworks import reference_labels as labels_of
from dingscan.fsutil import atomic_write_text
from dingscan.i18n import SOURCE_LANGUAGE, translator

#: Fields every writer shows in its own way; all other fields of a finding are shown generically.
STRUCTURED_FIELDS = frozenset({"resources", "evidence", "references"})


@dataclass(frozen=True)
class ReportFormat:
    name: str
    suffix: str
    description: str
    render: Callable[[FindingsDocument], str]
    #: Read by people, so rendered in the reader's language; machine formats stay English.
    for_people: bool = True

    def write(self, document: FindingsDocument, path: Path) -> None:
        atomic_write_text(path, self.render(document))


def localised(document: FindingsDocument, lang: str) -> FindingsDocument:
    """The document with each control's title and remediation in ``lang`` (verdicts stay as written).

    Findings are recorded in English, the language-neutral form that JSON, OCSF and drift
    comparisons read; only the formats people read are rendered from a localised copy.
    """
    if lang == document.lang:
        return document
    if document.lang != SOURCE_LANGUAGE:
        raise ValueError(f"findings are in {document.lang}; only English findings can be translated")
    tr = translator(lang)
    findings = [
        f.model_copy(update={"title": tr(f.title), "remediation": tr(f.remediation)})
        for f in document.findings
    ]
    return document.model_copy(update={"lang": lang, "findings": findings})


def finding_field_names() -> list[str]:
    """The findings model's plain fields (all but resources, evidence, references), in model order."""
    return [name for name in Finding.model_fields if name not in STRUCTURED_FIELDS]


def finding_fields(finding: Finding) -> dict[str, Any]:
    return {name: getattr(finding, name) for name in finding_field_names()}


def plain(value: Any) -> str:
    """One cell of text for any field value: enums by value, structures as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def finding_rows(finding: Finding) -> Iterator[Resource | None]:
    """One row per offending resource, or a single resource-less row for the control itself."""
    if finding.resources:
        yield from finding.resources
    else:
        yield None


def reference_labels(finding: Finding) -> list[str]:
    """The control's framework mappings as 'PDPO DPP4', 'ISO/IEC 27001:2022 A.5.15', 'PIPL Art. 51'."""
    return labels_of(finding.references)


#: Problems first: the order in which reports list statuses (any status added later comes last).
_STATUS_PRIORITY = (
    Status.FAIL,
    Status.ERROR,
    Status.MANUAL,
    Status.ACCEPTED,
    Status.PASS,
    Status.NOT_APPLICABLE,
)


def statuses() -> list[Status]:
    return sorted(Status, key=lambda s: _STATUS_PRIORITY.index(s) if s in _STATUS_PRIORITY else 99)


def by_priority(findings: list[Finding]) -> list[Finding]:
    """Findings as reports list them: by status (problems first), then in baseline order."""
    order = {status: rank for rank, status in enumerate(statuses())}
    return sorted(findings, key=lambda f: (order[f.status], control_sort_key(f.control_id)))
