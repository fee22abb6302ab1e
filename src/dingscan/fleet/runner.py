"""A fleet run: many tenants scanned concurrently from one machine, under one egress ceiling.

DingTalk limits each app per API (the client paces that, per tenant), and every call leaving
one egress address together (10,000 calls in 20 s, then a five-minute ban for *all* tenants).
So the tenants share one :class:`CeilingTransport`, which paces every request of every tenant
below a calls-per-second ceiling. Each tenant's failure (bad credentials, an outage, a bad
policy file) ends that tenant with its own exit code; the others go on. With a state (``--state``,
a directory or, for a fleet spread over pods, a PostgreSQL URL), each tenant's scan is recorded
there before its reports are written, so they and its alerts say what is new since its last scan.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import structlog

from dingscan.attestations import AttestationError
from dingscan.check import Check
from dingscan.client.limits import SAFETY_MARGIN
from dingscan.collect import ScanAborted
from dingscan.errors import ConfigError
from dingscan.exitcodes import ExitCode, exit_code_for
from dingscan.findings import FindingsDocument, Severity
from dingscan.fleet.tenants import TenantEntry, credentials
from dingscan.inputs import JudgementInputs
from dingscan.policy import PolicyError
from dingscan.redaction import SECRETS
from dingscan.report.base import ReportFormat
from dingscan.report.formats import output_name
from dingscan.risks import ExceptionsError
from dingscan.scan import scan_live
from dingscan.settings import load_settings
from dingscan.state import StateError, remember

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


#: What ends one tenant without ending the others, and the exit code it gets.
_TENANT_ERRORS: tuple[tuple[tuple[type[Exception], ...], ExitCode], ...] = (
    ((ConfigError, PolicyError, AttestationError, ExceptionsError, StateError), ExitCode.USAGE),
    ((ScanAborted, TimeoutError, OSError), ExitCode.FATAL),
)


async def run_fleet(
    tenants: Sequence[TenantEntry],
    options: FleetOptions,
    checks: Sequence[Check],
    *,
    after_each: Callable[[TenantOutcome], Awaitable[None]] | None = None,
) -> list[TenantOutcome]:
    """Scan ``tenants``, at most ``options.parallel`` at a time; outcomes in the tenants' order.

    ``after_each`` runs as each tenant finishes (alerts), inside the same concurrency slot.
    """
    pacer = Spacing(1.0 / (options.ceiling * SAFETY_MARGIN))  # the same margin as per-API pacing
    slots = asyncio.Semaphore(options.parallel)

    async def one(tenant: TenantEntry) -> TenantOutcome:
        async with slots:
            outcome = await _scan_tenant(
                tenant, options, checks, CeilingTransport(httpx.AsyncHTTPTransport(), pacer)
            )
            if after_each is not None:
                await after_each(outcome)
            return outcome

    return list(await asyncio.gather(*(one(t) for t in tenants)))


async def _scan_tenant(
    tenant: TenantEntry, options: FleetOptions, checks: Sequence[Check], transport: httpx.AsyncBaseTransport
) -> TenantOutcome:
    started = time.monotonic()
    bound = log.bind(tenant=tenant.name)
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
        document = (await scan_live(settings, inputs=inputs, checks=checks, transport=transport)).document
        if options.state is not None:  # blocking (it may wait for another run): off the event loop
            document = await asyncio.to_thread(
                remember, document, options.state, wait_seconds=options.state_wait_seconds
            )
        folder = options.output_dir / tenant.name
        outputs = tuple(folder / output_name(document, fmt) for fmt in options.formats)
        for path, fmt in zip(outputs, options.formats, strict=True):
            fmt.write(document, path)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        code = next((c for types, c in _TENANT_ERRORS if isinstance(exc, types)), ExitCode.FATAL)
        message = SECRETS.scrub(_describe(exc))
        bound.warning("tenant not scanned", error=message)
        return TenantOutcome(tenant, code, time.monotonic() - started, error=message)
    return TenantOutcome(
        tenant,
        exit_code_for(document, options.fail_on),
        time.monotonic() - started,
        document=document,
        outputs=outputs,
    )


def _describe(exc: Exception) -> str:
    if isinstance(exc, TimeoutError):
        return "scan aborted: it took longer than scan_timeout"
    if isinstance(exc, ScanAborted):
        return f"scan aborted: {exc}"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename or ''}: {exc.strerror}".lstrip(": ")
    if isinstance(exc, ConfigError | PolicyError | AttestationError | ExceptionsError | StateError):
        return str(exc)
    return f"internal error: {type(exc).__name__}: {exc}"
