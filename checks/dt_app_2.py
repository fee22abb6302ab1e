"""DT.APP.2 — expired and disabled apps are removed."""

from collections.abc import Iterable

from dingscan.check import CheckMetadata, RuleCheck, app_resource
from dingscan.findings import Resource, Severity
from dingscan.policy import Policy
from dingscan.snapshot import SectionName, Snapshot

STALE = {0: "disabled", 3: "expired"}  # microApp/allApps appStatus; 1 = enabled


class StaleAppsRemoved(RuleCheck):
    metadata = CheckMetadata(
        control_id="DT.APP.2",
        title="Expired and disabled apps are cleaned up",
        severity=Severity.LOW,
        rationale=(
            "A disabled or expired app is out of use but not out of the tenant: its vendor "
            "relationship, data already shared with it and its permission grants remain, and "
            "re-enabling or renewing it restores access without a fresh review."
        ),
        remediation=(
            "Admin console > 工作台 > 应用管理: remove (停用并删除) each listed app, and ask the vendor "
            "of a third-party app to delete the organisation's data."
        ),
        evidence="API /v1.0/microApp/allApps (appStatus 0 disabled, 3 expired)",
    )
    requires = (SectionName.APPS,)
    pass_message = "none of {checked} apps is disabled or expired"
    fail_message = "{count} of {checked} apps are disabled or expired but still installed"

    def examined(self, snapshot: Snapshot, policy: Policy) -> int:
        return len(snapshot.apps.get())

    def offenders(self, snapshot: Snapshot, policy: Policy) -> Iterable[Resource]:
        for app in snapshot.apps.get():
            if app.app_status in STALE:
                yield app_resource(
                    app,
                    f"{STALE[app.app_status]} (appStatus {app.app_status}) but still installed",
                    app_status=app.app_status,
                )
