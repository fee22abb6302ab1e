"""DT.LCM.5 — every leaver's chats and files were handed over to someone."""

from collections.abc import Iterable

from dingscan.check import CheckMetadata, RuleCheck
from dingscan.findings import Resource, Severity
from dingscan.policy import Policy
from dingscan.snapshot import Dimission, SectionName, Snapshot

LEFT = 2  # dimissionInfos status: 1 pending, 2 left, 3 neither, 4 approval pending


class LeaverHandover(RuleCheck):
    metadata = CheckMetadata(
        control_id="DT.LCM.5",
        title="Leavers' data is handed over",
        severity=Severity.MEDIUM,
        rationale=(
            "Chats, files and customer conversations are company records. When a leaver's content "
            "is not handed over (交接) it becomes unreachable for the business, for audits and for "
            "data access requests, or lingers with no owner to delete it when it is due."
        ),
        remediation=(
            "智能人事 > 离职管理: for each listed leaver, assign a handover recipient (交接人) for "
            "their files, groups and customers; make the handover part of the last working day."
        ),
        evidence="API /v1.0/hrm/employees/dismissions + dimissionInfos (status, handoverUserId); 智能人事 only",
    )
    requires = (SectionName.DIMISSIONS,)
    pass_message = "all {checked} leavers' data was handed over"
    fail_message = "{count} of {checked} leavers left without a data handover"

    def examined(self, snapshot: Snapshot, policy: Policy) -> int:
        return len(_leavers(snapshot))

    def offenders(self, snapshot: Snapshot, policy: Policy) -> Iterable[Resource]:
        names = snapshot.users_by_id()
        for record in _leavers(snapshot):
            if record.handover_userid:
                continue
            day = record.last_work_day.date().isoformat() if record.last_work_day else None
            yield Resource(
                type="user",
                id=record.userid,
                name=names[record.userid].name if record.userid in names else None,
                detail=f"left (last working day {day or 'unknown'}) with no handover recipient",
                evidence={"last_work_day": day},
            )


def _leavers(snapshot: Snapshot) -> list[Dimission]:
    return [r for r in snapshot.dimissions.get() if r.status == LEFT]
