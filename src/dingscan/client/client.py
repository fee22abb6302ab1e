"""The async DingTalk client: one pooled httpx client for both hosts.

It turns "call this catalogued endpoint with these arguments" into the JSON DingTalk answered,
and everything else into a typed :class:`~dingscan.client.errors.DingTalkError`: it puts the token
where each host expects it, paces each API under its rate limit, refreshes a rejected token once,
retries only what is transient (bounded, jittered, never quota or permission errors), and stops
at once when DingTalk says the whole scan is pointless (bad credentials, banned IP).

A throttle answer (``90018``) means "slower", not "failed": the API's pacer slows down and the
call is tried again for as long as the scan's time budget lasts. Requests in flight are bounded
below the connection pool's size, so no request ever queues inside httpcore (whose pool
assignment is quadratic in its queue length) and the request timeout only ever runs while a
request is on the wire; every wait before that ends at the time budget's deadline.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx
import structlog
from pydantic import SecretStr
from structlog.contextvars import bound_contextvars
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from dingscan.__version__ import __version__
from dingscan.client import endpoints as ep
from dingscan.client.auth import AccessTokenCache, IssuedToken
from dingscan.client.bounded import BoundedTransport
from dingscan.client.endpoints import Endpoint, Host
from dingscan.client.errors import (
    BudgetExhausted,
    DingTalkError,
    IpBanned,
    MalformedResponse,
    NetworkError,
    OutOfTime,
    QuotaExhausted,
    QuotaSpent,
    RateLimited,
    TokenInvalid,
    TokenUnavailable,
    api_error,
    is_ip_ban,
    oapi_error,
)
from dingscan.client.hosts import HostMap
from dingscan.client.limits import PastDeadline, PerApiRateLimiter
from dingscan.client.transport import ReadOnlyTransport
from dingscan.redaction import SECRETS

log = structlog.get_logger(__name__)

Sleep = Callable[[float], Awaitable[None]]
#: DingTalk's per-IP ban answers with an HTML page on 200 or 403; other HTML is someone else's page.
BAN_PAGE_STATUSES = frozenset({200, 403})
JSON = dict[str, Any]
#: Tries for the access token. A host that cannot hand out a token after three tries is the
#: wrong host or unreachable; waiting for more retries only delays the one useful message.
TOKEN_ATTEMPTS = 3
#: Connections httpx may open; requests in flight stay below it, so none ever waits in the pool.
#: Small on purpose: httpcore checks every pooled connection on each request (a syscall each),
#: and 24 in flight carry 60 calls/s on each of four APIs at 100 ms round trips.
POOL_SIZE = 32
MAX_IN_FLIGHT = 24


def pooled_transport() -> httpx.AsyncHTTPTransport:
    """The network transport, its pool sized so that ``MAX_IN_FLIGHT`` requests never wait in it
    (``httpx.AsyncClient(limits=...)`` does not reach a transport passed in)."""
    return httpx.AsyncHTTPTransport(
        limits=httpx.Limits(max_connections=POOL_SIZE, max_keepalive_connections=POOL_SIZE)
    )


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try a transient failure again.

    Five attempts with exponential, jittered back-off (0.5 s, 1 s, 2 s, ...) capped at
    ``max_wait``; ``90018`` waits about a second (DingTalk's advice) and is tried again until
    the time budget runs out, since the API's pacer has slowed down meanwhile; ``90002`` backs
    off exponentially from one second, because it means every caller of that API is throttled.
    """

    attempts: int = 5
    base_wait: float = 0.5
    max_wait: float = 30.0

    def wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        step = 2 ** (state.attempt_number - 1)
        if isinstance(error, RateLimited):
            base = float(step) if error.global_limit else 1.0
        else:
            base = self.base_wait * step
        base = min(base, self.max_wait)
        return base + random.uniform(0, base / 2)  # noqa: S311 - jitter, not cryptography


@dataclass
class CallStats:
    """What a scan cost: every request sent, and the ones that count against the monthly quota."""

    sent: int = 0
    counted: int = 0
    retries: int = 0
    throttled: int = 0
    by_endpoint: Counter[str] = field(default_factory=Counter)


class DingTalkClient:
    def __init__(
        self,
        app_key: str,
        app_secret: SecretStr,
        *,
        hosts: HostMap | None = None,
        calls_per_second: float | None = 20.0,
        timeout: float = 20.0,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        counted_budget: int | None = None,
        time_budget: float | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        SECRETS.register(app_secret.get_secret_value())
        self.hosts = hosts or HostMap()
        self.stats = CallStats()
        self._app_key = app_key
        self._app_secret = app_secret
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._limiter = PerApiRateLimiter(calls_per_second)
        self._tokens = AccessTokenCache(self._fetch_token)
        self._counted_budget = counted_budget
        self._time_budget = time_budget
        self._deadline: float | None = None
        self._in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        self._halted: DingTalkError | None = None
        self._quota_error: QuotaExhausted | None = None
        network = transport or BoundedTransport(pooled_transport(), self.hosts, deadline=timeout)
        self._http = httpx.AsyncClient(
            transport=ReadOnlyTransport(network, self.hosts),
            timeout=httpx.Timeout(timeout),
            # Only the codings BoundedTransport decodes itself, under its size cap.
            headers={"User-Agent": f"dingscan/{__version__}", "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,
            # DingTalk's API uses no cookies; a jar would carry one host's cookie to the other.
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
        )

    def __repr__(self) -> str:
        return f"DingTalkClient(app_key={self._app_key!r}, hosts={self.hosts!r})"

    async def __aenter__(self) -> DingTalkClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def call(
        self,
        endpoint: Endpoint,
        *,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        path_params: Mapping[str, str] | None = None,
    ) -> JSON:
        """The JSON answer of one endpoint, after retries; raises :class:`DingTalkError`."""
        path = endpoint.format_path(**(path_params or {}))
        if self._time_budget is not None and self._deadline is None:
            self._deadline = asyncio.get_running_loop().time() + self._time_budget
        async for attempt in self._retrying(self._retry.attempts):
            with attempt, bound_contextvars(attempt=attempt.retry_state.attempt_number):
                return await self._call_authenticated(endpoint, path, body, params)
        raise AssertionError("unreachable: tenacity re-raises the last error")

    def _retrying(self, attempts: int) -> AsyncRetrying:
        def stop(state: RetryCallState) -> bool:
            """Throttled calls are tried until the time budget runs out; others ``attempts`` times."""
            error = state.outcome.exception() if state.outcome else None
            if self._deadline is not None and isinstance(error, RateLimited) and not error.global_limit:
                return asyncio.get_running_loop().time() >= self._deadline
            return stop_after_attempt(attempts)(state)

        return AsyncRetrying(
            retry=retry_if_exception(lambda e: isinstance(e, DingTalkError) and e.retryable),
            stop=stop,
            wait=self._retry.wait,
            sleep=self._sleep,
            before_sleep=self._note_retry,
            reraise=True,
        )

    def _note_retry(self, state: RetryCallState) -> None:
        self.stats.retries += 1
        error = state.outcome.exception() if state.outcome else None
        log.info("retrying", error=str(error), attempt=state.attempt_number)

    async def _call_authenticated(
        self, endpoint: Endpoint, path: str, body: Mapping[str, Any] | None, params: Mapping[str, Any] | None
    ) -> JSON:
        token = await self._tokens.get()
        try:
            return await self._send(endpoint, path, body, params, token)
        except TokenInvalid:
            log.info("access token rejected, refreshing once", endpoint=endpoint.name)
            token = await self._tokens.refresh(rejected=token)
            return await self._send(endpoint, path, body, params, token)

    async def _fetch_token(self) -> IssuedToken:
        """A new token; failing to get one after a few tries halts the client (see TokenUnavailable)."""
        body = {"appKey": self._app_key, "appSecret": self._app_secret.get_secret_value()}
        attempts = min(self._retry.attempts, TOKEN_ATTEMPTS)
        try:
            async for attempt in self._retrying(attempts):
                with attempt, bound_contextvars(attempt=attempt.retry_state.attempt_number):
                    answer = await self._send(ep.ACCESS_TOKEN, ep.ACCESS_TOKEN.path, body, None, token=None)
        except DingTalkError as error:
            if error.fatal:
                raise
            base = self.hosts.base(ep.ACCESS_TOKEN.host)
            tries = f", {attempts} tries" if error.retryable and attempts > 1 else ""
            self._halted = TokenUnavailable("token", f"{base} ({error.reason}{tries})")
            raise self._halted from error
        token = answer.get("accessToken")
        if not isinstance(token, str) or not token or not (token.isascii() and token.isprintable()):
            raise MalformedResponse("token", "no usable accessToken in the answer", endpoint=ep.ACCESS_TOKEN)
        try:
            lifetime = float(answer.get("expireIn", 7200))
        except (TypeError, ValueError, OverflowError):
            lifetime = math.nan
        if not math.isfinite(lifetime) or lifetime <= 0:
            raise MalformedResponse("token", "expireIn is not a positive number", endpoint=ep.ACCESS_TOKEN)
        return IssuedToken(token, lifetime)

    async def _send(
        self,
        endpoint: Endpoint,
        path: str,
        body: Mapping[str, Any] | None,
        params: Mapping[str, Any] | None,
        token: str | None,
    ) -> JSON:
        if self._halted is not None:  # a fresh error naming this call, not the first one re-raised
            halted = self._halted
            raise type(halted)(halted.code, halted.message, endpoint=endpoint, request_id=halted.request_id)
        if endpoint.counted and self._quota_error is not None:
            raise QuotaSpent(self._quota_error.code, endpoint=endpoint)
        request = self._build_request(endpoint, path, body, params, token)
        if self._deadline is not None and asyncio.get_running_loop().time() >= self._deadline:
            raise OutOfTime("time", f"{self._time_budget:g}", endpoint=endpoint)
        try:
            # The pacing slot first: a call waiting for its API's turn must not hold one of the
            # in-flight places other APIs need. The in-flight place is then free at once, except
            # when the server is slow, and then places free up at the pace calls were sent.
            sent_at = await self._limiter.wait(endpoint.path, self._deadline)
            async with asyncio.timeout_at(self._deadline):
                await self._in_flight.acquire()
        except (PastDeadline, TimeoutError):
            raise OutOfTime("time", f"{self._time_budget:g}", endpoint=endpoint) from None
        try:
            return await self._send_now(endpoint, path, request, sent_at)
        finally:
            self._in_flight.release()

    async def _send_now(self, endpoint: Endpoint, path: str, request: httpx.Request, sent_at: float) -> JSON:
        # Checked and reserved with no await between, so concurrent calls cannot overrun it.
        budget = self._counted_budget
        if endpoint.counted and budget is not None and self.stats.counted >= budget:
            raise BudgetExhausted("budget", str(budget), endpoint=endpoint)
        self.stats.counted += endpoint.counted
        self.stats.sent += 1
        self.stats.by_endpoint[endpoint.name] += 1
        started = time.monotonic()
        outcome: int | str = "unanswered"
        try:
            response = await self._http.send(request)
            outcome = response.status_code
            answer = self._parse(endpoint, response)
            outcome = f"{outcome} ok"
            self._limiter.succeeded(endpoint.path)
            return answer
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            self.stats.counted -= endpoint.counted  # never reached DingTalk: not charged
            raise NetworkError("connection", _network_detail(exc), endpoint=endpoint) from exc
        except httpx.TimeoutException as exc:
            raise NetworkError("timeout", "timed out", endpoint=endpoint) from exc
        except httpx.TransportError as exc:
            raise NetworkError("connection", _network_detail(exc), endpoint=endpoint) from exc
        except RateLimited as error:
            outcome = f"{outcome} {error.code}"
            self.stats.counted -= endpoint.counted  # DingTalk does not charge throttled calls
            self.stats.throttled += 1
            self._limiter.throttled(endpoint.path, sent_at)
            raise
        except QuotaExhausted as error:
            outcome = f"{outcome} {error.code}"
            self._quota_error = error
            raise
        except DingTalkError as error:
            outcome = f"{outcome} {error.code}"
            if error.fatal:
                self._halted = error
            raise
        finally:
            # The path, never the URL: the old host's URL carries the access token.
            log.debug(
                "request",
                method=endpoint.method,
                path=path,
                answer=outcome,
                ms=round((time.monotonic() - started) * 1000),
            )

    def _build_request(
        self,
        endpoint: Endpoint,
        path: str,
        body: Mapping[str, Any] | None,
        params: Mapping[str, Any] | None,
        token: str | None,
    ) -> httpx.Request:
        query = {k: _query_value(v) for k, v in (params or {}).items()}
        headers: dict[str, str] = {}
        if token is not None:
            if endpoint.host is Host.OAPI:
                query["access_token"] = token
            else:
                headers["x-acs-dingtalk-access-token"] = token
        return self._http.build_request(
            endpoint.method,
            self.hosts.url(endpoint.host, path),
            params=query,
            json=dict(body) if body is not None and endpoint.method != "GET" else None,
            headers=headers,
        )

    def _parse(self, endpoint: Endpoint, response: httpx.Response) -> JSON:
        request_id = response.headers.get("x-acs-request-id")
        try:
            answer = json.loads(response.content, parse_constant=_no_nan) if response.content else None
        except (ValueError, RecursionError):
            answer = None
            if response.status_code >= 500:
                raise api_error(response.status_code, None, endpoint, request_id) from None
            if not _looks_like_html(response):
                raise MalformedResponse("malformed", "the body is not JSON", endpoint=endpoint) from None
            if response.status_code in BAN_PAGE_STATUSES:
                raise IpBanned("ip-ban", "HTML ban page", endpoint=endpoint) from None
            raise MalformedResponse(
                "html",
                f"an HTML page (HTTP {response.status_code}) instead of JSON; check the host URLs and any proxy",
                endpoint=endpoint,
            ) from None
        if is_ip_ban(answer):
            raise IpBanned("punish", "per-IP ban", endpoint=endpoint)
        if endpoint.host is Host.API and response.status_code >= 400:
            raise api_error(
                response.status_code, answer if isinstance(answer, dict) else None, endpoint, request_id
            )
        if response.status_code >= 500:
            raise api_error(response.status_code, None, endpoint, request_id)
        if not isinstance(answer, dict):
            shape = "an empty body" if answer is None else f"JSON {type(answer).__name__}"
            raise MalformedResponse("malformed", f"expected a JSON object, got {shape}", endpoint=endpoint)
        if endpoint.host is Host.OAPI:
            error = oapi_error(answer, endpoint)
            if error is not None:
                raise error
            if response.status_code >= 400:
                raise api_error(response.status_code, answer, endpoint, request_id)
        return answer


def _network_detail(exc: httpx.TransportError) -> str:
    """What went wrong on the road: "ConnectError: [Errno 111] Connection refused", a DNS or TLS failure."""
    detail = str(exc)
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _no_nan(constant: str) -> None:
    """Python's json reads NaN and Infinity, which are not JSON and no DingTalk answer contains."""
    raise ValueError(f"{constant} is not JSON")


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return json.dumps(list(value), ensure_ascii=False)
    return str(value)


def _looks_like_html(response: httpx.Response) -> bool:
    return "html" in response.headers.get("content-type", "") or response.content.lstrip()[:1] == b"<"
