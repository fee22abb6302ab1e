"""DT.LCM.1 — nobody who left within the leave records' window (a year) is still in the directory."""

from collections.abc import Iterable

from dingscan.check import CheckMetadata, RuleCheck, departure, user_resource
from dingscan.findings import Resource, Severity
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, Snapshot

#: Most directory records carry no ``hired_date``: the leaver stays listed (someone must look),
#: and the reviewer learns which question the scan could not answer.
UNDATED = (
    "; no hire date (hired_date) in the directory, so whether they were re-hired after leaving could "
    "not be tested: confirm it"
)


class LeaversRemoved(RuleCheck):
    metadata = CheckMetadata(
        control_id="DT.LCM.1",
        title="Leavers are no longer in the directory",
        severity=Severity.CRITICAL,
        rationale=(
            "An account that outlives its owner's employment keeps access to chats, files and "
            "customer data with nobody accountable for it; it is the classic forgotten account."
        ),
        remediation=(
            "Admin console > 通讯录 > 成员管理: remove (离职) each listed member and hand over their "
            "data; automate removal from the HR system's leaver feed."
        ),
        evidence="API /v1.0/contact/empLeaveRecords (last 365 days) joined with topapi/v2/user/list",
    )
    requires = (SectionName.USERS, SectionName.LEAVE_RECORDS)
    pass_message = "none of {checked} leavers {window} is still in the directory"
    fail_message = "{count} of {checked} leavers {window} are still in the directory"

    def wording(self, snapshot: Snapshot, policy: Policy) -> dict[str, str]:
        return {"window": snapshot.leave_records.get().window}

    def examined(self, snapshot: Snapshot, policy: Policy) -> int:
        return len(snapshot.leave_records.get().latest())

    def offenders(self, snapshot: Snapshot, policy: Policy) -> Iterable[Resource]:
        members = {u.userid: u for u in snapshot.users.get()}
        for userid, record in snapshot.leave_records.get().latest().items():
            user = members.get(userid)
            if user is None or user.rejoined_after(record):
                continue
            yield user_resource(
                user,
                f"{departure(record)} but is still a member{'' if user.hired_at else UNDATED}",
                leave_time=record.leave_time.isoformat(),
                leave_reason=record.leave_reason,
                hired_at=user.hired_at.isoformat() if user.hired_at else None,
            )
