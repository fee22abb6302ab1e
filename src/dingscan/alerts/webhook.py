"""The signed webhook channel: JSON to any HTTPS endpoint (a SOAR tool) that checks an
HMAC-SHA256 signature and de-duplicates on the delivery id, so an attempt that may have landed
is simply repeated, with the same id."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import httpx

from dingscan.alerts.config import WebhookTarget
from dingscan.alerts.delivery import SendContext, post
from dingscan.alerts.news import new_findings
from dingscan.findings import Finding, FindingsDocument
from dingscan.report.base import finding_rows
from dingscan.report.ocsf import event_uid


class WebhookChannel:
    kind = "webhook"
    label = "webhook"
    model = WebhookTarget
    idempotent = True

    def message(
        self, target: WebhookTarget, tenant: str, document: FindingsDocument, delivery_id: str
    ) -> dict[str, Any]:
        return webhook_body(tenant, document, delivery_id)

    async def send(
        self,
        http: httpx.AsyncClient,
        target: WebhookTarget,
        payload: dict[str, Any],
        delivery_id: str,
        context: SendContext,
    ) -> None:
        secret = target.secret.read(context.environ).get_secret_value()
        body = json.dumps(payload, ensure_ascii=False).encode()
        timestamp = str(int(time.time()))
        headers = {
            "X-Dingscan-Timestamp": timestamp,
            "X-Dingscan-Signature": webhook_signature(secret, timestamp, body),
        }
        await post(http, target.url, body, delivery_id, headers)


def webhook_body(tenant: str, document: FindingsDocument, delivery_id: str) -> dict[str, Any]:
    corp_id = document.scan.tenant.corp_id
    return {
        "delivery_id": delivery_id,
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
