"""Changes between scans as text: the summary's opening line and the ``dingscan diff`` report."""

from __future__ import annotations

from dingscan.check import control_sort_key
from dingscan.drift import new_failures
from dingscan.findings import FindingsDocument, ResourceKey
from dingscan.i18n import Translator
from dingscan.report.terminal import for_terminal


def drift_line(document: FindingsDocument, tr: Translator) -> str | None:
    """``since 2026-11-29 02:00: 2 new failures, 1 resolved, DT.PRV.1 PASS -> FAIL``; None without history."""
    compared = [f for f in document.findings if f.changes is not None]
    if not compared:
        return None
    since = max(f.changes.since for f in compared if f.changes)
    new = sum(len(new_failures(f)) for f in compared)
    resolved = sum(len(f.changes.resolved) for f in compared if f.changes)
    moves = [
        f"{f.control_id} {f.changes.previous_status.value} -> {f.status.value}"
        for f in sorted(compared, key=lambda f: control_sort_key(f.control_id))
        if f.changes and f.changes.previous_status is not None and f.changes.previous_status is not f.status
    ]
    failures = tr("{count} new failure", count=new) if new == 1 else tr("{count} new failures", count=new)
    parts = [failures, tr("{count} resolved", count=resolved), *moves]
    return tr("since {time}: {changes}", time=since.strftime("%Y-%m-%d %H:%M"), changes=", ".join(parts))


def render_diff(document: FindingsDocument, tr: Translator) -> str:
    """Every control that changed: status move, new and resolved offenders."""
    lines = [drift_line(document, tr) or tr("nothing to compare")]
    for finding in sorted(document.findings, key=lambda f: control_sort_key(f.control_id)):
        change = finding.changes
        if change is None or not (
            change.new or change.resolved or change.previous_status is not finding.status
        ):
            continue
        before = change.previous_status.value if change.previous_status else "(absent)"
        lines.append(f"{finding.control_id:<10} {before} -> {finding.status.value}")
        accepted = {r.key.identity for r in finding.resources if r.accepted}
        lines += [f"{'':<10} + {_name(k)}{' (accepted)' * (k.identity in accepted)}" for k in change.new]
        lines += [f"{'':<10} - {_name(k)}" for k in change.resolved]
    return "".join(for_terminal(line) + "\n" for line in lines)


def _name(key: ResourceKey) -> str:
    return f"{key.type} {key.id}{f' ({key.name})' if key.name else ''}"
