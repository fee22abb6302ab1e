"""A fleet run: many tenants scanned concurrently from one machine, under one egress ceiling.

DingTalk limits each app per API (the client paces that, per tenant), and every call leaving
one egress address together (10,000 calls in 20 s, then a five-minute ban for *all* tenants).
So the tenants share one :class:`CeilingTransport`, which paces every request of every tenant
below a calls-per-second ceiling. Each tenant's failure (bad credentials, an outage, a bad
policy file) ends that tenant with its own exit code; the others go on. Each tenant is one run
of the run service (:mod:`dingscan.run`): its reports (in ``--lang``), its place in the state
(``--state``, a directory or, for a fleet spread over pods, a PostgreSQL URL: probed once before
the first tenant) and its alerts follow the same order and rules as a single scan.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import structlog

from dingscan.alerts.channels import NotifyTarget
from dingscan.check import Check
from dingscan.client.limits import SAFETY_MARGIN
from dingscan.errors import DingscanError, describe_os_error
from dingscan.exitcodes import ExitCode
from dingscan.findings import FindingsDocument, Severity
from dingscan.fleet.tenants import TenantEntry, credentials
from dingscan.i18n import SOURCE_LANGUAGE
from dingscan.inputs import JudgementInputs
from dingscan.redaction import SECRETS
from dingscan.report.base import ReportFormat
from dingscan.run import LiveScan, OutputPlan, RunService, StateAccess
from dingscan.settings import load_settings

log = structlog.get_logger(__name__)

#: DingTalk bans an egress address past 10,000 calls in 20 s (500/s); stay well under it.
DEFAULT_CEILING = 400.0


class Spacing:
    """Releases callers one at a time, each at least ``interval`` after the previous release as
    it really happened. Unlike the per-API :class:`~dingscan.client.limits.Pacer`, which hands out
    future slots, a stalled event loop (a busy machine parsing 20 tenants' answers) cannot wake a
    queue of callers at once: the ceiling holds over any second, not only on average."""

    def __init__(self, interval: float) -> None:
        self._interval = interval
        self._lock = asyncio.Lock()
        self._next = 0.0

    async def wait(self) -> None:
        loop = asyncio.get_running_loop()
        async with self._lock:
            delay = self._next - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self._next = loop.time() + self._interval


class CeilingTransport(httpx.AsyncBaseTransport):
    """Spaces every request through it, whichever tenant sends it, below one shared rate.

    The transports of all tenants of a run share one :class:`Spacing` (one event loop); each
    tenant's client closes its own transport stack.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, pacer: Spacing) -> None:
        self._inner = inner
        self._pacer = pacer

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await self._pacer.wait()
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


@dataclass(frozen=True)
class TenantOutcome:
    """One tenant's result: a findings document, or the one-line reason there is none."""

    tenant: TenantEntry
    exit_code: ExitCode
    seconds: float
    document: FindingsDocument | None = None
    error: str | None = None
    outputs: tuple[Path, ...] = ()
    not_recorded: str | None = None  # scanned and written, but not in the state: why


@dataclass(frozen=True)
class FleetOptions:
    parallel: int
    ceiling: float
    output_dir: Path
    formats: Sequence[ReportFormat]
    config: Path | None = None
    qps: float | None = None
    insecure_http: bool | None = None
    fail_on: Severity = Severity.INFORMATIONAL
    state: Path | str | None = None
    state_wait_seconds: float = 10.0
    lang: str = SOURCE_LANGUAGE

    def state_access(self) -> StateAccess | None:
        return None if self.state is None else StateAccess(self.state, wait_seconds=self.state_wait_seconds)


async def run_fleet(
    tenants: Sequence[TenantEntry],
    options: FleetOptions,
    checks: Sequence[Check],
    *,
    service: RunService,
    targets_for: Callable[[TenantEntry], Sequence[NotifyTarget]] = lambda _: (),
) -> list[TenantOutcome]:
    """Scan ``tenants``, at most ``options.parallel`` at a time; outcomes in the tenants' order.

    The state is probed once, before the first tenant: a state that cannot be used costs no
    tenant its quota (the run stops with the state's one-line error).
    """
    state = options.state_access()
    if state is not None:
        await asyncio.to_thread(state.probe)
    pacer = Spacing(1.0 / (options.ceiling * SAFETY_MARGIN))  # the same margin as per-API pacing
    slots = asyncio.Semaphore(options.parallel)

    async def one(tenant: TenantEntry) -> TenantOutcome:
        async with slots:
            transport = CeilingTransport(httpx.AsyncHTTPTransport(), pacer)
            return await _scan_tenant(tenant, options, checks, service, transport, targets_for(tenant))

    return list(await asyncio.gather(*(one(t) for t in tenants)))


async def _scan_tenant(
    tenant: TenantEntry,
    options: FleetOptions,
    checks: Sequence[Check],
    service: RunService,
    transport: httpx.AsyncBaseTransport,
    notify: Sequence[NotifyTarget],
) -> TenantOutcome:
    started = time.monotonic()
    try:
        app_key, app_secret = credentials(tenant)
        settings = load_settings(
            options.config,
            app_key=app_key,
            app_secret=app_secret,
            corp_id=tenant.corp_id,
            oapi_url=tenant.oapi_url,
            api_url=tenant.api_url,
            qps=options.qps,
            insecure_http=options.insecure_http,
        )
        inputs = JudgementInputs.load(
            tenant.policy or settings.policy,
            tenant.attestations or settings.attestations,
            tenant.exceptions or settings.exceptions,
        )
        outputs = OutputPlan(
            [f.name for f in options.formats], output_dir=options.output_dir / tenant.name, lang=options.lang
        )
        run = LiveScan(
            settings,
            inputs,
            checks,
            outputs=outputs,
            state=options.state_access(),
            fail_on=options.fail_on,
            notify=notify,
            tenant_name=tenant.name,
            transport=transport,
            activity=False,  # one store connection per tenant for the whole scan: not for a fleet
        )
        outcome = await service.scan(run)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        code = exc.exit_code if isinstance(exc, DingscanError) else ExitCode.FATAL
        message = SECRETS.scrub(_describe(exc))
        log.bind(tenant=tenant.name).warning("tenant not scanned", error=message)
        return TenantOutcome(tenant, code, time.monotonic() - started, error=message)
    return TenantOutcome(
        tenant,
        outcome.exit_code,
        time.monotonic() - started,
        document=outcome.document,
        outputs=outcome.written,
        not_recorded=outcome.not_recorded,
    )


def _describe(exc: Exception) -> str:
    """One line: a dingscan error's own, a file's, or an internal error's type and text."""
    if isinstance(exc, DingscanError):
        return str(exc)
    if isinstance(exc, OSError):
        return describe_os_error(exc)
    return f"internal error: {type(exc).__name__}: {exc}"
