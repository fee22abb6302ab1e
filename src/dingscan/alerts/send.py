"""Post what is new after a scan to a DingTalk group robot or a signed webhook.

A notification is a side channel: it never changes the findings, which are written before it is
sent. Each target gets at most one message per scan and tenant, retried with back-off when the
receiver is down, slow or says "too fast"; what still fails becomes one warning line. Robot
tokens and signing secrets are registered with the scrubber when read, so no message shows them.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

import httpx

from dingscan.alerts.config import NotifyTarget, RobotTarget, WebhookTarget
from dingscan.alerts.news import new_findings
from dingscan.client.limits import Pacer
from dingscan.findings import Finding, FindingsDocument
from dingscan.redaction import SECRETS
from dingscan.report.base import finding_rows
from dingscan.report.ocsf import event_uid

#: DingTalk throttles a robot for ten minutes past 20 messages a minute: one every 3 s at most.
ROBOT_INTERVAL = 60 / 20
#: Robot answers that no retry can fix (signature/keyword/IP rejected, token invalid).
ROBOT_PERMANENT = frozenset({310000, 300001})
MAX_LISTED = 20  # findings listed in a robot message; the rest are counted


class NotDelivered(Exception):
    """A notification failed; ``retry`` says whether another attempt could succeed."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


@dataclass
class Notifier:
    """Sends alerts for a whole run: one paced queue per robot, shared by every tenant."""

    attempts: int = 3
    base_wait: float = 1.0
    timeout: float = 10.0
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    _robot_pacers: dict[str, Pacer] = field(default_factory=dict)

    async def notify(
        self, targets: Sequence[NotifyTarget], tenant: str, document: FindingsDocument
    ) -> list[str]:
        """Send to every target; the one-line warnings of those that failed (empty: all delivered)."""
        warnings = []
        async with httpx.AsyncClient(timeout=self.timeout, trust_env=False) as http:
            for target in targets:
                try:
                    await self._with_retries(http, target, tenant, document)
                except NotDelivered as exc:
                    name = "DingTalk robot" if isinstance(target, RobotTarget) else "webhook"
                    warnings.append(SECRETS.scrub(f"{name} alert for {tenant} not delivered: {exc}"))
        return warnings

    async def _with_retries(
        self, http: httpx.AsyncClient, target: NotifyTarget, tenant: str, document: FindingsDocument
    ) -> None:
        for attempt in range(self.attempts):
            try:
                if isinstance(target, RobotTarget):
                    await self._send_robot(http, target, tenant, document)
                else:
                    await _send_webhook(http, target, tenant, document, self.environ)
                return
            except NotDelivered as exc:
                if not exc.retry or attempt == self.attempts - 1:
                    raise
            await asyncio.sleep(self.base_wait * 2**attempt)

    async def _send_robot(
        self, http: httpx.AsyncClient, target: RobotTarget, tenant: str, document: FindingsDocument
    ) -> None:
        token = target.token.read(self.environ).get_secret_value()
        secret = target.secret.read(self.environ).get_secret_value()
        pacer = self._robot_pacers.setdefault(token, Pacer(ROBOT_INTERVAL))
        await pacer.wait()
        url = robot_url(target.url, token, secret, int(time.time() * 1000))
        answer = _json(await _post(http, url, json.dumps(robot_message(tenant, document)).encode(), {}))
        code = answer.get("errcode")
        if code != 0:
            message = f"errcode {code}: {answer.get('errmsg', '')}"
            raise NotDelivered(message, retry=code not in ROBOT_PERMANENT)


def robot_sign(timestamp_ms: int, secret: str) -> str:
    """加签 as DingTalk documents it: base64 of HMAC-SHA256 keyed by the secret over
    ``"{timestamp}\\n{secret}"``, then URL-encoded for the query string."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode("ascii"))


def robot_url(base: str, token: str, secret: str, timestamp_ms: int) -> str:
    sign = robot_sign(timestamp_ms, secret)
    return f"{base}?access_token={quote_plus(token)}&timestamp={timestamp_ms}&sign={sign}"


def robot_message(tenant: str, document: FindingsDocument) -> dict[str, Any]:
    news = new_findings(document)
    title = f"dingscan: {tenant}: {len(news)} to look at"
    lines = [f"### {title}", ""]
    lines += [
        f"- **{f.status.value}** {f.control_id}: {_markdown_text(f.message)}" for f in news[:MAX_LISTED]
    ]
    if len(news) > MAX_LISTED:
        lines.append(f"- ... and {len(news) - MAX_LISTED} more")
    lines.append(f"\nscan {document.scan.id}, judged as of {document.scan.as_of:%Y-%m-%d %H:%M} UTC")
    return {"msgtype": "markdown", "markdown": {"title": title, "text": "\n".join(lines)}}


def webhook_body(tenant: str, document: FindingsDocument) -> dict[str, Any]:
    corp_id = document.scan.tenant.corp_id
    return {
        "tenant": tenant,
        "corp_id": corp_id,
        "scan_id": document.scan.id,
        "as_of": document.scan.as_of.isoformat(),
        "new": [_change(corp_id, f) for f in new_findings(document)],
    }


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over ``"{timestamp}." + body``: the receiver recomputes it and rejects old
    timestamps, so a captured request cannot be replayed later."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


async def _send_webhook(
    http: httpx.AsyncClient,
    target: WebhookTarget,
    tenant: str,
    document: FindingsDocument,
    environ: Mapping[str, str],
) -> None:
    secret = target.secret.read(environ).get_secret_value()
    body = json.dumps(webhook_body(tenant, document), ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    headers = {
        "X-Dingscan-Timestamp": timestamp,
        "X-Dingscan-Signature": webhook_signature(secret, timestamp, body),
    }
    await _post(http, target.url, body, headers)


def _change(corp_id: str | None, finding: Finding) -> dict[str, Any]:
    return {
        "control_id": finding.control_id,
        "status": finding.status.value,
        "severity": finding.severity.value,
        "message": finding.message,
        # With --state: since when, the previous status, the new and resolved offenders.
        "changes": finding.changes.model_dump(mode="json") if finding.changes else None,
        "ocsf_uids": [event_uid(corp_id, finding.control_id, r) for r in finding_rows(finding)],
    }


async def _post(http: httpx.AsyncClient, url: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    try:
        response = await http.post(url, content=body, headers={"Content-Type": "application/json", **headers})
    except httpx.TimeoutException:
        raise NotDelivered("no answer in time", retry=True) from None
    except httpx.TransportError as exc:
        raise NotDelivered(f"cannot connect ({type(exc).__name__})", retry=True) from None
    if response.status_code >= 500 or response.status_code == 429:
        raise NotDelivered(f"HTTP {response.status_code}", retry=True)
    if response.status_code >= 300:
        raise NotDelivered(f"HTTP {response.status_code}", retry=False)
    return response


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        value = response.json()
    except ValueError:
        raise NotDelivered("answer is not JSON", retry=True) from None
    return value if isinstance(value, dict) else {}


def _markdown_text(text: str) -> str:
    """Tenant text (names in a message) as plain text on one line: a user named
    ``[verify](https://evil)`` must not become a link in the security team's group."""
    return re.sub(r"([\\`*_\[\]()#<>!|~])", r"\\\1", " ".join(text.split()))
