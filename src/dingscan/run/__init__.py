"""The run service: one order of stages, and one meaning for each failure, for every entry point.

::

    service = RunService(warn=print_warning)
    outcome = await service.scan(LiveScan(settings, inputs, checks, outputs=OutputPlan(...), state=...))
    outcome.exit_code, outcome.written, outcome.document

:mod:`dingscan.run.service` documents the order; :class:`OutputPlan` says what is written where,
:class:`StateAccess` how the state is used. A re-evaluation (watch: some sections collected again)
judges its snapshot with :func:`dingscan.scan.evaluate` and publishes it with
:meth:`RunService.publish`, which runs every stage from the history on (outputs, state, alerts).
"""

from dingscan.run.history import STATE_WAIT_SECONDS, StateAccess
from dingscan.run.outputs import OutputPlan
from dingscan.run.service import LiveScan, Replay, RunOutcome, RunService

__all__ = [
    "STATE_WAIT_SECONDS",
    "LiveScan",
    "OutputPlan",
    "Replay",
    "RunOutcome",
    "RunService",
    "StateAccess",
]
