"""Deliver alerts: each owed alert to its target, with retries, saying what became of it.

A notification is a side channel: it never changes the findings, which are written before it is
sent. Each target gets at most one message per scan and tenant, retried with back-off when the
receiver is down, slow or says "too fast", always under the same delivery id. What still fails
is a :class:`Delivery` that is not settled: with a state, it stays in the outbox and the next
run sends it. Robot tokens and signing secrets are registered with the scrubber when read, so
no message shows them.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import httpx

from dingscan.alerts.channels import NotifyTarget, channel_of, target_key
from dingscan.alerts.delivery import NotDelivered, SendContext
from dingscan.alerts.outbox import owed_alerts
from dingscan.findings import FindingsDocument
from dingscan.redaction import SECRETS
from dingscan.state.store import OwedAlert

Outcome = Literal["delivered", "maybe", "failed", "no_target"]


@dataclass(frozen=True)
class Delivery:
    """What became of one owed alert in this run."""

    alert: OwedAlert
    outcome: Outcome
    label: str = "alert"
    reason: str = ""
    idempotent: bool = True
    where: str = ""  # the receiver's host (and port), to say which target failed

    @property
    def settled(self) -> bool:
        """Whether the alert is done with: delivered, unsendable, or maybe delivered to a
        receiver that cannot de-duplicate (sending it again could post it twice)."""
        return self.outcome in ("delivered", "no_target") or (self.outcome == "maybe" and not self.idempotent)

    def warning(self, name: str, *, kept: bool) -> str | None:
        """One line for a person, or None when delivered; ``kept``: the outbox keeps it."""
        uid = self.alert.delivery_id
        if self.outcome == "delivered":
            return None
        if self.outcome == "no_target":
            return f"an alert for {name} owed since scan {self.alert.scan_id} has no target any more; dropped"
        again = f"; the next run sends it again with delivery id {uid}" if kept else f" (delivery id {uid})"
        alert = f"{self.label} alert for {name}" + (f" to {self.where}" if self.where else "")
        if self.outcome == "maybe":
            if not self.idempotent:
                again = f"; not sent again, so that it is not posted twice (delivery id {uid})"
            return SECRETS.scrub(f"{alert} maybe delivered ({self.reason}){again}")
        return SECRETS.scrub(f"{alert} not delivered: {self.reason}{again}")


@dataclass
class Notifier:
    """Sends alerts for a whole run: one paced queue per robot, shared by every tenant."""

    attempts: int = 3
    base_wait: float = 1.0
    timeout: float = 10.0
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    _context: SendContext | None = None

    async def notify(
        self, targets: Sequence[NotifyTarget], tenant: str, document: FindingsDocument
    ) -> list[str]:
        """Without a state: send what ``document`` owes; the warnings of what was not delivered."""
        deliveries = await self.deliver(owed_alerts(targets, tenant, tenant, document), targets)
        return [w for d in deliveries if (w := d.warning(tenant, kept=False))]

    async def deliver(self, owed: Sequence[OwedAlert], targets: Sequence[NotifyTarget]) -> list[Delivery]:
        """Send each owed alert to its target (found by its key), in order."""
        by_key = {target_key(t): t for t in targets}
        if self._context is None:
            self._context = SendContext(self.environ)
        results = []
        async with httpx.AsyncClient(timeout=self.timeout, trust_env=False) as http:
            for alert in owed:
                target = by_key.get(alert.target)
                if target is None:
                    results.append(Delivery(alert, "no_target"))
                else:
                    results.append(await self._with_retries(http, target, alert, self._context))
        return results

    async def _with_retries(
        self, http: httpx.AsyncClient, target: NotifyTarget, alert: OwedAlert, context: SendContext
    ) -> Delivery:
        channel = channel_of(target)
        where = _host_of(target)
        payload = json.loads(alert.payload)
        maybe = False
        for attempt in range(self.attempts):
            try:
                await channel.send(http, target, payload, alert.delivery_id, context)
                return Delivery(alert, "delivered", channel.label, idempotent=channel.idempotent, where=where)
            except NotDelivered as exc:
                maybe = maybe or exc.maybe
                stop = not exc.retry or (exc.maybe and not channel.idempotent) or attempt == self.attempts - 1
                if stop:
                    outcome: Outcome = "maybe" if maybe else "failed"
                    return Delivery(alert, outcome, channel.label, str(exc), channel.idempotent, where)
            await asyncio.sleep(self.base_wait * 2**attempt)
        raise AssertionError("unreachable: the last attempt returns")  # pragma: no cover


def _host_of(target: NotifyTarget) -> str:
    """The host (and port) of a target's address; never its path, query or user part, which may
    hold a token."""
    url = httpx.URL(str(getattr(target, "url", "")))
    return f"{url.host}:{url.port}" if url.port else url.host
