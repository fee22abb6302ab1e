"""One self-contained HTML report: no network, no JavaScript, readable from disk or behind a strict CSP.

Jinja2 renders it with autoescaping on, so every value from the tenant is text, never markup; names
sit in ``<bdi>`` so right-to-left marks cannot reorder the text around them. Filtering by status and
area is CSS only (radio buttons and sibling selectors), so the page needs no script at all, and it
declares its own Content-Security-Policy: nothing may load, only its one inline style (by hash).
Offender lists are collapsed and capped at :data:`OFFENDERS_SHOWN` per control, which keeps the
file at a few MB for a 50,000-member tenant; the CSV and JSON outputs carry every offender.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from dingscan.check import AREAS
from dingscan.findings import Finding, FindingsDocument, Severity
from dingscan.frameworks import builtin_frameworks
from dingscan.i18n import translator
from dingscan.jsontext import dumps
from dingscan.report.base import ReportFormat, by_priority, finding_fields, reference_labels, statuses
from dingscan.report.terminal import for_html

OFFENDERS_SHOWN = 500
#: Fields the template shows in their own place; any other field of a finding is listed under "more".
_SHOWN = {"uid", "control_id", "title", "severity", "status", "message", "evidence_source", "remediation"}


def _shown(value: Any) -> Any:
    """Every value the template prints, control characters made visible (Markup stays Markup)."""
    if isinstance(value, str) and (shown := for_html(value)) != value:
        return type(value)(shown)
    return value


_ENV = Environment(
    loader=PackageLoader("dingscan.report", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    finalize=_shown,
)


@dataclass(frozen=True)
class _Control:
    """A finding with what the template needs precomputed."""

    finding: Finding
    area: str
    more: dict[str, str]
    evidence: str
    references: list[str]


def render_html(document: FindingsDocument) -> str:
    controls = [_control(f) for f in by_priority(document.findings)]
    present = {c.area for c in controls}
    areas = {a: name for a, name in AREAS.items() if a in present} | {
        a: a for a in sorted(present - set(AREAS))
    }
    style = _ENV.get_template("report.css.j2").render(statuses=statuses(), areas=areas)
    style_hash = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    return _ENV.get_template("report.html.j2").render(
        document=document,
        scan=document.scan,
        statuses=statuses(),
        severities=list(Severity),
        matrix=_severity_matrix(document.findings),
        areas=areas,
        controls=controls,
        frameworks=_frameworks(document.findings),
        offenders_shown=OFFENDERS_SHOWN,
        style=style,
        _=translator(document.lang),
        csp=f"default-src 'none'; style-src 'sha256-{style_hash}'; base-uri 'none'; form-action 'none'",
    )


def _control(finding: Finding) -> _Control:
    return _Control(
        finding=finding,
        area=_area(finding.control_id),
        more={k: _text(v) for k, v in finding_fields(finding).items() if k not in _SHOWN and v is not None},
        evidence=_json(finding.evidence) if finding.evidence else "",
        references=reference_labels(finding),
    )


def _area(control_id: str) -> str:
    """The area code (the middle of DT.IDN.1); it names CSS classes, so anything odd is 'OTHER'."""
    parts = control_id.split(".")
    return parts[-2] if len(parts) >= 3 and re.fullmatch(r"[A-Z0-9]{1,16}", parts[-2]) else "OTHER"


def _severity_matrix(findings: list[Finding]) -> dict[Severity, dict[str, int]]:
    matrix = {severity: {s.value: 0 for s in statuses()} for severity in Severity}
    for finding in findings:
        matrix[finding.severity][finding.status.value] += 1
    return matrix


def _frameworks(findings: list[Finding]) -> dict[str, dict[str, list[Finding]]]:
    """For each framework, its references in order, each with the controls mapped to it."""
    frameworks = builtin_frameworks()
    view: dict[str, dict[str, list[Finding]]] = {f.title: {} for f in frameworks}
    for finding in findings:
        for framework in frameworks:
            for reference in finding.references.get(framework.id, []):
                view[framework.title].setdefault(reference, []).append(finding)
    return {label: dict(sorted(refs.items(), key=lambda r: _natural(r[0]))) for label, refs in view.items()}


def _natural(reference: str) -> list[Any]:
    """'A.5.9' before 'A.5.15'; 'DPP2' before 'DPP10'."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.findall(r"\d+|\D+", reference)]


def _json(value: Any) -> str:
    return dumps(value, indent=1, sort_keys=True, default=str)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else _json(value)


_ENV.filters["compact"] = lambda value: dumps(value, sort_keys=True, default=str)

FORMAT = ReportFormat("html", "html", "one self-contained HTML report (no network, no script)", render_html)
