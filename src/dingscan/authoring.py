"""Everything a check pack needs, in one import::

    from dingscan.authoring import Check, CheckMetadata, Outcome, Policy, SectionName, Severity, Snapshot

A check reads the snapshot and the policy, and returns an :class:`Outcome`; the engine turns a
missing section into ERROR, so a check never repeats that. ``dingscan new-check DT.ABC.1``
writes a new control's file, its test and its rows in every framework file from this surface.
"""

from dingscan.attestations import (
    Attestation,
    ResellerStatement,
    RetentionStatement,
    SsoStatement,
    TemporaryGrant,
    TrainingRecord,
)
from dingscan.attested import AttestedCheck, RecurringTaskCheck, attestation_evidence, attested_by
from dingscan.check import (
    Check,
    CheckMetadata,
    Outcome,
    RuleCheck,
    admin_flag,
    admin_resource,
    app_resource,
    departure,
    has_enterprise_accounts,
    member_role,
    user_resource,
    without_sso,
)
from dingscan.findings import Resource, Severity, Status
from dingscan.policy import Policy, on_domains
from dingscan.snapshot import App, Dimission, SectionName, SectionStatus, SectionUnavailable, Snapshot, User

__all__ = [
    "App",
    "Attestation",
    "AttestedCheck",
    "Check",
    "CheckMetadata",
    "Dimission",
    "Outcome",
    "Policy",
    "RecurringTaskCheck",
    "ResellerStatement",
    "Resource",
    "RetentionStatement",
    "RuleCheck",
    "SectionName",
    "SectionStatus",
    "SectionUnavailable",
    "Severity",
    "Snapshot",
    "SsoStatement",
    "Status",
    "TemporaryGrant",
    "TrainingRecord",
    "User",
    "admin_flag",
    "admin_resource",
    "app_resource",
    "attestation_evidence",
    "attested_by",
    "departure",
    "has_enterprise_accounts",
    "member_role",
    "on_domains",
    "user_resource",
    "without_sso",
]
