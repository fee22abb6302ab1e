"""The run service: every way dingscan runs (scan, replay, demo, report, each fleet tenant, watch)
goes through here, in one order, with one meaning for each failure.

The order, and what each failure leaves behind::

    probe     every output folder, the bundle folder, the state store (opened, schema checked,
              writable)                          -> a failure costs no API call
    scan      collect and judge (or replay a bundle, or read a findings file)
    history   read the tenant's history from the state: first-seen dates, changes
    findings  the findings document (machine formats), each file atomic
    bundle    the recorded bundle, one atomic folder
    reports   the formats people read
    state     record the scan (live scans only, and only now that its outputs exist)
    alerts    what is new, to every target

A stage that fails names its file or target and the outputs already complete
(:class:`~dingscan.errors.StageFailed`); Ctrl-C says the same (:class:`~dingscan.errors.Interrupted`).
Nothing is half-written, and nothing written is deleted. A scan that cannot join the history
(another run recorded a newer one, or its date is in the future) keeps its outputs and ends with
:attr:`~dingscan.exitcodes.ExitCode.NOT_RECORDED`. The service prints nothing: what a person
should read comes back in the :class:`RunOutcome`, or through the ``warn`` callback.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from dingscan.activity import ActivityDays
from dingscan.alerts.channels import NotifyTarget
from dingscan.alerts.outbox import owed_alerts
from dingscan.alerts.send import Delivery, Notifier
from dingscan.check import Check
from dingscan.collect import Progress
from dingscan.errors import DingscanError, Interrupted, OutputError, ScanTimedOut, StageFailed, UsageError
from dingscan.evidence import Bundle, Pseudonymiser
from dingscan.exitcodes import ExitCode, exit_code_for
from dingscan.findings import FindingsDocument, Severity
from dingscan.inputs import JudgementInputs
from dingscan.run.history import StateAccess
from dingscan.run.outputs import OutputPlan, findings_first, probe_folder, write_files
from dingscan.scan import PendingBundle, ScanResult, replay_bundle, scan_tenant
from dingscan.settings import Settings
from dingscan.state.store import NoCorpId

Warn = Callable[[str], None]
REPLAY_READS_STATE = (
    "a replay is not a new scan: the state is read (changes since its last scan), never written"
)


@dataclass(frozen=True)
class RunOutcome:
    """What one run (or one fleet tenant) produced."""

    document: FindingsDocument  # as published: with --state, annotated with the history
    exit_code: ExitCode
    written: tuple[Path, ...] = ()
    stdout: str | None = None  # the ``--output -`` report, for the caller to print
    recorded: bool = False
    not_recorded: str | None = None  # why the state does not hold this scan (None: recorded, or no state)
    deliveries: tuple[Delivery, ...] = ()  # what became of each alert sent in this run


@dataclass(frozen=True)
class LiveScan:
    """A live scan of one tenant, and where its results go."""

    settings: Settings
    inputs: JudgementInputs
    checks: Sequence[Check]
    outputs: OutputPlan = field(default_factory=OutputPlan)
    state: StateAccess | None = None
    record_to: Path | None = None
    pseudonymiser: Pseudonymiser | None = None
    sign: Callable[[bytes], bytes] | None = None
    progress: Progress | None = None
    fail_on: Severity = Severity.INFORMATIONAL
    #: Alert targets; None: the settings' ``notify``. The name alerts call the tenant by.
    notify: Sequence[NotifyTarget] | None = None
    tenant_name: str | None = None
    #: The network under the client (a fleet's shared ceiling; tests).
    transport: httpx.AsyncBaseTransport | None = None
    #: Whether the state supplies and keeps days' activity lists during the scan.
    activity: bool = True


@dataclass(frozen=True)
class Replay:
    """A recorded scan re-judged offline; the state, if given, is read and never written."""

    bundle: Bundle
    inputs: JudgementInputs
    checks: Sequence[Check]
    outputs: OutputPlan = field(default_factory=OutputPlan)
    state: StateAccess | None = None
    not_comparable: str | None = None
    fail_on: Severity = Severity.INFORMATIONAL


def _ignore(_: str) -> None:
    """The default ``warn``: a caller that prints nothing."""


@dataclass
class RunService:
    """Runs scans, replays and reports in the order of the module's docstring."""

    notifier: Notifier = field(default_factory=Notifier)
    warn: Warn = _ignore
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    # -- entry points -------------------------------------------------------------------------

    async def scan(self, run: LiveScan) -> RunOutcome:
        """Probe, scan the tenant, publish (outputs, bundle, state, alerts)."""
        self.probe(run.outputs, run.state, bundle=run.record_to)
        if run.state is not None and not run.settings.corp_id:
            raise NoCorpId()
        try:
            result = await self._collect(run)
        except KeyboardInterrupt:
            raise Interrupted() from None
        except TimeoutError:
            raise ScanTimedOut() from None
        notify = run.settings.notify if run.notify is None else run.notify
        tenant = run.tenant_name or result.document.scan.tenant.corp_id or "default"
        return await self.publish(
            result.document,
            run.outputs,
            state=run.state,
            bundle=result.bundle,
            fail_on=run.fail_on,
            notify=notify,
            tenant=tenant,
        )

    async def replay(self, run: Replay) -> RunOutcome:
        """Re-judge a bundle; drift against the state at most, never recorded in it."""
        state = (
            None
            if run.state is None
            else StateAccess(run.state.target, writes=False, wait_seconds=run.state.wait_seconds)
        )
        self.probe(run.outputs, state)
        if state is not None:
            self.warn(REPLAY_READS_STATE)
        try:
            result = await replay_bundle(
                run.bundle, inputs=run.inputs, checks=run.checks, not_comparable=run.not_comparable
            )
        except KeyboardInterrupt:
            raise Interrupted() from None
        return await self.publish(result.document, run.outputs, state=state, fail_on=run.fail_on)

    async def report(self, document: FindingsDocument, outputs: OutputPlan) -> RunOutcome:
        """Reports from findings already made: outputs only, no state, no alerts."""
        outputs.probe()
        return await self.publish(document, outputs)

    # -- stages, reusable (watch re-publishes a partial re-evaluation) -------------------------

    def probe(self, outputs: OutputPlan, state: StateAccess | None, *, bundle: Path | None = None) -> None:
        """Everything that can be tried before the first API call."""
        outputs.check()
        if bundle is not None:
            probe_bundle_folder(bundle, outputs)
        outputs.probe()
        if state is not None:
            state.probe()

    async def publish(
        self,
        document: FindingsDocument,
        outputs: OutputPlan,
        *,
        state: StateAccess | None = None,
        bundle: PendingBundle | None = None,
        fail_on: Severity = Severity.INFORMATIONAL,
        notify: Sequence[NotifyTarget] = (),
        tenant: str = "default",
    ) -> RunOutcome:
        """history -> findings -> bundle -> reports -> state -> alerts, for one judged document."""
        written: list[Path] = []
        recorded = False
        try:
            published = state.annotated(document) if state is not None else document
            stdout_format = outputs.stdout_format()
            stdout = outputs.render(published, stdout_format) if stdout_format else None
            findings, reports = findings_first(outputs.targets(published))
            write_files(outputs, published, findings, written)
            if bundle is not None:
                write_bundle(bundle, written)
            write_files(outputs, published, reports, written)
            not_recorded, deliveries = None, []
            owed = owed_alerts(notify, published.scan.tenant.corp_id or tenant, tenant, published)
            if state is not None and state.writes:
                not_recorded = await asyncio.to_thread(state.record, published, owed, now=self.clock())
                recorded = not_recorded is None
                deliveries = await self._deliver_owed(state, published, notify)
            elif owed:
                deliveries = await self.notifier.deliver(owed, notify)
            for delivery in deliveries:
                if warning := delivery.warning(tenant, kept=state is not None and not delivery.settled):
                    self.warn(warning)
        except KeyboardInterrupt:
            raise Interrupted(written, recorded=recorded) from None
        except DingscanError as exc:
            if not written:
                raise
            raise StageFailed(exc, written) from None
        code = ExitCode.NOT_RECORDED if not_recorded else exit_code_for(published, fail_on)
        return RunOutcome(
            document=published,
            exit_code=code,
            written=tuple(written),
            stdout=stdout,
            recorded=recorded,
            not_recorded=not_recorded,
            deliveries=tuple(deliveries),
        )

    async def _deliver_owed(
        self, state: StateAccess, document: FindingsDocument, notify: Sequence[NotifyTarget]
    ) -> list[Delivery]:
        """Every alert the tenant is owed, this scan's and those earlier runs could not deliver;
        what is settled leaves the outbox, the rest waits for the next run."""
        corp_id = document.scan.tenant.corp_id
        if corp_id is None:
            return []
        owed = await asyncio.to_thread(state.owed_alerts, corp_id)
        deliveries = await self.notifier.deliver(owed, notify) if owed else []
        await asyncio.to_thread(state.settle_alerts, [d.alert.delivery_id for d in deliveries if d.settled])
        return deliveries

    async def _collect(self, run: LiveScan) -> ScanResult:
        if run.state is None or not run.activity:
            return await self._scan_tenant(run, None)
        with run.state.opened() as store:
            # A backend without ActivityDays keeps no days: every scan fetches all of them.
            return await self._scan_tenant(run, store if isinstance(store, ActivityDays) else None)

    async def _scan_tenant(self, run: LiveScan, activity: ActivityDays | None) -> ScanResult:
        return await scan_tenant(
            run.settings,
            inputs=run.inputs,
            checks=run.checks,
            record_to=run.record_to,
            progress=run.progress,
            transport=run.transport,
            pseudonymiser=run.pseudonymiser,
            sign=run.sign,
            activity=activity,
        )


def probe_bundle_folder(record: Path, outputs: OutputPlan) -> None:
    """The bundle folder must be new (or empty) and creatable, and must not receive other files
    (the manifest pins what it holds, so a stray file breaks ``verify``)."""
    if record.exists() and (not record.is_dir() or any(record.iterdir())):
        raise UsageError(f"{record} already exists and is not empty; choose a new folder for the bundle")
    inside = outputs.output if outputs.output and not outputs.to_stdout else outputs.output_dir
    if inside is not None and inside.resolve().is_relative_to(record.resolve()):
        raise UsageError(f"{inside} is inside the bundle folder {record}; write reports elsewhere")
    probe_folder(record.parent)


def write_bundle(bundle: PendingBundle, written: list[Path]) -> None:
    """The bundle as one atomic folder; a failure names it, the findings already written stand."""
    try:
        bundle.write()
    except OSError as exc:
        raise OutputError(bundle.path, exc.strerror or str(exc)) from None
    written.append(bundle.path)
