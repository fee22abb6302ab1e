from datetime import UTC, datetime

from dingscan.findings import Status
from dingscan.snapshot import LeaveRecord, LeaveRecords
from factories import evaluate, failed, snapshot, user

LEFT = datetime(2026, 11, 5, tzinfo=UTC)


def leaver(userid: str, when: datetime = LEFT) -> LeaveRecord:
    return LeaveRecord(userid=userid, name=f"Name {userid}", leave_time=when, leave_reason="leave")


def test_leavers_gone_from_directory_pass() -> None:
    finding = evaluate("DT.LCM.1", snapshot(users=[user("u1")], leave_records=[leaver("gone")]))
    assert finding.status is Status.PASS
    assert finding.evidence["checked"] == 1


def test_leaver_still_in_directory_fails() -> None:
    finding = evaluate("DT.LCM.1", snapshot(users=[user("u1"), user("x9")], leave_records=[leaver("x9")]))
    assert finding.status is Status.FAIL
    assert [r.id for r in finding.resources] == ["x9"]
    assert "2026-11-05" in finding.resources[0].detail


def test_rehired_after_leaving_is_not_a_forgotten_account() -> None:
    rehired = user("x9", hired_at=datetime(2026, 11, 20, tzinfo=UTC))
    assert evaluate("DT.LCM.1", snapshot(users=[rehired], leave_records=[leaver("x9")])).status is Status.PASS


def test_leave_records_not_collected_is_error() -> None:
    assert evaluate("DT.LCM.1", snapshot(users=[user("u1")], leave_records=failed())).status is Status.ERROR


def test_the_window_in_the_verdict_is_the_one_the_section_recorded() -> None:
    records = LeaveRecords(since=datetime(2026, 5, 1, tzinfo=UTC), records=[leaver("x9")])
    finding = evaluate("DT.LCM.1", snapshot(users=[user("x9")], leave_records=records))
    assert finding.message == "1 of 1 leavers since 2026-05-01 are still in the directory"
