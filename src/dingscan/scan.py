"""The pipeline, end to end: client -> collector -> snapshot -> checks -> findings document.

A live scan and a replay differ only in the transport under the client (network, or a bundle)
and in the moment checks judge time against (now, or the recording time); every layer above
runs the same code, which is what makes a replay's findings trustworthy.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TypedDict

import httpx
import structlog
from pydantic import SecretStr

from dingscan.__version__ import __version__
from dingscan.activity import ActivityDays, DayCache, DayList
from dingscan.attestations import Attestations
from dingscan.check import Check
from dingscan.client import DingTalkClient, HostMap, RetryPolicy
from dingscan.client.bounded import BoundedTransport
from dingscan.client.client import pooled_transport
from dingscan.collect import Progress, collect
from dingscan.collect.lifecycle import dormancy_window
from dingscan.engine import run_checks
from dingscan.evidence import Bundle, Pseudonymiser, RecordingTransport, ReplayTransport, write_bundle
from dingscan.evidence.exchange import Exchange
from dingscan.findings import (
    ApiUsage,
    Coverage,
    ExceptionOutcome,
    FindingsDocument,
    ReplayVerdict,
    ScanInfo,
    Tenant,
    Tool,
)
from dingscan.inputs import InputFile, JudgementInputs
from dingscan.redaction import SECRETS
from dingscan.risks import apply_exceptions
from dingscan.settings import Settings
from dingscan.snapshot import Section, SectionName, SectionStatus, Snapshot

log = structlog.get_logger(__name__)
TIME_BUDGET_SHARE = 0.9
#: A replay waits for nothing; its budget only lets recorded throttle answers be retried as
#: often as the live scan retried them (beyond the attempts other transient errors get).
REPLAY_TIME_BUDGET = 600.0

#: Resource types that are people: their ids are pseudonymised in a pseudonymised bundle.
PEOPLE = frozenset({"user", "admin", "external_contact"})


@dataclass(frozen=True)
class PendingBundle:
    """A recorded scan's bundle, ready to be written: the run service writes it after the
    findings file, so a full disk for the bundle never costs the findings."""

    path: Path
    exchanges: list[Exchange]
    recorded_at: datetime
    corp_id: str | None
    org_name: str | None
    inputs: dict[str, InputFile]
    findings_json: str
    cached_days: list[DayList]
    pseudonymised: bool
    sign: Callable[[bytes], bytes] | None

    def write(self) -> None:
        write_bundle(
            self.path,
            exchanges=self.exchanges,
            recorded_at=self.recorded_at,
            corp_id=self.corp_id,
            org_name=self.org_name,
            inputs=self.inputs,
            findings_json=self.findings_json,
            cached_days=self.cached_days,
            pseudonymised=self.pseudonymised,
            sign=self.sign,
        )


@dataclass(frozen=True)
class ScanResult:
    document: FindingsDocument
    snapshot: Snapshot
    #: With ``record_to``, from :func:`scan_tenant`: the bundle still to write.
    bundle: PendingBundle | None = None


async def scan_live(
    settings: Settings,
    *,
    inputs: JudgementInputs,
    checks: Sequence[Check],
    record_to: Path | None = None,
    progress: Progress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    retry: RetryPolicy | None = None,
    pseudonymiser: Pseudonymiser | None = None,
    sign: Callable[[bytes], bytes] | None = None,
    activity: ActivityDays | None = None,
) -> ScanResult:
    """Scan the tenant the settings point at (:func:`scan_tenant`), writing its bundle at once."""
    result = await scan_tenant(
        settings,
        inputs=inputs,
        checks=checks,
        record_to=record_to,
        progress=progress,
        transport=transport,
        retry=retry,
        pseudonymiser=pseudonymiser,
        sign=sign,
        activity=activity,
    )
    if result.bundle is not None:
        result.bundle.write()
    return replace(result, bundle=None)


async def scan_tenant(
    settings: Settings,
    *,
    inputs: JudgementInputs,
    checks: Sequence[Check],
    record_to: Path | None = None,
    progress: Progress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    retry: RetryPolicy | None = None,
    pseudonymiser: Pseudonymiser | None = None,
    sign: Callable[[bytes], bytes] | None = None,
    activity: ActivityDays | None = None,
) -> ScanResult:
    """Scan the tenant the settings point at; with ``record_to``, the result carries the fixture
    bundle to write (pseudonymised and/or signed when asked).

    ``activity`` (the state, when it keeps days' activity lists) supplies the days of the
    inactivity window already held for this tenant and keeps the days fetched; a bundle records
    the held days used, so its replay needs no state. ``transport`` and ``retry`` replace the
    network and the back-off (tests, embedding).
    """
    app_key, app_secret = settings.credentials()
    hosts = HostMap(settings.oapi_url, settings.api_url)
    # Bounded directly above the network, so a recording holds exactly what the client read.
    network = BoundedTransport(transport or pooled_transport(), hosts, deadline=settings.timeout)
    recorder = RecordingTransport(network, hosts) if record_to else None
    started = datetime.now(UTC)
    plan = _collection_plan(inputs, checks)
    days = _held_days(activity, settings.corp_id, started, plan["dormant_days"])
    client = DingTalkClient(
        app_key,
        app_secret,
        hosts=hosts,
        calls_per_second=settings.qps,
        timeout=settings.timeout,
        retry=retry or RetryPolicy(attempts=settings.retry_attempts),
        counted_budget=settings.max_counted_calls,
        # Calls stop a little before the scan's hard timeout, so it ends with findings, not nothing.
        time_budget=settings.scan_timeout * TIME_BUDGET_SHARE,
        transport=recorder or network,
    )
    async with client, asyncio.timeout(settings.scan_timeout):
        snapshot = await collect(
            client,
            as_of=started,
            corp_id=settings.corp_id,
            progress=progress,
            activity_days=days,
            **plan,
        )
    if activity is not None and days is not None and settings.corp_id:
        activity.store_activity_days(settings.corp_id, days.fetched, keep_from=dormancy_window(started)[0])
    usage = _usage(client)
    result = evaluate(snapshot, inputs, checks, "live", started, usage, bundle=record_to)
    if record_to is not None and recorder is not None:
        exchanges, recorded = recorder.exchanges, result.document
        cached = days.used if days is not None else []
        if pseudonymiser is not None:
            # The bundle's own findings must name nobody either: judge the pseudonymised answers
            # against the pseudonymised inputs (the same people under the same pseudonyms).
            exchanges = [pseudonymiser.exchange(e) for e in exchanges]
            cached = [pseudonymiser.day_list(d) for d in cached]
            things = frozenset(
                r.id for f in result.document.findings for r in f.resources if r.type not in PEOPLE
            )
            inputs = pseudonymiser.inputs(inputs, things)
            replayed = await _replay(
                exchanges, cached, started, settings.corp_id, inputs, checks, record_to, ""
            )
            recorded = replayed.document
        pending = PendingBundle(
            path=record_to,
            exchanges=exchanges,
            recorded_at=started,
            corp_id=settings.corp_id,
            org_name=result.document.scan.tenant.org_name,
            inputs=inputs.files(),
            findings_json=recorded.model_dump_json(indent=2),
            cached_days=list(cached),
            pseudonymised=pseudonymiser is not None,
            sign=sign,
        )
        return replace(result, bundle=pending)
    return result


async def replay_bundle(
    bundle: Bundle,
    *,
    inputs: JudgementInputs,
    checks: Sequence[Check],
    not_comparable: str | None = None,
) -> ScanResult:
    """Re-run collection and evaluation from a bundle, judged as of the recording time.

    The findings document carries the verdict of comparing them with the recorded ones, or
    ``not_comparable`` (why a comparison would mean nothing: other inputs, other checks).
    """
    manifest = bundle.manifest
    result = await _replay(
        bundle.exchanges,
        bundle.cached_days,
        manifest.recorded_at,
        manifest.corp_id,
        inputs,
        checks,
        bundle.path,
        bundle.integrity,
    )
    verdict = (
        ReplayVerdict(result="not_compared", reason=not_comparable)
        if not_comparable
        else compare_with_recording(bundle, result.document)
    )
    scan = result.document.scan.model_copy(update={"replay": verdict})
    return replace(result, document=result.document.model_copy(update={"scan": scan}))


def _held_days(
    activity: ActivityDays | None, corp_id: str | None, as_of: datetime, dormant_days: int
) -> DayCache | None:
    """The days of the window the state holds for this tenant (None: no state, or no corp_id to
    key them by, so nothing is taken nor kept)."""
    if activity is None or not corp_id:
        return None
    return DayCache.of(activity.activity_days(corp_id, *dormancy_window(as_of, dormant_days)))


async def _replay(
    exchanges: list[Exchange],
    cached_days: Sequence[DayList],
    as_of: datetime,
    corp_id: str | None,
    inputs: JudgementInputs,
    checks: Sequence[Check],
    bundle_path: Path,
    integrity: str,
) -> ScanResult:
    hosts = HostMap()
    client = DingTalkClient(
        "replay",
        SecretStr("replay-needs-no-secret"),
        hosts=hosts,
        calls_per_second=None,
        transport=ReplayTransport(exchanges, hosts),
        time_budget=REPLAY_TIME_BUDGET,
        sleep=_no_wait,
    )
    started = datetime.now(UTC)
    async with client:
        snapshot = await collect(
            client,
            as_of=as_of,
            corp_id=corp_id,
            activity_days=DayCache.of(cached_days) if cached_days else None,
            **_collection_plan(inputs, checks),
        )
    usage = _usage(client)
    return evaluate(
        snapshot, inputs, checks, "replay", started, usage, bundle=bundle_path, integrity=integrity or None
    )


class _CollectionPlan(TypedDict):
    dormant_days: int
    needed: frozenset[SectionName]


def _collection_plan(inputs: JudgementInputs, checks: Sequence[Check]) -> _CollectionPlan:
    """What the policy and the loaded checks ask of collection; a replay asks the same."""
    return _CollectionPlan(
        dormant_days=inputs.policy.lifecycle.dormant_days,
        needed=frozenset(section for check in checks for section in check.requires),
    )


def _usage(client: DingTalkClient) -> ApiUsage:
    stats = client.stats
    return ApiUsage(sent=stats.sent, counted=stats.counted, retries=stats.retries, throttled=stats.throttled)


async def _no_wait(_: float) -> None:
    """Replay serves recorded answers: a retry need not wait for DingTalk to recover."""


def evaluate(
    snapshot: Snapshot,
    inputs: JudgementInputs,
    checks: Sequence[Check],
    mode: str,
    started: datetime,
    usage: ApiUsage,
    *,
    bundle: Path | None,
    integrity: str | None = None,
) -> ScanResult:
    """Judge ``snapshot`` with the checks: the findings document of a scan, a replay, or (a
    watcher's) re-evaluation of a snapshot some of whose sections were collected again."""
    snapshot = snapshot.model_copy(update={"attestations": _attestations_section(inputs)})
    findings = run_checks(checks, snapshot, inputs.policy)
    exceptions: list[ExceptionOutcome] = []
    if inputs.exceptions is not None:
        findings, exceptions = apply_exceptions(findings, inputs.exceptions, snapshot.as_of.date())
    org = snapshot.org.data
    document = FindingsDocument(
        tool=Tool(version=__version__),
        scan=ScanInfo(
            id=str(uuid.uuid4()),
            mode="live" if mode == "live" else "replay",
            started_at=started,
            finished_at=datetime.now(UTC),
            as_of=snapshot.as_of,
            tenant=Tenant(corp_id=snapshot.corp_id, org_name=org.org_name if org else None),
            api_usage=usage,
            bundle=str(bundle) if bundle else None,
            bundle_integrity=integrity,
            inputs=inputs.digests(),
            check_packs=list(dict.fromkeys(c.pack for c in checks if c.pack is not None)),
        ),
        coverage={
            name: Coverage(status=section.status.value, reason=section.reason, records=_records(section.data))
            for name, section in snapshot.coverage().items()
        },
        summary=FindingsDocument.summarise(findings),
        findings=findings,
        exceptions=exceptions,
    )
    # Whatever leaves the process (terminal, --output, a bundle) leaves from this document: a
    # secret a server or a plugin check echoed into a message or a name stops here.
    document = FindingsDocument.model_validate_json(SECRETS.scrub_json(document.model_dump_json()))
    log.info(
        "scan evaluated",
        mode=mode,
        findings=len(findings),
        **{k.value: v for k, v in document.summary.items()},
    )
    return ScanResult(document=document, snapshot=snapshot)


def _attestations_section(inputs: JudgementInputs) -> Section[Attestations]:
    if inputs.attestations is None:
        return Section(
            status=SectionStatus.COLLECTED, data=Attestations(), reason="no attestation file was given"
        )
    return Section.collected(inputs.attestations)


def _records(data: object) -> int | None:
    if isinstance(data, list):
        return len(data)
    return None


def compare_with_recording(bundle: Bundle, document: FindingsDocument) -> ReplayVerdict:
    """Identical, or different naming every control whose finding differs in any way."""
    before = {f.control_id: f.model_dump(mode="json") for f in bundle.recorded.findings}
    after = {f.control_id: f.model_dump(mode="json") for f in document.findings}
    differing = sorted(c for c in before.keys() | after.keys() if before.get(c) != after.get(c))
    if differing:
        return ReplayVerdict(result="different", differing_controls=differing)
    return ReplayVerdict(result="identical")
