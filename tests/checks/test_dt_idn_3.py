from dingscan.findings import Status
from dingscan.policy import Policy
from factories import admin, evaluate, failed, snapshot, user


def test_corporate_addresses_pass() -> None:
    snap = snapshot(users=[user("u1", email="a@corp.hk")], user_emails=True, admins=[])
    assert evaluate("DT.IDN.3", snap).status is Status.PASS


def test_personal_webmail_fails_and_marks_administrators() -> None:
    users = [
        user("u1", email="chan@gmail.com"),
        user("u2", org_email="lee@QQ.com"),
        user("u3", email="ok@corp.hk"),
    ]
    snap = snapshot(users=users, user_emails=True, admins=[admin("u1", sys_level=1)])
    finding = evaluate("DT.IDN.3", snap)
    assert finding.status is Status.FAIL
    by_id = {r.id: r for r in finding.resources}
    assert set(by_id) == {"u1", "u2"}
    assert by_id["u1"].evidence["is_admin"] is True
    assert "administrator" in by_id["u1"].detail


def test_policy_can_add_local_webmail_domains() -> None:
    snap = snapshot(users=[user("u1", email="x@myisp.com.hk")], user_emails=True, admins=[])
    assert evaluate("DT.IDN.3", snap).status is Status.PASS
    extended = Policy(personal_webmail_domains=["myisp.com.hk"])
    assert evaluate("DT.IDN.3", snap, extended).status is Status.FAIL


def test_webmail_without_the_admin_list_still_fails_and_says_what_was_not_checked() -> None:
    reason = "app lacks permission qyapi_get_member for /topapi/user/listadmin"
    snap = snapshot(users=[user("u1", email="chan@gmail.com")], user_emails=True, admins=failed(reason))
    finding = evaluate("DT.IDN.3", snap)
    assert finding.status is Status.FAIL
    assert f"data incomplete: admins: {reason}" in finding.message
    assert finding.resources[0].evidence["is_admin"] is None
    assert finding.resources[0].detail.startswith("member (admin list not collected) uses")


def test_no_webmail_without_the_admin_list_is_error_not_pass() -> None:
    snap = snapshot(users=[user("u1", email="chan@corp.hk")], user_emails=True, admins=failed())
    finding = evaluate("DT.IDN.3", snap)
    assert finding.status is Status.ERROR
    assert "incomplete (admins: app lacks permission" in finding.message
