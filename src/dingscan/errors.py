"""Every error a user can cause or meet, and the exit code it ends the run with.

::

    DingscanError              one line a person can act on; carries its exit code
    ├── UserError (2)          options, files, state, bundle, key, check pack: fix the input
    │   ├── UsageError         bad options or arguments, found after parsing
    │   ├── ConfigError        settings, alert targets, tenants file
    │   ├── OutputError        an output (file, folder, bundle) that cannot be written: names it
    │   └── PolicyError, AttestationError, ExceptionsError, FrameworkError, BundleError,
    │       SigningError, CheckLoadError, StateError (in their modules)
    ├── FatalError (4)         DingTalk refuses every scan (ScanAborted), ScanTimedOut
    ├── StageFailed            a later stage failed: its cause's code, and the outputs that exist
    └── Interrupted (130)      Ctrl-C or SIGTERM, with the outputs that exist

The CLI and the fleet ask an error for its ``exit_code`` instead of keeping lists of classes,
and its text is kept here or at the raise, so translating it (one message catalogue) touches
one place (``N_`` marks the fixed ones for the catalogue; the CLI translates them). This module
imports nothing of dingscan's but the exit codes and ``N_``, so any module can raise these.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dingscan.exitcodes import ExitCode
from dingscan.i18n import N_


class DingscanError(Exception):
    """An error that ends a run (or one tenant of a fleet) with :attr:`exit_code` and one line."""

    exit_code: ExitCode = ExitCode.FATAL


class UserError(DingscanError):
    """Something the user can fix in the input: exit 2."""

    exit_code: ExitCode = ExitCode.USAGE


class UsageError(UserError):
    """Bad options or arguments, found after parsing."""


class ConfigError(UserError, ValueError):
    """Configuration that cannot be used; one line naming the setting (settings, alert targets,
    tenants file: here, below them all, so none imports another for it)."""


class FatalError(DingscanError):
    """Nothing the input can fix would let this run succeed now: exit 4."""

    exit_code: ExitCode = ExitCode.FATAL


class ScanTimedOut(FatalError):
    """The scan took longer than ``scan_timeout``."""

    def __init__(self) -> None:
        super().__init__(N_("scan aborted: it took longer than scan_timeout"))


class OutputError(UserError):
    """An output (file, folder, bundle) that cannot be written, named."""

    def __init__(self, target: Path | str, reason: str) -> None:
        self.target = target
        super().__init__(f"{target}: {reason}")


class StageFailed(DingscanError):
    """A stage after the first output failed: the cause's line and exit code, and the outputs
    that exist (each complete), so nobody is told that nothing was written."""

    def __init__(self, cause: DingscanError, written: Sequence[Path]) -> None:
        self.cause = cause
        self.written = tuple(written)
        self.exit_code = cause.exit_code
        super().__init__(f"{cause}{_already(self.written)}")


class Interrupted(DingscanError):
    """Ctrl-C or SIGTERM; says which outputs exist (each complete) and whether the state moved."""

    exit_code: ExitCode = ExitCode.INTERRUPTED

    def __init__(self, written: Sequence[Path] = (), *, recorded: bool = False) -> None:
        self.written = tuple(written)
        self.recorded = recorded
        state = "; the scan was recorded in the state" if recorded else ""
        if not self.written:
            super().__init__(N_("interrupted; no output was written") + state)
        else:
            super().__init__(
                f"interrupted; complete: {', '.join(map(str, self.written))}; nothing half-written{state}"
            )


def describe_os_error(exc: OSError) -> str:
    """``file: reason`` for an OS error, the way every message names a file."""
    return f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")


def _already(written: Sequence[Path]) -> str:
    return f" (already written: {', '.join(map(str, written))})" if written else ""
