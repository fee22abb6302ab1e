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

import httpx
import structlog
from pydantic import SecretStr

from dingscan import __version__
from dingscan.attestations import Attestations
from dingscan.check import Check
from dingscan.client import DingTalkClient, HostMap, RetryPolicy
from dingscan.client.bounded import BoundedTransport
from dingscan.collect import Progress, collect
from dingscan.engine import run_checks
from dingscan.evidence import Bundle, Pseudonymiser, RecordingTransport, ReplayTransport, write_bundle
from dingscan.evidence.exchange import Exchange
from dingscan.findings import ApiUsage, Coverage, FindingsDocument, ReplayVerdict, ScanInfo, Tenant, Tool
from dingscan.inputs import JudgementInputs
from dingscan.redaction import SECRETS
from dingscan.settings import Settings
from dingscan.snapshot import Section, SectionStatus, Snapshot

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class ScanResult:
    document: FindingsDocument
    snapshot: Snapshot


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
) -> ScanResult:
    """Scan the tenant the settings point at; with ``record_to``, also write a fixture bundle,
    pseudonymised and/or signed when asked.

    ``transport`` and ``retry`` replace the network and the back-off (tests, embedding).
    """
    app_key, app_secret = settings.credentials()
    hosts = HostMap(settings.oapi_url, settings.api_url)
    # Bounded directly above the network, so a recording holds exactly what the client read.
    network = BoundedTransport(transport or httpx.AsyncHTTPTransport(), hosts, deadline=settings.timeout)
    recorder = RecordingTransport(network, hosts) if record_to else None
    started = datetime.now(UTC)
    client = DingTalkClient(
        app_key,
        app_secret,
        hosts=hosts,
        calls_per_second=settings.qps,
        timeout=settings.timeout,
        retry=retry or RetryPolicy(attempts=settings.retry_attempts),
        counted_budget=settings.max_counted_calls,
        transport=recorder or network,
    )
    async with client, asyncio.timeout(settings.scan_timeout):
        snapshot = await collect(client, as_of=started, corp_id=settings.corp_id, progress=progress)
    usage = _usage(client)
    result = _evaluate(snapshot, inputs, checks, "live", started, usage, bundle=record_to)
    if record_to is not None and recorder is not None:
        exchanges, recorded = recorder.exchanges, result.document
        if pseudonymiser is not None:
            # The bundle's own findings must name nobody either: judge the pseudonymised answers
            # against the pseudonymised inputs (the same people under the same pseudonyms).
            exchanges = [pseudonymiser.exchange(e) for e in exchanges]
            inputs = pseudonymiser.inputs(inputs)
            replayed = await _replay(exchanges, started, settings.corp_id, inputs, checks, record_to, "")
            recorded = replayed.document
        files = {"policy": inputs.policy_file, "attestations": inputs.attestations_file}
        write_bundle(
            record_to,
            exchanges=exchanges,
            recorded_at=started,
            corp_id=settings.corp_id,
            org_name=result.document.scan.tenant.org_name,
            inputs={name: file for name, file in files.items() if file is not None},
            findings_json=recorded.model_dump_json(indent=2),
            pseudonymised=pseudonymiser is not None,
            sign=sign,
        )
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


async def _replay(
    exchanges: list[Exchange],
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
        sleep=_no_wait,
    )
    started = datetime.now(UTC)
    async with client:
        snapshot = await collect(client, as_of=as_of, corp_id=corp_id)
    usage = _usage(client)
    return _evaluate(
        snapshot, inputs, checks, "replay", started, usage, bundle=bundle_path, integrity=integrity or None
    )


async def _no_wait(_: float) -> None:
    """Replay serves recorded answers: a retry need not wait for DingTalk to recover."""


def _evaluate(
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
    snapshot = snapshot.model_copy(update={"attestations": _attestations_section(inputs)})
    findings = run_checks(checks, snapshot, inputs.policy)
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


def _usage(client: DingTalkClient) -> ApiUsage:
    stats = client.stats
    return ApiUsage(sent=stats.sent, counted=stats.counted, retries=stats.retries, throttled=stats.throttled)


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
