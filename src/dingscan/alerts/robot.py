"""The DingTalk group robot channel (自定义机器人 with 加签): a Markdown message to a group.

A group has no de-duplication: a message posted twice is read twice. So a robot attempt that
may have landed (no answer in time) is not repeated, in this run or the next; and by default a
robot says nothing when nothing is new (``quiet``), since "0 to look at" every night is noise.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from typing import Any
from urllib.parse import quote_plus

import httpx

from dingscan.alerts.config import RobotTarget
from dingscan.alerts.delivery import NotDelivered, SendContext, json_answer, post
from dingscan.alerts.news import new_findings
from dingscan.client.limits import Pacer
from dingscan.findings import FindingsDocument

#: DingTalk throttles a robot for ten minutes past 20 messages a minute: one every 3 s at most.
ROBOT_INTERVAL = 60 / 20
#: Robot answers that no retry can fix (signature/keyword/IP rejected, token invalid).
ROBOT_PERMANENT = frozenset({310000, 300001})
MAX_LISTED = 20  # findings listed in a robot message; the rest are counted


class RobotChannel:
    kind = "dingtalk_robot"
    label = "DingTalk robot"
    model = RobotTarget
    idempotent = False

    def message(
        self, target: RobotTarget, tenant: str, document: FindingsDocument, delivery_id: str
    ) -> dict[str, Any]:
        return robot_message(tenant, document, delivery_id)

    async def send(
        self,
        http: httpx.AsyncClient,
        target: RobotTarget,
        payload: dict[str, Any],
        delivery_id: str,
        context: SendContext,
    ) -> None:
        token = target.token.read(context.environ).get_secret_value()
        secret = target.secret.read(context.environ).get_secret_value()
        pacer = context.pacers.setdefault(token, Pacer(ROBOT_INTERVAL))
        await pacer.wait()
        url = robot_url(target.url, token, secret, int(time.time() * 1000))
        answer = json_answer(await post(http, url, json.dumps(payload).encode(), delivery_id, {}))
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


def robot_message(tenant: str, document: FindingsDocument, delivery_id: str) -> dict[str, Any]:
    news = new_findings(document)
    title = f"dingscan: {tenant}: {len(news)} to look at"
    lines = [f"### {title}", ""]
    lines += [
        f"- **{f.status.value}** {f.control_id}: {_markdown_text(f.message)}" for f in news[:MAX_LISTED]
    ]
    if len(news) > MAX_LISTED:
        lines.append(f"- ... and {len(news) - MAX_LISTED} more")
    lines.append(f"\nscan {document.scan.id}, judged as of {document.scan.as_of:%Y-%m-%d %H:%M} UTC")
    lines.append(f"delivery {delivery_id}")
    return {"msgtype": "markdown", "markdown": {"title": title, "text": "\n".join(lines)}}


def _markdown_text(text: str) -> str:
    """Tenant text (names in a message) as plain text on one line: a user named
    ``[verify](https://evil)`` must not become a link in the security team's group."""
    return re.sub(r"([\\`*_\[\]()#<>!|~])", r"\\\1", " ".join(text.split()))
