from datetime import UTC, datetime

from dingscan.findings import Status
from dingscan.snapshot import Dimission
from factories import evaluate, failed, not_applicable, snapshot, user

LAST_DAY = datetime(2026, 11, 2, tzinfo=UTC)


def record(userid: str, status: int = 2, handover: str | None = None) -> Dimission:
    return Dimission(userid=userid, last_work_day=LAST_DAY, status=status, handover_userid=handover)


def test_leavers_with_a_handover_pass() -> None:
    finding = evaluate("DT.LCM.5", snapshot(dimissions=[record("x1", handover="m1"), record("x2", status=1)]))
    assert finding.status is Status.PASS
    assert finding.evidence["checked"] == 1


def test_leaver_without_handover_fails() -> None:
    snap = snapshot(dimissions=[record("x1", handover="m1"), record("x2")], users=[user("x2", name="Kit")])
    finding = evaluate("DT.LCM.5", snap)
    assert finding.status is Status.FAIL
    assert [(r.id, r.name) for r in finding.resources] == [("x2", "Kit")]
    assert "2026-11-02" in finding.resources[0].detail


def test_pending_resignations_are_not_judged_yet() -> None:
    finding = evaluate("DT.LCM.5", snapshot(dimissions=[record("x1", status=1), record("x2", status=4)]))
    assert finding.status is Status.PASS
    assert finding.evidence["checked"] == 0


def test_without_the_hr_app_is_not_applicable() -> None:
    reason = "智能人事 not enabled (corpNotOpenHrm)"
    finding = evaluate("DT.LCM.5", snapshot(dimissions=not_applicable(reason)))
    assert finding.status is Status.NOT_APPLICABLE
    assert reason in finding.message


def test_dimissions_not_collected_is_error() -> None:
    assert evaluate("DT.LCM.5", snapshot(dimissions=failed())).status is Status.ERROR
