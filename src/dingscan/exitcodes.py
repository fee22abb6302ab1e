"""Exit codes for scheduled jobs: distinct for each thing a scheduler must react to differently.

``MEANINGS`` is the one source of the exit-code table: ``dingscan --help`` prints it and the
README's table is tested against :func:`markdown_table`.

A replay that does not reproduce its recording outranks everything found in it: to an auditor,
the findings of a replay that differs from the recorded scan are not evidence of anything. FAIL
outranks ERROR: a proven failure is news even when other controls could not be judged.
A control whose every offender is an accepted risk is ACCEPTED, not FAIL, so a nightly job goes
green once every remaining failure has an owner and an expiry date.
A fleet run (``--tenants``) exits with the worst of its tenants' codes, in the order of
:data:`SEVERITY_ORDER`: a tenant that could not be scanned at all outranks any findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum

from dingscan.findings import FindingsDocument, Severity, Status


class ExitCode(IntEnum):
    OK = 0
    FAILURES = 1
    USAGE = 2
    INCOMPLETE = 3
    FATAL = 4
    REPLAY_DIFFERENT = 5
    NOT_RECORDED = 6
    INTERRUPTED = 130


MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "every control evaluated; no FAIL at or above `--fail-on` (MANUAL, ACCEPTED and NOT_APPLICABLE "
    "allowed); "
    "`demo`: the demo ran as expected",
    ExitCode.FAILURES: "at least one control FAILED (at or above `--fail-on`, default: any severity); offenders "
    "an unexpired exception accepts do not count",
    ExitCode.USAGE: "bad usage or input: options, config, policy, attestations, exceptions, bundle (tampered or "
    "incomplete), key, check pack, an output that cannot be written, state (busy, unusable); `validate` found "
    "problems",
    ExitCode.INCOMPLETE: "nothing failed, but some controls could not be evaluated (ERROR)",
    ExitCode.FATAL: "fatal: DingTalk unreachable (no access token), credentials rejected, IP not allowed or "
    "banned, scan timeout, out of memory, internal error",
    ExitCode.REPLAY_DIFFERENT: "`replay`/`demo`: the replayed findings DIFFER from the recorded scan",
    ExitCode.NOT_RECORDED: "`--state`: every output was written, but the scan was not recorded in the state "
    "(another run of the tenant recorded a newer scan, or this one is dated in the future); its alerts "
    "were not sent",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C or SIGTERM); nothing half-written",
}


def markdown_table() -> str:
    """The exit-code table as the README shows it."""
    rows = [f"| {int(code)} | {meaning} |" for code, meaning in MEANINGS.items()]
    return "\n".join(["| code | meaning |", "| --- | --- |", *rows]) + "\n"


def help_text() -> str:
    """The exit-code table for ``--help`` (plain text, no Markdown)."""
    return "exit codes:\n" + "\n".join(
        f"  {int(code):<4} {meaning.replace('`', '')}" for code, meaning in MEANINGS.items()
    )


def exit_code_for(document: FindingsDocument, fail_on: Severity = Severity.INFORMATIONAL) -> ExitCode:
    """What a scheduler should see for this document; FAILs below ``fail_on`` do not count."""
    replay = document.scan.replay
    if replay is not None and replay.result == "different":
        return ExitCode.REPLAY_DIFFERENT
    if any(f.status is Status.FAIL and f.severity.at_least(fail_on) for f in document.findings):
        return ExitCode.FAILURES
    if document.summary.get(Status.ERROR, 0):
        return ExitCode.INCOMPLETE
    return ExitCode.OK


#: From least to most in need of attention, for the worst code of a fleet run.
SEVERITY_ORDER = (
    ExitCode.OK,
    ExitCode.INCOMPLETE,
    ExitCode.FAILURES,
    ExitCode.NOT_RECORDED,
    ExitCode.USAGE,
    ExitCode.FATAL,
    ExitCode.REPLAY_DIFFERENT,
    ExitCode.INTERRUPTED,
)


def worst(codes: Iterable[ExitCode]) -> ExitCode:
    return max(codes, key=SEVERITY_ORDER.index, default=ExitCode.OK)
