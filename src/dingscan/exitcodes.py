"""Exit codes for scheduled jobs: distinct for each thing a scheduler must react to differently.

| code | meaning |
| ---- | ------- |
| 0    | every control evaluated; none failed (MANUAL and NOT_APPLICABLE allowed) |
| 1    | at least one control FAILED |
| 2    | bad usage or configuration (options, config, policy, bundle, check pack) |
| 3    | nothing failed, but some controls could not be evaluated (ERROR) |
| 4    | fatal: the scan could not run (credentials rejected, IP not allowed or banned, out of memory, internal error) |
| 130  | interrupted (Ctrl-C / SIGTERM); nothing was half-written |

FAIL outranks ERROR: a proven failure is news even when other controls could not be judged.
"""

from __future__ import annotations

from enum import IntEnum

from dingscan.findings import FindingsDocument, Status


class ExitCode(IntEnum):
    OK = 0
    FAILURES = 1
    USAGE = 2
    INCOMPLETE = 3
    FATAL = 4
    INTERRUPTED = 130


def exit_code_for(document: FindingsDocument) -> ExitCode:
    if document.summary.get(Status.FAIL, 0):
        return ExitCode.FAILURES
    if document.summary.get(Status.ERROR, 0):
        return ExitCode.INCOMPLETE
    return ExitCode.OK
