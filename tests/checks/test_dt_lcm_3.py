from datetime import UTC, datetime

from dingscan.findings import Status
from dingscan.policy import Lifecycle, Policy
from factories import evaluate, failed, snapshot, user

LONG_AGO = datetime(2026, 9, 1, tzinfo=UTC)  # 85 days before AS_OF
RECENTLY = datetime(2026, 11, 10, tzinfo=UTC)  # 15 days before AS_OF


def test_activated_and_recently_hired_members_pass() -> None:
    users = [user("u1", active=True, hired_at=LONG_AGO), user("u2", active=False, hired_at=RECENTLY)]
    finding = evaluate("DT.LCM.3", snapshot(users=users))
    assert finding.status is Status.PASS
    assert finding.evidence["checked"] == 2


def test_unactivated_long_after_hire_fails() -> None:
    users = [user("u1", active=True), user("u2", active=False, hired_at=LONG_AGO)]
    finding = evaluate("DT.LCM.3", snapshot(users=users))
    assert finding.status is Status.FAIL
    assert [r.id for r in finding.resources] == ["u2"]
    assert finding.resources[0].evidence["days_since_hire"] == 85
    assert "2026-09-01" in finding.resources[0].detail


def test_threshold_comes_from_policy() -> None:
    users = [user("u2", active=False, hired_at=LONG_AGO)]
    policy = Policy(lifecycle=Lifecycle(never_activated_days=90))
    assert evaluate("DT.LCM.3", snapshot(users=users), policy).status is Status.PASS


def test_unactivated_without_hire_date_is_reported_but_not_convicted() -> None:
    users = [user("u1", active=False), user("u2", active=None, hired_at=LONG_AGO)]
    finding = evaluate("DT.LCM.3", snapshot(users=users))
    assert finding.status is Status.PASS
    assert finding.evidence["undated_never_activated"] == ["u1"]
    assert finding.message.endswith(
        "1 unactivated members have no hire date (hired_date) to judge how long they have waited: "
        "confirm them in the admin console"
    )


def test_users_not_collected_is_error() -> None:
    assert evaluate("DT.LCM.3", snapshot(users=failed())).status is Status.ERROR
