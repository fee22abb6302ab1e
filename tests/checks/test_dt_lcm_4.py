from dingscan.findings import Status
from dingscan.snapshot import Section
from factories import evaluate, failed, snapshot, user


def test_no_disabled_account_passes() -> None:
    users = [user("u1", disable_status=False), user("u2")]
    assert evaluate("DT.LCM.4", snapshot(users=users)).status is Status.PASS


def test_disabled_account_in_directory_fails() -> None:
    users = [
        user("u1", disable_status=False),
        user("u2", name="Ann", disable_status=True, exclusive_account=True),
    ]
    finding = evaluate("DT.LCM.4", snapshot(users=users))
    assert finding.status is Status.FAIL
    assert [(r.id, r.name) for r in finding.resources] == [("u2", "Ann")]


def test_partial_directory_cannot_pass() -> None:
    partial = Section.partial([user("u1")], "departments 12, 13 are outside the app's contact scope")
    assert evaluate("DT.LCM.4", snapshot(users=partial)).status is Status.ERROR


def test_users_not_collected_is_error() -> None:
    assert evaluate("DT.LCM.4", snapshot(users=failed())).status is Status.ERROR
