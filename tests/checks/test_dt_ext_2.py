from datetime import UTC, datetime
from typing import Any

from dingscan.findings import Status
from dingscan.snapshot import ExternalContact, LeaveRecord
from factories import evaluate, failed, snapshot

LEAVER = LeaveRecord(
    userid="u9", name="Ivan", leave_time=datetime(2026, 10, 1, tzinfo=UTC), leave_reason="leave"
)


def contact(userid: str, **fields: Any) -> ExternalContact:
    return ExternalContact(userid=userid, name=f"Contact {userid}", company_name="Acme Ltd", **fields)


def test_contained_contacts_pass() -> None:
    contacts = [
        contact("e1", follower_user_id="u1", share_dept_ids=[5]),
        contact("e2", share_user_ids=["u2"]),
    ]
    finding = evaluate("DT.EXT.2", snapshot(external_contacts=contacts, leave_records=[LEAVER]))
    assert finding.status is Status.PASS
    assert finding.evidence["checked"] == 2


def test_contact_shared_with_the_whole_organisation_fails() -> None:
    contacts = [contact("e1", share_dept_ids=[5, 1]), contact("e2", share_dept_ids=[5])]
    finding = evaluate("DT.EXT.2", snapshot(external_contacts=contacts, leave_records=[]))
    assert finding.status is Status.FAIL
    (resource,) = finding.resources
    assert (resource.type, resource.id, resource.name) == ("external_contact", "e1", "Contact e1")
    assert resource.evidence["share_dept_ids"] == [5, 1]


def test_contact_followed_by_a_leaver_is_flagged_with_both_reasons() -> None:
    contacts = [contact("e1", follower_user_id="u9", share_dept_ids=[1])]
    finding = evaluate("DT.EXT.2", snapshot(external_contacts=contacts, leave_records=[LEAVER]))
    assert finding.status is Status.FAIL
    assert finding.resources[0].detail == (
        "shared with the whole organisation (department 1); followed by Ivan (u9), who left on 2026-10-01 (leave)"
    )


def test_leave_records_not_collected_is_error() -> None:
    finding = evaluate("DT.EXT.2", snapshot(external_contacts=[contact("e1")], leave_records=failed()))
    assert finding.status is Status.ERROR


def test_contact_followed_by_a_leaver_alone_is_flagged() -> None:
    contacts = [
        contact("e1", follower_user_id="u9", share_user_ids=["u9"]),
        contact("e2", follower_user_id="u1"),
    ]
    finding = evaluate("DT.EXT.2", snapshot(external_contacts=contacts, leave_records=[LEAVER]))
    assert [r.id for r in finding.resources] == ["e1"]
    assert finding.resources[0].evidence["follower_user_id"] == "u9"


def test_external_contact_permission_missing_is_error_naming_it() -> None:
    reason = "app lacks permission qyapi_ext_read for /topapi/extcontact/list (error 60011)"
    finding = evaluate("DT.EXT.2", snapshot(external_contacts=failed(reason), leave_records=[]))
    assert finding.status is Status.ERROR
    assert "qyapi_ext_read" in finding.message
