"""DT.EXT.4 — no member mirrored from a partner organisation holds administrator rights.

Two signals convict an administrator: ``union_corp_id`` on the admin (``user/get``
``union_emp_ext``) and membership of a mirrored department (``department/get``: the
``from_union_org`` flag or a partner's ``union_dept_ext.corp_id``). Either alone is enough, and
the finding names the field that showed each link.

Unknown is never read as "not mirrored" on its own. An unset ``union_corp_id`` means "not
mirrored" because the collector reads it for every administrator and marks the admins section
partial when it cannot; a department whose ``from_union_org`` is None (detail unreadable) is
likewise only possible in a partial departments section. Either way the engine refuses a PASS
resting on it (ERROR), while the other signal can still convict (FAIL).
"""

from collections.abc import Iterable

from dingscan.check import CheckMetadata, RuleCheck, admin_resource
from dingscan.findings import Resource, Severity
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, Snapshot


class NoMirroredAdmins(RuleCheck):
    metadata = CheckMetadata(
        control_id="DT.EXT.4",
        title="No member mirrored from a partner organisation is an administrator",
        severity=Severity.HIGH,
        rationale=(
            "Members mirrored from a partner organisation are managed by that organisation: it "
            "decides who they are and when they leave. Administrator rights in their hands put the "
            "tenant under the control of a company outside its own offboarding and review."
        ),
        remediation=(
            "Admin console > 权限管理 > 管理员 / 子管理员: revoke administrator rights from each listed "
            "member; give partner staff access through scoped roles, or an own-organisation account."
        ),
        evidence=(
            "API topapi/user/listadmin + topapi/v2/user/get (union_emp_ext) + topapi/v2/user/list "
            "(dept_id_list) + topapi/v2/department/get (from_union_org, union_dept_ext)"
        ),
    )
    requires = (SectionName.ADMINS, SectionName.ADMIN_DETAILS, SectionName.USERS, SectionName.DEPARTMENTS)
    pass_message = "none of {checked} administrators is mirrored from a partner organisation"
    fail_message = "{count} of {checked} administrators are mirrored from a partner organisation"

    def examined(self, snapshot: Snapshot, policy: Policy) -> int:
        return len(snapshot.admins.get())

    def offenders(self, snapshot: Snapshot, policy: Policy) -> Iterable[Resource]:
        users = {u.userid: u for u in snapshot.users.get()}
        mirrored = {d.dept_id: d for d in snapshot.departments.get() if d.from_union_org is True}
        for admin in snapshot.admins.get():
            user = users.get(admin.userid)
            departments = [mirrored[d] for d in (user.dept_ids if user else []) if d in mirrored]
            shown = _shown_by("user/get", admin.union_signal)
            reasons = (
                [f"mirrored from partner org {admin.union_corp_id}{shown}"] if admin.union_corp_id else []
            )
            reasons += [
                f"member of department {d.name} ({d.dept_id}), mirrored from partner org "
                f"{d.union_corp_id or '(corp_id not given)'}{_shown_by('department/get', d.union_signal)}"
                for d in departments
            ]
            if reasons:
                yield admin_resource(
                    admin,
                    users,
                    "; ".join(reasons),
                    union_corp_id=admin.union_corp_id,
                    union_signal=admin.union_signal,
                    mirrored_dept_ids=[d.dept_id for d in departments],
                    mirrored_dept_signals={str(d.dept_id): d.union_signal for d in departments},
                )


def _shown_by(endpoint: str, signal: str | None) -> str:
    """Which answer field showed the partner link, for a reviewer to look up."""
    return f" (shown by {endpoint} {signal})" if signal else ""
