"""Findings and the versioned findings document: the one model every output format is built from.

``SCHEMA_VERSION`` follows semantic versioning: a SOC pipeline that ingests ``1.x`` keeps working
when fields are added (minor); renaming or removing a field is a major change. ``dingscan schema``
prints the JSON Schema; ``docs/findings.schema.json`` is that output, kept current by a test.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.3.0"  # 1.2: scan.replay (the replay verdict); 1.3: accepted risks and history


class Status(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    MANUAL = "MANUAL"  # needs human evidence: attestation missing or stale
    ERROR = "ERROR"  # data could not be collected: permission, quota, API error
    NOT_APPLICABLE = "NOT_APPLICABLE"  # the tenant's edition or configuration makes it moot
    # Every offender is covered by an unexpired exception (an accepted risk with owner and expiry).
    # Not "MUTED" or "SUPPRESSED": nothing is hidden, the offenders are all still listed; a named
    # person accepted them until a date. OCSF consumers map it to status "Suppressed".
    ACCEPTED = "ACCEPTED"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFORMATIONAL = "informational"

    @property
    def rank(self) -> int:
        """0 for critical, growing as severity falls: the order a reader should see them in."""
        return list(Severity).index(self)

    def at_least(self, other: Severity) -> bool:
        return self.rank <= other.rank


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


ResourceType = Literal["user", "admin", "department", "role", "external_contact", "partner_org", "app", "org"]


class ResourceKey(_Frozen):
    """An offender's identity across scans (with the control and tenant): its type and DingTalk id."""

    type: ResourceType
    id: str
    name: str | None = None

    @property
    def identity(self) -> tuple[str, str]:
        return self.type, self.id


class Acceptance(_Frozen):
    """Who accepted an offender as a risk, why, and until when (from the exceptions file)."""

    exception: str = Field(description="id of the exceptions-file entry")
    owner: str
    approved_by: str
    reason: str
    reference: str
    expires_on: date


class Resource(_Frozen):
    """One DingTalk object a finding is about, named by its DingTalk id, with what convicts it."""

    type: ResourceType
    id: str
    name: str | None = None
    detail: str
    evidence: dict[str, Any] = Field(default_factory=dict)
    accepted: Acceptance | None = Field(
        default=None, description="The unexpired exception that covers this offender, if any"
    )
    first_seen: datetime | None = Field(
        default=None,
        description="With a state directory: as_of of the first scan that saw this offender for this control",
    )

    @property
    def key(self) -> ResourceKey:
        return ResourceKey(type=self.type, id=self.id, name=self.name)


class Changes(_Frozen):
    """A control against the previous scan of the same tenant that evaluated it."""

    since: datetime = Field(description="as_of of the previous scan")
    previous_status: Status | None = Field(description="None: the control was not in the previous scan")
    new: list[ResourceKey] = Field(
        default_factory=list, description="offenders the previous scan did not have"
    )
    resolved: list[ResourceKey] = Field(
        default_factory=list, description="offenders of the previous scan that are gone (control evaluated)"
    )
    open: list[ResourceKey] = Field(default_factory=list, description="offenders in both scans")


class Finding(_Frozen):
    uid: str = Field(description="Stable across scans of the same tenant: sha256(corp_id, control_id)")
    control_id: str
    title: str
    severity: Severity
    status: Status
    message: str
    evidence_source: str
    resources: list[Resource] = Field(default_factory=list)
    evidence: dict[str, Any] = Field(default_factory=dict)
    remediation: str
    references: dict[str, list[str]] = Field(
        default_factory=dict,
        description="The control's references in each framework, by framework id (pdpo, iso27001, "
        "cis_v8, pipl, ...; frameworks/*.yaml); an empty list: not mapped in that framework",
    )
    changes: Changes | None = Field(
        default=None, description="With a state directory and a previous scan of this tenant: what changed"
    )


class Tool(_Frozen):
    name: str = "dingscan"
    version: str


class Tenant(_Frozen):
    corp_id: str | None
    org_name: str | None


class ApiUsage(_Frozen):
    sent: int = Field(description="HTTP requests sent, retries included")
    counted: int = Field(description="Calls that count against the tenant's monthly quota")
    retries: int
    throttled: int = Field(
        0, description="Throttle answers (90018 and kin); those calls were paced down and retried"
    )


class InputDigest(_Frozen):
    source: str = Field(description="file path, or 'built-in defaults'")
    sha256: str


class CheckPack(_Frozen):
    """Where loaded checks came from: the built-in pack, an installed pack or a local folder."""

    name: str = Field(
        description="'built-in', an installed pack's entry-point name, or a --checks-dir folder"
    )
    version: str | None = Field(
        default=None, description="dingscan's or the installed distribution's version"
    )
    sha256: str | None = Field(default=None, description="SHA-256 over a folder's check files")


class ReplayVerdict(_Frozen):
    """Whether a replay reproduced the recorded scan: what an auditor's script checks."""

    result: Literal["identical", "different", "not_compared"]
    differing_controls: list[str] = Field(
        default_factory=list, description="Controls whose replayed finding differs from the recorded one"
    )
    reason: str | None = Field(default=None, description="Why the findings were not compared")

    def describe(self) -> str:
        if self.result == "identical":
            return "findings identical to the recorded scan"
        if self.result == "different":
            return f"findings DIFFERENT from the recorded scan ({', '.join(self.differing_controls)})"
        return f"findings not compared with the recorded scan: {self.reason}"


class ScanInfo(_Frozen):
    id: str
    mode: Literal["live", "replay"]
    started_at: datetime
    finished_at: datetime
    as_of: datetime = Field(
        description="The moment checks judged time against (the recording time in replay)"
    )
    tenant: Tenant
    api_usage: ApiUsage | None = None
    bundle: str | None = Field(default=None, description="Fixture bundle recorded or replayed")
    bundle_integrity: str | None = Field(
        default=None,
        description="Replay: what verifying the bundle established ('UNVERIFIED: ...' if forced)",
    )
    inputs: dict[str, InputDigest] = Field(
        default_factory=dict, description="The policy and attestation files judged against, with SHA-256"
    )
    check_packs: list[CheckPack] = Field(default_factory=list, description="The check packs loaded")
    replay: ReplayVerdict | None = Field(
        default=None, description="Replay: whether the findings reproduce the recorded scan's"
    )


ExceptionState = Literal["applied", "expired", "stale", "not_applied"]


class ExceptionOutcome(_Frozen):
    """What one entry of the exceptions file did in this scan."""

    id: str
    control_id: str
    resources: list[str] | None = Field(description="Resource ids covered; None: the whole control")
    owner: str
    approved_by: str
    reason: str
    reference: str
    expires_on: date
    state: ExceptionState = Field(
        description="applied: covers offenders; expired: past expires_on, not applied; stale: matches no "
        "offender; not_applied: the control is ERROR, MANUAL or NOT_APPLICABLE (never hidden)"
    )
    detail: str


class Coverage(_Frozen):
    status: str
    reason: str | None = None
    records: int | None = None


class FindingsDocument(_Frozen):
    schema_version: str = SCHEMA_VERSION
    lang: str = Field(
        default="en",
        description="Language (BCP 47) of the human-readable texts: titles, remediation, messages. "
        "Codes, field names and the JSON/OCSF outputs' texts are English.",
    )
    tool: Tool
    scan: ScanInfo
    coverage: dict[str, Coverage]
    summary: dict[Status, int]
    findings: list[Finding]
    exceptions: list[ExceptionOutcome] = Field(
        default_factory=list, description="Every entry of the exceptions file (--exceptions) and its effect"
    )

    @staticmethod
    def summarise(findings: list[Finding]) -> dict[Status, int]:
        return {status: sum(f.status is status for f in findings) for status in Status}
