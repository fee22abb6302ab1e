from datetime import UTC, date, datetime
from typing import Any

from dingscan.findings import Finding, Status
from dingscan.policy import Policy
from dingscan.snapshot import Admin, Dormancy, LeaveRecord, Section, User
from factories import admin, evaluate, failed, snapshot, user

CORPORATE = Policy(corporate_domains=["harbourfintech.hk"])
LEFT = datetime(2026, 9, 30, tzinfo=UTC)


def good(userid: str, **fields: Any) -> User:
    return user(userid, active=True, email=f"{userid}@harbourfintech.hk", **fields)


def leaver(userid: str) -> LeaveRecord:
    return LeaveRecord(userid=userid, name=f"Left {userid}", leave_time=LEFT, leave_reason="leave")


def scan(
    admins: list[Admin],
    users: list[User],
    leavers: list[LeaveRecord] | None = None,
    dormant: list[str] | None = None,
    policy: Policy = CORPORATE,
) -> Finding:
    window = Dormancy(
        first_day=date(2026, 10, 25), last_day=date(2026, 11, 23), dormant_userids=dormant or []
    )
    snap = snapshot(
        admins=admins, users=users, user_emails=True, leave_records=leavers or [], dormancy=window
    )
    return evaluate("DT.PRV.4", snap, policy)


def reasons(finding: Finding) -> dict[str, list[str]]:
    return {r.id: r.evidence["reasons"] for r in finding.resources}


def test_sound_admin_accounts_pass() -> None:
    finding = scan([admin("p1", 1), admin("s1")], [good("p1"), good("s1"), user("m1")])
    assert finding.status is Status.PASS
    assert finding.evidence["checked"] == 2
    assert finding.evidence["criteria"]["sso"] == "skipped: no enterprise accounts"


def test_every_reason_of_one_admin_is_listed_in_one_resource() -> None:
    bad = user("s1", name="Sam", active=False, email="sam@gmail.com")
    finding = scan([admin("s1")], [bad], leavers=[leaver("s1")], dormant=["s1"])
    assert finding.status is Status.FAIL
    (resource,) = finding.resources
    assert (resource.type, resource.id, resource.name) == ("admin", "s1", "Sam")
    assert resource.evidence["reasons"] == [
        "has not activated DingTalk",
        "address not on a corporate domain: sam@gmail.com",
        "left on 2026-09-30 (leave)",
        "no login from 2026-10-25 to 2026-11-23",
    ]


def test_admin_missing_from_the_directory_is_an_offender() -> None:
    finding = scan([admin("ghost", 1)], [good("u1")], leavers=[leaver("ghost")])
    assert finding.status is Status.FAIL
    assert finding.resources[0].name == "Left ghost"
    assert reasons(finding)["ghost"][0].startswith("not in the directory")


def test_admin_without_any_address_fails_only_when_domains_are_set() -> None:
    no_address = user("s1", active=True)
    assert reasons(scan([admin("s1")], [no_address])) == {"s1": ["no email address on a corporate domain"]}
    finding = scan([admin("s1")], [no_address], policy=Policy())
    assert finding.status is Status.PASS
    assert finding.evidence["criteria"]["corporate_domain"] == "skipped: no corporate_domains in the policy"


def test_sso_required_where_enterprise_accounts_exist_except_break_glass() -> None:
    users = [
        good("s1", exclusive_account=True, exclusive_account_type="sso"),
        good("s2", exclusive_account=True, exclusive_account_type="dingtalk"),
        good("bg"),
    ]
    admins = [admin("s1"), admin("s2"), admin("bg", 1)]
    assert set(reasons(scan(admins, users))) == {"s2", "bg"}
    exempt = Policy(corporate_domains=["harbourfintech.hk"], break_glass_accounts=["bg"])
    finding = scan(admins, users, policy=exempt)
    assert reasons(finding) == {"s2": ["signs in without SSO (account type: dingtalk)"]}


def test_rehired_admin_is_not_a_leaver() -> None:
    rehired = good("s1", hired_at=datetime(2026, 10, 15, tzinfo=UTC))
    assert scan([admin("s1")], [rehired], leavers=[leaver("s1")]).status is Status.PASS


def test_members_who_are_not_admins_are_not_judged() -> None:
    assert scan([admin("s1")], [good("s1"), user("m1", active=False)], dormant=["m1"]).status is Status.PASS


def test_dormancy_not_collected_is_error() -> None:
    snap = snapshot(
        admins=[admin("s1")], users=[good("s1")], user_emails=True, leave_records=[], dormancy=failed()
    )
    assert evaluate("DT.PRV.4", snap, CORPORATE).status is Status.ERROR


def test_email_permission_missing_is_error() -> None:
    window = Dormancy(first_day=date(2026, 10, 25), last_day=date(2026, 11, 23))
    snap = snapshot(
        admins=[admin("s1")], users=[good("s1")], user_emails=failed(), leave_records=[], dormancy=window
    )
    assert evaluate("DT.PRV.4", snap, CORPORATE).status is Status.ERROR


def test_absence_from_a_partial_directory_proves_nothing() -> None:
    window = Dormancy(first_day=date(2026, 10, 25), last_day=date(2026, 11, 23))
    partial = Section.partial([good("s1")], "members of departments [7] are outside the app's contact scope")
    snap = snapshot(
        admins=[admin("s1"), admin("s2")], users=partial, user_emails=True, leave_records=[], dormancy=window
    )
    finding = evaluate("DT.PRV.4", snap, CORPORATE)
    assert finding.status is Status.ERROR
    assert "incomplete" in finding.message


def test_without_email_fields_a_non_sso_admin_still_fails_and_no_address_is_presumed_missing() -> None:
    reason = "app lacks permission qyapi_base for /auth/scopes"
    window = Dormancy(first_day=date(2026, 10, 25), last_day=date(2026, 11, 23))
    users = [user("s1", active=True, exclusive_account=True, exclusive_account_type="dingtalk")]
    snap = snapshot(
        admins=[admin("s1")], users=users, user_emails=failed(reason), leave_records=[], dormancy=window
    )
    finding = evaluate("DT.PRV.4", snap, CORPORATE)
    assert finding.status is Status.FAIL
    assert reasons(finding) == {"s1": ["signs in without SSO (account type: dingtalk)"]}
    assert reason in finding.message
    assert finding.evidence["criteria"]["corporate_domain"].startswith("not checked")


def test_without_leave_records_and_dormancy_an_unactivated_admin_still_fails() -> None:
    snap = snapshot(
        admins=[admin("s1")], users=[user("s1", active=False, email="s1@harbourfintech.hk")], user_emails=True
    )
    finding = evaluate("DT.PRV.4", snap, CORPORATE)
    assert finding.status is Status.FAIL
    assert reasons(finding) == {"s1": ["has not activated DingTalk"]}
    assert "leave_records: not collected" in finding.message and "dormancy: not collected" in finding.message
