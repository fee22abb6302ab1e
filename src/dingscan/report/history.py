"""``dingscan history``: each control's status over the last scans, and how long offenders are open."""

from __future__ import annotations

from dingscan.check import control_sort_key
from dingscan.findings import Status
from dingscan.report.terminal import for_terminal
from dingscan.state.store import StateStore

#: One letter per status keeps a month of nightly scans on one terminal line.
LETTERS = {
    Status.PASS: "P",
    Status.FAIL: "F",
    Status.ACCEPTED: "A",
    Status.ERROR: "E",
    Status.MANUAL: "M",
    Status.NOT_APPLICABLE: "-",
}


def render_history(store: StateStore, tenant: str, *, control: str | None = None, scans: int = 14) -> str:
    history = store.scans(tenant, scans)
    if not history:
        return for_terminal(f"no scans of {tenant} in the state") + "\n"
    latest = history[-1].as_of
    controls = sorted(
        {c for scan in history for c in scan.statuses if control in (None, c)}, key=control_sort_key
    )
    lines = [
        f"{tenant}: last {len(history)} scans, {history[0].as_of:%Y-%m-%d} to {latest:%Y-%m-%d} (oldest first)",
        "  " + ", ".join(f"{letter} {status.value}" for status, letter in LETTERS.items()) + ", . not run",
        "",
    ]
    for control_id in controls:
        cells = "".join(LETTERS[s.statuses[control_id]] if control_id in s.statuses else "." for s in history)
        lines.append(f"{control_id:<10} {cells}")
    still_open = sorted(
        (
            (o, o.open_since)
            for o in store.offenders(tenant)
            if o.open_since and control in (None, o.control_id)
        ),
        key=lambda pair: (control_sort_key(pair[0].control_id), pair[1], pair[0].key.id),
    )
    lines += ["", f"{len(still_open)} open offenders:" if still_open else "no open offenders"]
    for o, since in still_open:
        name = f" ({o.key.name})" if o.key.name else ""
        reopened = f", first seen {o.first_seen:%Y-%m-%d}" if o.first_seen != since else ""
        lines.append(
            f"{o.control_id:<10} {o.key.type} {o.key.id}{name}: open {(latest - since).days} days "
            f"(since {since:%Y-%m-%d}{reopened})"
        )
    return "".join(for_terminal(line) + "\n" for line in lines)
