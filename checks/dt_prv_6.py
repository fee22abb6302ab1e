"""DT.PRV.6 — separation of duties: nobody holds both roles of a conflicting pair.

The pairs are role names from the policy (``conflicting_roles``, e.g. 人事 x 财务); a role name
matches in any role group. Without pairs the control does not apply. A configured role the
tenant does not have cannot be held, but is listed in the evidence: it is usually a typo.
"""

from collections import defaultdict
from collections.abc import Iterable

from dingscan.check import CheckMetadata, Outcome, RuleCheck, user_resource
from dingscan.findings import Resource, Severity
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, Snapshot


class SeparationOfDuties(RuleCheck):
    metadata = CheckMetadata(
        control_id="DT.PRV.6",
        title="Nobody holds two roles the policy declares incompatible",
        severity=Severity.MEDIUM,
        rationale=(
            "Roles such as HR and Finance are split so that no single person can both change and "
            "approve, or reach two sets of sensitive personal data; one member holding both undoes "
            "the split and the least-privilege design behind it."
        ),
        remediation=(
            "Admin console > 通讯录 > 角色管理: remove each listed member from one role of every pair "
            "named, or record an approved exception by changing conflicting_roles in the policy."
        ),
        evidence="API topapi/role/list + topapi/role/simplelist, against the policy's conflicting_roles",
    )
    requires = (SectionName.ROLES,)
    pass_message = "none of {checked} holders of the listed roles holds a conflicting pair"
    fail_message = "{count} of {checked} holders of the listed roles hold a conflicting pair"

    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        if not policy.conflicting_roles:
            return Outcome.not_applicable("no conflicting_roles pairs in the policy")
        outcome = super().evaluate(snapshot, policy)
        configured = {name for pair in policy.conflicting_roles for name in pair}
        not_found = sorted(configured - {r.name for r in snapshot.roles.get()})
        evidence = {"pairs": [list(p) for p in policy.conflicting_roles], "roles_not_found": not_found}
        note = f"roles not in the tenant: {', '.join(not_found)}" if not_found else None
        return outcome.extended(note, **evidence)

    def examined(self, snapshot: Snapshot, policy: Policy) -> int:
        return len(_held_roles(snapshot, policy))

    def offenders(self, snapshot: Snapshot, policy: Policy) -> Iterable[Resource]:
        users = snapshot.users_by_id()
        names = {m.userid: m.name for r in snapshot.roles.get() for m in r.members}
        for userid, held in _held_roles(snapshot, policy).items():
            pairs = [list(p) for p in policy.conflicting_roles if set(p) <= held]
            if not pairs:
                continue
            detail = "holds conflicting roles " + "; ".join(" and ".join(p) for p in pairs)
            if userid in users:
                yield user_resource(users[userid], detail, conflicting_pairs=pairs)
            else:
                yield Resource(
                    type="user",
                    id=userid,
                    name=names[userid] or None,
                    detail=detail,
                    evidence={"conflicting_pairs": pairs},
                )


def _held_roles(snapshot: Snapshot, policy: Policy) -> dict[str, set[str]]:
    """Who holds which of the roles named in the policy's pairs."""
    configured = {name for pair in policy.conflicting_roles for name in pair}
    held: dict[str, set[str]] = defaultdict(set)
    for role in snapshot.roles.get():
        if role.name in configured:
            for member in role.members:
                held[member.userid].add(role.name)
    return held
