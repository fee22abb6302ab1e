"""The run service's order, and what each failure (or Ctrl-C) at each stage leaves behind.

Every test publishes the demo's judged document as a live scan would (findings, bundle,
reports, state, alerts), breaks one stage, then looks at what exists and at what the next run
(the same tenant a day later) does.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from dingscan.alerts.channels import NotifyTarget
from dingscan.alerts.config import SecretRef, WebhookTarget
from dingscan.alerts.send import Delivery, Notifier, Outcome
from dingscan.errors import DingscanError, Interrupted
from dingscan.evidence import read_bundle
from dingscan.exitcodes import ExitCode
from dingscan.findings import FindingsDocument
from dingscan.report.base import ReportFormat
from dingscan.resources import packaged_path
from dingscan.run import OutputPlan, RunOutcome, RunService, StateAccess
from dingscan.run.history import StateAccess as StateAccessClass
from dingscan.scan import PendingBundle
from dingscan.state import StateError
from dingscan.state.store import OwedAlert

DEMO = packaged_path("fixtures/demo")
HOOK = WebhookTarget(kind="webhook", url="https://soar.example/hook", secret=SecretRef(env="HOOK_SECRET"))
STAGES = ("findings", "bundle", "reports", "state", "alerts")


@dataclass
class FakeNotifier(Notifier):
    """Delivers nothing over the network: each alert gets the next of ``outcomes`` (then
    "delivered"); remembers the delivery ids it was asked to send."""

    outcomes: list[Outcome] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    before: Callable[[], None] = lambda: None

    async def deliver(self, owed: Sequence[OwedAlert], targets: Sequence[NotifyTarget]) -> list[Delivery]:
        self.before()
        results = []
        for alert in owed:
            self.sent.append(alert.delivery_id)
            outcome = self.outcomes.pop(0) if self.outcomes else "delivered"
            results.append(Delivery(alert, outcome, "webhook", "HTTP 503"))
        return results


@dataclass
class Run:
    """One tenant's publishing, as the service does it after a live scan."""

    tmp: Path
    day: int = 0
    notifier: FakeNotifier = field(default_factory=FakeNotifier)
    warnings: list[str] = field(default_factory=list)

    @property
    def document(self) -> FindingsDocument:
        demo = FindingsDocument.model_validate_json(read_bundle(DEMO).findings_json)
        scan = demo.scan.model_copy(
            update={"id": f"scan-{self.day}", "as_of": demo.scan.as_of + timedelta(days=self.day)}
        )
        return demo.model_copy(update={"scan": scan})

    @property
    def out(self) -> Path:
        return self.tmp / f"out-{self.day}"

    @property
    def bundle_path(self) -> Path:
        return self.tmp / f"bundle-{self.day}"

    def pending_bundle(self) -> PendingBundle:
        demo = read_bundle(DEMO)
        return PendingBundle(
            path=self.bundle_path,
            exchanges=demo.exchanges,
            recorded_at=self.document.scan.as_of,
            corp_id=demo.manifest.corp_id,
            org_name=demo.recorded.scan.tenant.org_name,
            inputs=demo.inputs,
            findings_json=demo.findings_json,
            cached_days=demo.cached_days,
            pseudonymised=False,
            sign=None,
        )

    @property
    def state(self) -> StateAccess:
        return StateAccess(self.tmp / "state", wait_seconds=1)

    def publish(self, *, clock: datetime | None = None) -> RunOutcome:
        document = self.document
        now = clock or document.scan.as_of + timedelta(minutes=1)
        service = RunService(notifier=self.notifier, warn=self.warnings.append, clock=lambda: now)
        outputs = OutputPlan(["json", "html"], output_dir=self.out)
        outputs.probe()
        publishing = service.publish(
            document,
            outputs,
            state=self.state,
            bundle=self.pending_bundle(),
            notify=[HOOK],
            tenant="acme",
        )
        return asyncio.run(publishing)

    def next_day(self) -> Run:
        return Run(self.tmp, self.day + 1, FakeNotifier())

    def written(self) -> dict[str, bool]:
        files = sorted(self.out.iterdir()) if self.out.exists() else []
        return {
            "findings": any(p.suffix == ".json" for p in files),
            "bundle": (self.bundle_path / "manifest.json").is_file(),
            "reports": any(p.suffix == ".html" for p in files),
        }

    def recorded(self) -> list[str]:
        with self.state.opened() as store:
            return [s.scan_id for s in store.scans("ding5f1c2e3d4b6a7980", 10)]

    def owed(self) -> list[str]:
        with self.state.opened() as store:
            return [a.scan_id for a in store.owed_alerts("ding5f1c2e3d4b6a7980")]


def break_stage(monkeypatch: pytest.MonkeyPatch, run: Run, stage: str, error: BaseException) -> None:
    """Make ``stage`` raise ``error`` (the disk full, the state locked, Ctrl-C)."""

    def fail(*_: Any, **__: Any) -> None:
        raise error

    if stage in ("findings", "reports"):
        machine = stage == "findings"
        real_write = ReportFormat.write

        def write(fmt: ReportFormat, document: FindingsDocument, path: Path) -> None:
            if fmt.for_people != machine:
                raise error
            real_write(fmt, document, path)

        monkeypatch.setattr(ReportFormat, "write", write)
    elif stage == "bundle":
        monkeypatch.setattr(PendingBundle, "write", fail)
    elif stage == "state":
        monkeypatch.setattr(StateAccessClass, "record", fail)
    else:
        run.notifier.before = lambda: fail()


def test_the_stages_run_in_order_and_the_state_moves_only_after_the_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    run = Run(tmp_path)
    real_write, real_bundle, real_record = ReportFormat.write, PendingBundle.write, StateAccessClass.record

    def write(fmt: ReportFormat, document: FindingsDocument, path: Path) -> None:
        events.append("reports" if fmt.for_people else "findings")
        real_write(fmt, document, path)

    def bundle(pending: PendingBundle) -> None:
        events.append("bundle")
        real_bundle(pending)

    def record(access: StateAccess, *args: Any, **kwargs: Any) -> str | None:
        events.append("state")
        return real_record(access, *args, **kwargs)

    monkeypatch.setattr(ReportFormat, "write", write)
    monkeypatch.setattr(PendingBundle, "write", bundle)
    monkeypatch.setattr(StateAccessClass, "record", record)
    run.notifier.before = lambda: events.append("alerts")
    outcome = run.publish()
    assert events == list(STAGES)
    assert outcome.exit_code == ExitCode.FAILURES and outcome.recorded
    assert len(outcome.written) == 3 and run.recorded() == ["scan-0"] and run.owed() == []
    assert run.notifier.sent and run.warnings == []


@pytest.mark.parametrize("stage", ["findings", "bundle", "reports", "state"])
def test_a_failed_stage_names_its_target_keeps_what_was_written_and_the_next_run_starts_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    run = Run(tmp_path)
    error = StateError("state here: locked") if stage == "state" else OSError(28, "No space left on device")
    with monkeypatch.context() as patch:
        break_stage(patch, run, stage, error)
        with pytest.raises(DingscanError) as failure:
            run.publish()
    before = STAGES[: STAGES.index(stage)]
    assert run.written() == {s: s in before for s in ("findings", "bundle", "reports")}
    message = str(failure.value)
    if stage in ("bundle", "reports"):
        assert "No space left on device" in message and "already written" in message
    if stage == "bundle":
        assert str(run.bundle_path) in message
    assert not (tmp_path / "state").exists() or run.recorded() == []  # never recorded without outputs
    assert run.notifier.sent == []
    # The next run sees nothing recorded: everything it finds is news, and it is alerted once.
    later = run.next_day()
    assert later.publish().recorded
    assert later.recorded() == ["scan-1"] and len(later.notifier.sent) == 1


@pytest.mark.parametrize("outcome", ["failed", "maybe"])
def test_an_undelivered_alert_is_owed_and_sent_by_the_next_run_exactly_once(
    tmp_path: Path, outcome: Outcome
) -> None:
    run = Run(tmp_path)
    run.notifier.outcomes = [outcome]
    first = run.publish()
    assert first.recorded and first.exit_code == ExitCode.FAILURES  # the findings stand
    assert run.owed() == ["scan-0"]
    said = "not delivered: HTTP 503" if outcome == "failed" else "maybe delivered (HTTP 503)"
    assert run.warnings == [
        f"webhook alert for acme {said}; the next run sends it again with delivery id {run.notifier.sent[0]}"
    ]
    later = run.next_day()
    later.publish()
    assert later.notifier.sent[0] == run.notifier.sent[0]  # the same id: the receiver de-duplicates
    assert len(later.notifier.sent) == 2 and run.owed() == []
    third = later.next_day()
    third.publish()
    assert run.notifier.sent[0] not in third.notifier.sent  # exactly once, then never again


@pytest.mark.parametrize("stage", STAGES)
def test_ctrl_c_at_any_stage_says_what_exists_and_deletes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    run = Run(tmp_path)
    with monkeypatch.context() as patch:
        break_stage(patch, run, stage, KeyboardInterrupt())
        with pytest.raises(Interrupted) as interrupted:
            run.publish()
    before = STAGES[: STAGES.index(stage)]
    assert run.written() == {s: s in before for s in ("findings", "bundle", "reports")}
    assert len(interrupted.value.written) == sum(run.written().values())
    assert interrupted.value.exit_code == ExitCode.INTERRUPTED
    recorded = stage == "alerts"
    assert interrupted.value.recorded is recorded
    assert run.recorded() == (["scan-0"] if recorded else [])
    later = run.next_day()
    later.publish()
    # Interrupted while alerting: the alert was owed, and the next run sends it with its own.
    assert len(later.notifier.sent) == (2 if recorded else 1)


def test_an_overlapping_run_that_finishes_second_keeps_its_outputs_and_says_why_not_recorded(
    tmp_path: Path,
) -> None:
    earlier, newer = Run(tmp_path, day=0), Run(tmp_path, day=1)
    assert newer.publish().recorded
    outcome = earlier.publish(clock=newer.document.scan.as_of)
    assert outcome.exit_code == ExitCode.NOT_RECORDED and not outcome.recorded
    assert outcome.not_recorded and "already has a scan as of" in outcome.not_recorded
    assert earlier.written() == {"findings": True, "bundle": True, "reports": True}
    assert earlier.recorded() == ["scan-1"] and earlier.notifier.sent == []  # the newer run alerted


def test_a_scan_dated_in_the_future_is_not_recorded_and_blocks_nothing(tmp_path: Path) -> None:
    ahead = Run(tmp_path, day=30)
    clock = Run(tmp_path).document.scan.as_of
    outcome = ahead.publish(clock=clock)
    assert outcome.exit_code == ExitCode.NOT_RECORDED
    assert outcome.not_recorded and "after this machine's clock" in outcome.not_recorded
    assert ahead.written()["findings"] and ahead.recorded() == []
    assert Run(tmp_path, day=1).publish().recorded  # the next real scan is recorded


def test_a_replayed_document_reads_the_state_and_never_writes_it(tmp_path: Path) -> None:
    run = Run(tmp_path)
    run.publish()
    later = run.next_day()
    outputs = OutputPlan(["json"], output_dir=later.out)
    reader = StateAccess(later.state.target, writes=False)
    outcome = asyncio.run(RunService(notifier=later.notifier).publish(later.document, outputs, state=reader))
    assert not outcome.recorded and later.recorded() == ["scan-0"] and later.notifier.sent == []
    findings = json.loads(outcome.written[0].read_text())
    assert any(f["changes"] for f in findings["findings"])  # drift against the state it read
