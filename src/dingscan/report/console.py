"""The terminal summary for the security team: the worst first, what it is about, what to do next.

Rows are ordered by status (FAIL, ERROR, MANUAL, PASS, NOT_APPLICABLE), then by severity, so a
critical failure is never below a low one. Long lists are cut to a few examples per control; the
JSON output always has every one. Colour is for terminals only: never when ``NO_COLOR`` is set or
the output is a file or a pipe (https://no-color.org). The summary is in the document's language
(see :func:`dingscan.report.base.localised`); the verdicts are as the checks wrote them.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TextIO

from dingscan.findings import Finding, FindingsDocument, Resource, Status
from dingscan.i18n import Translator, translator
from dingscan.report.drift import drift_line
from dingscan.report.terminal import for_terminal

EXAMPLES_PER_FINDING = 5
_ORDER = (Status.FAIL, Status.ERROR, Status.MANUAL, Status.ACCEPTED, Status.PASS, Status.NOT_APPLICABLE)
#: ANSI SGR codes per status: red, magenta, yellow, blue, green, dim.
_COLOURS = {
    Status.FAIL: "31",
    Status.ERROR: "35",
    Status.MANUAL: "33",
    Status.ACCEPTED: "34",
    Status.PASS: "32",
    Status.NOT_APPLICABLE: "2",
}


def wants_colour(stream: TextIO) -> bool:
    return not os.environ.get("NO_COLOR") and stream.isatty()


def paint(text: str, sgr: str | None) -> str:
    return f"\033[{sgr}m{text}\033[0m" if sgr else text


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: CJK characters (钉钉) are two wide."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def align(rows: Sequence[Sequence[str]], colours: Mapping[tuple[int, int], str] | None = None) -> list[str]:
    """Rows as lines, each column as wide as its widest cell (the last one is not padded).

    Cells pass :func:`for_terminal` first (they may hold names from DingTalk or a check pack);
    ``colours`` maps (row, column) to an SGR code, added after padding is computed on the shown
    text, so coloured and plain tables line up the same.
    """
    colours = colours or {}
    rows = [[for_terminal(cell) for cell in row] for row in rows]
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for r, row in enumerate(rows):
        cells = [
            paint(cell, colours.get((r, c)))
            + " " * (widths[c] - display_width(cell) if c < len(widths) else 0)
            for c, cell in enumerate(row)
        ]
        lines.append(" ".join(cells).rstrip())
    return lines


def render_summary(document: FindingsDocument, *, colour: bool = False) -> str:
    tr = translator(document.lang)
    scan = document.scan
    tenant = scan.tenant.org_name or tr("unknown organisation")
    corp_id = scan.tenant.corp_id or tr("corp_id not set")
    # Every line is made safe for the terminal (for_terminal) before any colour is added.
    drift = drift_line(document, tr)
    lines = [drift] if drift else []
    lines += [
        f"dingscan {document.tool.version} - {tenant} ({corp_id})",
        tr(
            "{mode} scan, judged as of {as_of} UTC",
            mode=scan.mode,
            as_of=scan.as_of.strftime("%Y-%m-%d %H:%M"),
        ),
    ]
    if scan.bundle_integrity:
        lines.append(tr("bundle: {integrity}", integrity=scan.bundle_integrity))
    lines = [for_terminal(line) for line in lines]
    if scan.replay:  # it names control ids from a bundle
        sgr = {"identical": "32", "different": "1;31"}.get(scan.replay.result) if colour else None
        lines.append(paint(for_terminal(tr("replay: {verdict}", verdict=scan.replay.describe())), sgr))
    lines += [
        for_terminal(line) for line in [*_coverage_lines(document, tr), *_exception_lines(document, tr)]
    ]
    lines.append("")
    findings = sorted(
        document.findings, key=lambda f: (_ORDER.index(f.status), f.severity.rank, f.control_id)
    )
    rows = [(tr("CONTROL"), tr("SEVERITY"), tr("STATUS"), tr("RESULT"))]
    rows += [(f.control_id, f.severity.value, f.status.value, f.message) for f in findings]
    colours = {(r, 2): _COLOURS[f.status] for r, f in enumerate(findings, start=1)} if colour else {}
    table = align(rows, colours)
    indent = " " * (max(display_width(r[0]) for r in rows) + 1)
    lines.append(table[0])
    for finding, line in zip(findings, table[1:], strict=True):
        lines.append(line)
        lines += [indent + for_terminal(example) for example in _examples(finding, tr)]
    lines.append("")
    counts = ", ".join(f"{document.summary.get(s, 0)} {s.value}" for s in _ORDER)
    usage = scan.api_usage
    calls = (
        tr(
            "; {sent} API calls ({counted} counted against the monthly quota)",
            sent=usage.sent,
            counted=usage.counted,
        )
        if usage
        else ""
    )
    lines.append(
        for_terminal(tr("{total} controls: {counts}", total=len(document.findings), counts=counts) + calls)
    )
    return "".join(line + "\n" for line in lines)


def _coverage_lines(document: FindingsDocument, tr: Translator) -> list[str]:
    gaps = {name: c for name, c in document.coverage.items() if c.status != "collected"}
    collected = len(document.coverage) - len(gaps)
    lines = [
        tr(
            "coverage: {collected} of {total} areas collected",
            collected=collected,
            total=len(document.coverage),
        )
    ]
    lines += [f"  {name}: {c.status} - {c.reason}" for name, c in sorted(gaps.items())]
    return lines


def _exception_lines(document: FindingsDocument, tr: Translator) -> list[str]:
    if not document.exceptions:
        return []
    labels = {
        "applied": tr("applied"),
        "expired": tr("expired"),
        "stale": tr("stale"),
        "not_applied": tr("not applied"),
    }
    counts = ", ".join(
        f"{sum(e.state == state for e in document.exceptions)} {label}" for state, label in labels.items()
    )
    lines = [tr("exceptions: {counts}", counts=counts)]
    lines += [
        f"  {e.id} ({e.control_id}): {labels[e.state]} - {e.detail}"
        for e in document.exceptions
        if e.state != "applied"
    ]
    return lines


def _examples(finding: Finding, tr: Translator) -> list[str]:
    if finding.status not in (Status.FAIL, Status.ACCEPTED):
        return []
    new = {key.identity for key in finding.changes.new} if finding.changes else set()
    shown = [
        f"- {r.id}{f' ({r.name})' if r.name else ''}: {r.detail}{_tags(r, r.key.identity in new, tr)}"
        for r in finding.resources[:EXAMPLES_PER_FINDING]
    ]
    hidden = len(finding.resources) - len(shown)
    if hidden > 0:
        shown.append("  " + tr("... and {hidden} more (see the JSON output)", hidden=hidden))
    return shown


def _tags(resource: Resource, new: bool, tr: Translator) -> str:
    """Why to look (new since the last scan) or not (accepted: by whom, until when)."""
    tags = [tr("new")] if new else []
    if resource.first_seen is not None and not new:
        tags.append(tr("since {date}", date=resource.first_seen.strftime("%Y-%m-%d")))
    if accepted := resource.accepted:
        tags.append(
            tr(
                "accepted by {who} until {date}: {exception}",
                who=accepted.approved_by,
                date=accepted.expires_on.strftime("%Y-%m-%d"),
                exception=accepted.exception,
            )
        )
    return f" [{'; '.join(tags)}]" if tags else ""
