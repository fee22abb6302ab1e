"""What happens to each call, in order, whichever host it arrives on.

0. The configured latency passes (the road to DingTalk).
1. An injected fault due for the path answers instead (after its delay), except ``timeout``
   and ``wrong_shape``, which let the call through (the latter then breaks its answer).
2. Unknown route -> the host's not-found answer.
3. Token endpoints answer now; every other route needs a valid token (41001/40014/42001).
4. Per-app, per-path QPS (90018); throttled calls stop here and never touch the quota.
5. Permission point granted and, for 专属钉钉 APIs, the exclusive edition (88/60011).
6. Monthly quota for counted paths (90020).
7. The handler.
"""

from __future__ import annotations

import threading

from dingscan.emulator import errors
from dingscan.emulator.errors import DingTalkError
from dingscan.emulator.faults import Fault, FaultBook, as_broken_reply, as_error, reshape
from dingscan.emulator.handlers import find_route
from dingscan.emulator.hosts import Host
from dingscan.emulator.limits import MonthlyQuota, QpsLimiter, is_counted
from dingscan.emulator.routing import Context, Route
from dingscan.emulator.tokens import TokenState
from dingscan.emulator.wire import JsonObject, Reply, Request

_TOKEN_ERRCODES = {TokenState.MISSING: 41001, TokenState.UNKNOWN: 40014, TokenState.EXPIRED: 42001}


class Pipeline:
    def __init__(
        self,
        context: Context,
        limiter: QpsLimiter,
        quota: MonthlyQuota,
        faults: FaultBook,
        stopping: threading.Event,
        *,
        latency: float = 0.0,
    ) -> None:
        self.context = context
        self.limiter = limiter
        self.quota = quota
        self.faults = faults
        self.stopping = stopping
        self.latency = latency

    def handle(self, host: Host, request: Request) -> Reply:
        # Latency comes first, as on the wire: the rate limit sees the call when it arrives.
        if self.latency and self.stopping.wait(self.latency):
            return Reply(0, drop=True)
        route = find_route(host.name, request.method, request.path)
        fault = self.faults.take(request.path)
        if fault is not None:
            if fault.pause and self.stopping.wait(fault.pause):
                return Reply(0, drop=True)
            injected = self._injected(host, fault, route, request)
            if injected is not None:
                return injected
        reply = self._answer(host, route, request)
        if fault is not None and fault.kind == "wrong_shape" and reply.code in (0, None):
            return reshape(reply, host.name)
        return reply

    def _injected(self, host: Host, fault: Fault, route: Route | None, request: Request) -> Reply | None:
        broken = as_broken_reply(fault)
        if broken is not None:
            return broken
        permission = (route.permission if route else None) or "qyapi_base"
        error = as_error(fault, request.path, permission, self.context.org.now)
        return host.failure(error) if error is not None else None

    def _answer(self, host: Host, route: Route | None, request: Request) -> Reply:
        if route is None:
            return host.not_found(request)
        try:
            return host.success(self._run(host, route, request))
        except DingTalkError as error:
            return host.failure(error)

    def _run(self, host: Host, route: Route, request: Request) -> JsonObject:
        if route.permission is not None:
            state, app_key = self.context.tokens.check(host.token(request))
            if app_key is None:
                raise errors.token_problem(_TOKEN_ERRCODES[state])
            if not self.limiter.admit(app_key, route.path):
                raise errors.qps_app()
            tenant = self.context.org.tenant
            exclusive_ok = not route.exclusive_only or tenant.edition == "exclusive"
            if not (exclusive_ok and tenant.permissions.allows(route.permission)):
                raise errors.permission_denied(route.permission)
            if is_counted(route.path) and not self.quota.consume():
                raise errors.quota_exhausted()
        return route.handler(self.context, request)
