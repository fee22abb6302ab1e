"""DT.APP.1 — every enabled third-party app is approved and its review is current."""

from collections.abc import Iterable

from dingscan.check import CheckMetadata, Outcome, RuleCheck, app_resource
from dingscan.findings import Resource, Severity
from dingscan.policy import Policy
from dingscan.snapshot import App, SectionName, Snapshot

ENABLED = 1  # microApp/allApps appStatus


class ThirdPartyAppsApproved(RuleCheck):
    metadata = CheckMetadata(
        control_id="DT.APP.1",
        title="Enabled third-party apps are approved and reviewed yearly",
        severity=Severity.HIGH,
        rationale=(
            "A third-party app (ISV) can be granted directory, message and file permissions, and "
            "DingTalk does not expose which: the organisation's own register, reviewed regularly, "
            "is the only record of what each app may read and who accepted it. Personal data sent "
            "to an unvetted vendor is a processor without a contract."
        ),
        remediation=(
            "Admin console > 工作台 > 应用管理: for each listed app, review its vendor and granted "
            "permissions, then add or refresh its entry in the approved_apps register (app_id, "
            "name, approved_scopes, approved_by, reviewed_on), or disable and remove the app."
        ),
        evidence="API /v1.0/microApp/allApps (appId != 0, appStatus 1) joined by appId with attestation register approved_apps",
    )
    requires = (SectionName.APPS, SectionName.ATTESTATIONS)
    pass_message = "no enabled third-party app is unapproved or overdue for review ({checked} checked)"
    fail_message = "{count} of {checked} enabled third-party apps are unapproved or overdue for review"

    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        apps = _third_party(snapshot)
        if apps and snapshot.attestations.get().approved_apps is None:
            return Outcome.manual(
                f"{len(apps)} enabled third-party apps ({', '.join(a.name for a in apps)}) but no "
                "approved_apps register in the attestation file: approval cannot be told from omission",
                apps=[{"app_id": a.app_id, "agent_id": a.agent_id, "name": a.name} for a in apps],
            )
        return super().evaluate(snapshot, policy)

    def examined(self, snapshot: Snapshot, policy: Policy) -> int:
        return len(_third_party(snapshot))

    def offenders(self, snapshot: Snapshot, policy: Policy) -> Iterable[Resource]:
        register = {entry.app_id: entry for entry in snapshot.attestations.get().approved_apps or []}
        allowed = policy.apps.review_days
        for app in _third_party(snapshot):
            entry = register.get(app.app_id)
            evidence: dict[str, object] = {}
            if entry is None:
                detail = "enabled but not in the approved_apps register"
            else:
                age = (snapshot.as_of.date() - entry.reviewed_on).days
                if age <= allowed:
                    continue
                detail = f"last reviewed on {entry.reviewed_on:%Y-%m-%d}, {age} days ago (allowed {allowed})"
                evidence |= {"reviewed_on": entry.reviewed_on.isoformat(), "approved_by": entry.approved_by}
            yield app_resource(app, detail, **evidence)


def _third_party(snapshot: Snapshot) -> list[App]:
    return [a for a in snapshot.apps.get() if a.app_id != 0 and a.app_status == ENABLED]
