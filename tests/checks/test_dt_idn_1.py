from typing import Any

import pytest

from dingscan.findings import Status
from dingscan.policy import Policy
from dingscan.snapshot import Section, User
from factories import attestations, attested, evaluate, failed, snapshot, user

SSO_YES = attestations(sso_enforced=attested(answer=True, identity_provider="Azure AD"))


def sso(userid: str, **fields: Any) -> User:
    return user(userid, active=True, exclusive_account=True, exclusive_account_type="sso", **fields)


def dingtalk_account(userid: str, **fields: Any) -> User:
    return user(userid, active=True, exclusive_account=True, exclusive_account_type="dingtalk", **fields)


def test_attested_and_every_active_member_on_sso_passes() -> None:
    finding = evaluate("DT.IDN.1", snapshot(attestations=SSO_YES, users=[sso("u1"), sso("u2")]))
    assert finding.status is Status.PASS
    assert "Azure AD" in finding.message
    assert finding.evidence["sso_coverage_percent"] == 100.0
    assert finding.evidence["attested_by"] == "Jane Chan, IT Security"


def test_without_enterprise_accounts_the_attestation_alone_passes_and_says_so() -> None:
    users = [user("u1", active=True), user("u2", active=True)]
    finding = evaluate("DT.IDN.1", snapshot(attestations=SSO_YES, users=users))
    assert finding.status is Status.PASS
    assert "not applicable" in finding.message
    assert finding.evidence["enterprise_accounts"] is False


def test_attested_but_members_off_sso_is_a_contradiction_showing_both() -> None:
    users = [sso("u1"), dingtalk_account("u2", name="Bob"), user("u3", active=True)]
    finding = evaluate("DT.IDN.1", snapshot(attestations=SSO_YES, users=users))
    assert finding.status is Status.FAIL
    assert "contradiction" in finding.message
    assert [(r.id, r.name) for r in finding.resources] == [("u2", "Bob"), ("u3", "Name u3")]
    assert finding.resources[0].evidence["exclusive_account_type"] == "dingtalk"
    assert "personal DingTalk" in finding.resources[1].detail
    assert finding.evidence["attested_by"] == "Jane Chan, IT Security"
    assert finding.evidence["sso_coverage_percent"] == 33.3


def test_break_glass_accounts_are_exempt_and_reported() -> None:
    users = [sso("u1"), dingtalk_account("bg1")]
    snap = snapshot(attestations=SSO_YES, users=users)
    assert evaluate("DT.IDN.1", snap).status is Status.FAIL
    finding = evaluate("DT.IDN.1", snap, Policy(break_glass_accounts=["bg1"]))
    assert finding.status is Status.PASS
    assert finding.evidence["exempted_break_glass"] == ["bg1"]
    assert finding.evidence["members_in_scope"] == 1


def test_inactive_and_unknown_activation_members_are_not_counted() -> None:
    users = [
        sso("u1"),
        dingtalk_account("u2").model_copy(update={"active": False}),
        dingtalk_account("u3").model_copy(update={"active": None}),
    ]
    assert evaluate("DT.IDN.1", snapshot(attestations=SSO_YES, users=users)).status is Status.PASS


def test_attested_not_enforced_fails() -> None:
    no = attestations(sso_enforced=attested(answer=False))
    finding = evaluate("DT.IDN.1", snapshot(attestations=no, users=[user("u1", active=True)]))
    assert finding.status is Status.FAIL
    assert "NOT enforced" in finding.message


def test_missing_attestation_is_manual_with_the_api_coverage() -> None:
    finding = evaluate("DT.IDN.1", snapshot(attestations=attestations(), users=[sso("u1")]))
    assert finding.status is Status.MANUAL
    assert finding.evidence["sso_coverage_percent"] == 100.0


def test_missing_attestation_still_fails_when_the_api_shows_non_sso_members() -> None:
    users = [sso("u1"), dingtalk_account("u2")]
    finding = evaluate("DT.IDN.1", snapshot(attestations=attestations(), users=users))
    assert finding.status is Status.FAIL
    assert [r.id for r in finding.resources] == ["u2"]
    assert "no 'sso_enforced' statement" in finding.evidence["attestation"]


def test_expired_attestation_is_manual_unless_the_api_convicts() -> None:
    stale = attestations(sso_enforced=attested(answer=True, attested_on="2025-01-10"))
    finding = evaluate("DT.IDN.1", snapshot(attestations=stale, users=[sso("u1")]))
    assert finding.status is Status.MANUAL
    assert "expired on 2026-01-10" in finding.message
    convicted = evaluate("DT.IDN.1", snapshot(attestations=stale, users=[sso("u1"), dingtalk_account("u2")]))
    assert convicted.status is Status.FAIL


def test_users_not_collected_is_error_even_when_attested() -> None:
    assert evaluate("DT.IDN.1", snapshot(attestations=SSO_YES, users=failed())).status is Status.ERROR


def test_attestations_not_loaded_is_error() -> None:
    finding = evaluate(
        "DT.IDN.1", snapshot(attestations=failed("no attestation file given"), users=[sso("u1")])
    )
    assert finding.status is Status.ERROR


def test_partial_users_cannot_pass_but_can_fail() -> None:
    partial = Section.partial([sso("u1")], "members of departments [7] are outside the app's contact scope")
    assert evaluate("DT.IDN.1", snapshot(attestations=SSO_YES, users=partial)).status is Status.ERROR
    convicting = Section.partial([dingtalk_account("u2")], "members of departments [7] are outside scope")
    assert evaluate("DT.IDN.1", snapshot(attestations=SSO_YES, users=convicting)).status is Status.FAIL


@pytest.mark.hostile
def test_members_seen_without_sso_fail_with_a_narrowed_scope_and_no_readable_attestations() -> None:
    """The FAIL rests on the members that were seen; what is missing is named, never a MANUAL."""
    narrowed = Section.partial(
        [sso("u1"), dingtalk_account("u2")], "members of departments [1] are outside the app's contact scope"
    )
    for statements in (attestations(), failed("attestations.yaml: cannot read: Permission denied")):
        finding = evaluate("DT.IDN.1", snapshot(attestations=statements, users=narrowed))
        assert finding.status is Status.FAIL, finding.message
        assert [r.id for r in finding.resources] == ["u2"]
        assert "outside the app's contact scope" in finding.message
