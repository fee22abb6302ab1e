from dingscan.findings import Status
from dingscan.policy import Policy
from factories import evaluate, failed, snapshot, user

POLICY = Policy(corporate_domains=["harbourfintech.hk"])


def test_all_addresses_on_corporate_domains_pass() -> None:
    users = [
        user("u1", email="a@harbourfintech.hk", org_email="a@mail.harbourfintech.hk"),
        user("u2"),  # no address at all: nothing off-domain
    ]
    finding = evaluate("DT.IDN.2", snapshot(users=users, user_emails=True), POLICY)
    assert finding.status is Status.PASS
    assert finding.evidence["checked"] == 2


def test_address_on_another_domain_fails_naming_the_member() -> None:
    users = [user("u1", email="a@harbourfintech.hk"), user("u2", name="Bob", org_email="bob@contractor.com")]
    finding = evaluate("DT.IDN.2", snapshot(users=users, user_emails=True), POLICY)
    assert finding.status is Status.FAIL
    assert [(r.id, r.name) for r in finding.resources] == [("u2", "Bob")]
    assert finding.resources[0].evidence["addresses"] == ["bob@contractor.com"]


def test_lookalike_domain_is_not_a_subdomain() -> None:
    users = [user("u1", email="a@evilharbourfintech.hk")]
    assert evaluate("DT.IDN.2", snapshot(users=users, user_emails=True), POLICY).status is Status.FAIL


def test_without_email_field_permission_is_error_not_pass() -> None:
    users = [user("u1")]
    reason = "app lacks the 邮箱等个人信息 field permission"
    finding = evaluate("DT.IDN.2", snapshot(users=users, user_emails=failed(reason)), POLICY)
    assert finding.status is Status.ERROR
    assert reason in finding.message


def test_no_corporate_domains_in_policy_is_manual() -> None:
    finding = evaluate("DT.IDN.2", snapshot(users=[user("u1", email="a@x.hk")], user_emails=True), Policy())
    assert finding.status is Status.MANUAL
