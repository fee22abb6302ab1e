"""DT.EXT.2 — external contacts are not shared with everyone, nor left with leavers.

A contact shared with department 1 is visible to the whole organisation. A contact whose
follower (负责人) appears in the leave records (of the window the section records: a year) has
nobody responsible for it.
Leave records alone cannot tell a re-hired follower from a leaver (the users list is not read),
so a re-hired follower is flagged too: reassigning the contact settles it either way.
"""

from collections.abc import Iterable

from dingscan.check import CheckMetadata, RuleCheck, departure
from dingscan.findings import Resource, Severity
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, Snapshot

WHOLE_ORG = 1


class ExternalContactsContained(RuleCheck):
    metadata = CheckMetadata(
        control_id="DT.EXT.2",
        title="External contacts are not shared org-wide or followed by leavers",
        severity=Severity.MEDIUM,
        rationale=(
            "External contacts are customers' and suppliers' personal data: shared with the whole "
            "organisation they reach far more staff than need them, and a contact whose follower "
            "has left is personal data nobody is accountable for."
        ),
        remediation=(
            "Admin console > 通讯录 > 外部联系人: narrow each listed contact's sharing (共享范围) to the "
            "people or departments who deal with it, and reassign contacts of leavers to a current "
            "member."
        ),
        evidence="API topapi/extcontact/list (share_dept_ids, follower_user_id) + /v1.0/contact/empLeaveRecords",
    )
    requires = (SectionName.EXTERNAL_CONTACTS, SectionName.LEAVE_RECORDS)
    pass_message = "none of {checked} external contacts is shared org-wide or followed by a leaver"
    fail_message = "{count} of {checked} external contacts are shared org-wide or followed by a leaver"

    def examined(self, snapshot: Snapshot, policy: Policy) -> int:
        return len(snapshot.external_contacts.get())

    def offenders(self, snapshot: Snapshot, policy: Policy) -> Iterable[Resource]:
        left = snapshot.leave_records.get().latest()
        for contact in snapshot.external_contacts.get():
            reasons = []
            if WHOLE_ORG in contact.share_dept_ids:
                reasons.append("shared with the whole organisation (department 1)")
            if contact.follower_user_id and (record := left.get(contact.follower_user_id)):
                reasons.append(
                    f"followed by {record.name or record.userid} ({record.userid}), who {departure(record)}"
                )
            if reasons:
                yield Resource(
                    type="external_contact",
                    id=contact.userid,
                    name=contact.name or None,
                    detail="; ".join(reasons),
                    evidence={
                        "company_name": contact.company_name,
                        "follower_user_id": contact.follower_user_id,
                        "share_dept_ids": contact.share_dept_ids,
                    },
                )
