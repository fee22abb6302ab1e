"""Alerts to a DingTalk group robot and a signed webhook, against a loopback receiver."""

from __future__ import annotations

import base64
import time
from datetime import timedelta
from urllib.parse import quote

import pytest
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.hmac import HMAC

from alert_receiver import Receiver, receiving
from dingscan.alerts.config import RobotTarget, SecretRef, WebhookTarget
from dingscan.alerts.news import new_findings
from dingscan.alerts.robot import robot_message, robot_sign
from dingscan.alerts.send import Notifier
from dingscan.findings import Changes, Finding, FindingsDocument, ResourceKey, Status
from dingscan.report.ocsf import event_uid
from dingscan.resources import packaged_path

ROBOT_TOKEN = "robot-token-4c9d2e7f1a"
ROBOT_SECRET = "SECrobot-secret-8b3f0d6a2e"
HOOK_SECRET = "webhook-secret-1e5a7c9b3d"
ENV = {"ROBOT_TOKEN": ROBOT_TOKEN, "ROBOT_SECRET": ROBOT_SECRET, "HOOK_SECRET": HOOK_SECRET}


@pytest.fixture(scope="module")
def document() -> FindingsDocument:
    return FindingsDocument.model_validate_json(packaged_path("fixtures/demo/findings.json").read_bytes())


def robot(receiver: Receiver) -> RobotTarget:
    return RobotTarget(
        kind="dingtalk_robot",
        token=SecretRef(env="ROBOT_TOKEN"),
        secret=SecretRef(env="ROBOT_SECRET"),
        url=f"{receiver.url}/robot/send",
    )


def webhook(receiver: Receiver) -> WebhookTarget:
    return WebhookTarget(kind="webhook", url=f"{receiver.url}/hook", secret=SecretRef(env="HOOK_SECRET"))


def notifier() -> Notifier:
    return Notifier(attempts=3, base_wait=0.01, timeout=0.5, environ=ENV)


def test_robot_sign_is_dingtalks_recipe_computed_independently() -> None:
    """DingTalk's recipe (and its Java sample): URLEncoder.encode(base64(HmacSHA256(key=secret,
    "{timestamp}\\n{secret}")), "UTF-8"), here with another HMAC implementation."""
    timestamp, secret = 1577808000000, "SEC175ff0376a2551f1e785fab47fe2bb42"
    mac = HMAC(secret.encode(), SHA256())
    mac.update(f"{timestamp}\n{secret}".encode())
    expected = quote(base64.b64encode(mac.finalize()).decode(), safe="")
    assert robot_sign(timestamp, secret) == expected
    assert "%" in expected or expected.isalnum()  # +, / and = never reach the query string raw


async def test_robot_and_webhook_receive_what_is_new_signed(document: FindingsDocument) -> None:
    with receiving(Receiver(ROBOT_SECRET, HOOK_SECRET)) as receiver:
        warnings = await notifier().notify([robot(receiver), webhook(receiver)], "acme", document)
    assert warnings == []
    robot_message, hook = receiver.received[0], receiver.received[1]["webhook"]
    assert hook["delivery_id"] == receiver.delivery_ids[1] != receiver.delivery_ids[0]
    assert f"delivery {receiver.delivery_ids[0]}" in robot_message["robot"]["markdown"]["text"]
    assert robot_message["token"] == ROBOT_TOKEN and robot_message["robot"]["msgtype"] == "markdown"
    failed = [f for f in document.findings if f.status in (Status.FAIL, Status.ERROR)]
    assert all(f.control_id in robot_message["robot"]["markdown"]["text"] for f in failed)
    assert [c["control_id"] for c in hook["new"]] == [f.control_id for f in failed]
    first = failed[0]
    expected_uid = event_uid(
        document.scan.tenant.corp_id, first.control_id, first.resources[0] if first.resources else None
    )
    assert expected_uid in hook["new"][0]["ocsf_uids"]


async def test_rejected_robot_is_one_warning_without_retries_or_secrets(document: FindingsDocument) -> None:
    with receiving(Receiver(ROBOT_SECRET, HOOK_SECRET, mode="310000")) as receiver:
        warnings = await notifier().notify([robot(receiver)], "acme", document)
    assert receiver.attempts == 1  # a signature or keyword rejection is not fixed by trying again
    assert len(warnings) == 1 and "errcode 310000" in warnings[0] and "\n" not in warnings[0]
    assert ROBOT_TOKEN not in warnings[0] and ROBOT_SECRET not in warnings[0]


@pytest.mark.parametrize(("mode", "said"), [("500", "not delivered: HTTP 500"), ("hang", "maybe delivered")])
async def test_failing_webhook_is_retried_under_one_delivery_id_then_one_warning(
    document: FindingsDocument, mode: str, said: str
) -> None:
    started = time.monotonic()
    with receiving(Receiver(ROBOT_SECRET, HOOK_SECRET, mode=mode)) as receiver:
        warnings = await notifier().notify([webhook(receiver)], "acme", document)
    assert receiver.attempts == 3
    assert len(set(receiver.delivery_ids)) == 1  # every attempt can be de-duplicated
    assert len(warnings) == 1 and warnings[0].startswith(
        f"webhook alert for acme to 127.0.0.1:{receiver.url.rsplit(':', 1)[1]} {said}"
    )
    assert receiver.delivery_ids[0] in warnings[0]
    assert time.monotonic() - started < 5  # bounded: three attempts of 0.5 s at most


async def test_a_robot_that_may_have_posted_is_not_asked_again(document: FindingsDocument) -> None:
    with receiving(Receiver(ROBOT_SECRET, HOOK_SECRET, mode="hang")) as receiver:
        warnings = await notifier().notify([robot(receiver)], "acme", document)
    assert receiver.attempts == 1  # a group cannot de-duplicate: a second post would be read twice
    assert "maybe delivered (no answer in time); not sent again" in warnings[0]


async def test_a_quiet_robot_says_nothing_when_nothing_is_new(document: FindingsDocument) -> None:
    nothing_new = document.model_copy(
        update={"findings": [f for f in document.findings if f.status is Status.PASS]}
    )
    with receiving(Receiver(ROBOT_SECRET, HOOK_SECRET)) as receiver:
        assert await notifier().notify([robot(receiver)], "acme", nothing_new) == []
        assert receiver.attempts == 0
        chatty = robot(receiver).model_copy(update={"quiet": False})
        assert await notifier().notify([chatty], "acme", nothing_new) == []
    assert "0 to look at" in receiver.received[0]["robot"]["markdown"]["title"]


async def test_wrong_robot_secret_is_caught_by_the_receivers_check(document: FindingsDocument) -> None:
    with receiving(Receiver("SECsomething-else-entirely", HOOK_SECRET)) as receiver:
        warnings = await notifier().notify([robot(receiver)], "acme", document)
    assert receiver.received == [] and "310000" in warnings[0]


def test_robot_message_keeps_tenant_text_plain(document: FindingsDocument) -> None:
    failed = next(f for f in document.findings if f.status is Status.FAIL)
    hostile = failed.model_copy(update={"message": "admin [verify now](https://evil.example)\n### *urgent*"})
    findings = [hostile if f is failed else f for f in document.findings]
    text = robot_message("acme", document.model_copy(update={"findings": findings}), "d1")["markdown"]["text"]
    line = next(line for line in text.splitlines() if "verify now" in line)
    assert "\\[verify now\\]\\(https://evil.example\\)" in line and "\\#\\#\\# \\*urgent\\*" in line


def test_with_history_only_new_offenders_and_new_failures_are_news(document: FindingsDocument) -> None:
    since = document.scan.as_of - timedelta(days=1)
    failing = [f for f in document.findings if f.status == Status.FAIL and f.resources]
    unchanged, new_offender, newly_failing = failing[:3]
    assert {f.control_id for f in new_findings(document)} >= {f.control_id for f in failing}  # no history

    def with_changes(finding: Finding) -> Finding:
        if finding is new_offender:
            changes = Changes(
                since=since, previous_status=Status.FAIL, new=[ResourceKey(type="user", id="someone.new")]
            )
        elif finding is newly_failing:
            changes = Changes(since=since, previous_status=Status.PASS)
        else:
            changes = Changes(since=since, previous_status=finding.status)
        return finding.model_copy(update={"changes": changes})

    later = document.model_copy(update={"findings": [with_changes(f) for f in document.findings]})
    news = {f.control_id for f in new_findings(later)}
    assert news == {new_offender.control_id, newly_failing.control_id}
    assert unchanged.control_id not in news
