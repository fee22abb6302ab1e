"""The bundled demo: the README's first command, and the auditor's replay guarantee on it."""

from __future__ import annotations

import json

import pytest

from dingscan.cli import main
from dingscan.evidence import read_bundle, verify_bundle
from dingscan.exitcodes import ExitCode
from dingscan.findings import Status
from dingscan.resources import packaged_path


def test_demo_bundle_is_intact_and_carries_no_credentials() -> None:
    bundle_dir = packaged_path("fixtures/demo")
    verify_bundle(bundle_dir)
    text = "".join(p.read_text(encoding="utf-8") for p in bundle_dir.iterdir())
    assert "demo-app-secret" not in text and "access_token=" not in text


def test_demo_replays_to_the_recorded_findings_with_every_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--json"]) == ExitCode.OK  # its failures are the demo, not news
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert "findings identical to the recorded scan" in captured.err
    assert {f["status"] for f in document["findings"]} == {s.value for s in Status}
    recorded = json.loads(read_bundle(packaged_path("fixtures/demo")).findings_json)
    assert document["findings"] == recorded["findings"]
    assert document["scan"]["as_of"] == recorded["scan"]["as_of"]
    assert document["scan"]["inputs"] == recorded["scan"]["inputs"]
