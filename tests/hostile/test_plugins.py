"""A misbehaving plugin check costs its own control, never the scan or its exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import dingscan.engine as engine
from dingscan.cli import main
from dingscan.exitcodes import ExitCode

PLUGIN = """
import threading
from dingscan.check import Check, CheckMetadata
from dingscan.findings import Severity


def meta(control_id):
    return CheckMetadata(
        control_id=control_id, title="plugin", severity=Severity.LOW, rationale="r", remediation="r",
        evidence="none",
    )


class ReturnsNone(Check):
    metadata = meta("ZZ.PLG.1")
    requires = ()

    def evaluate(self, snapshot, policy):
        return None


class Exits(Check):
    metadata = meta("ZZ.PLG.2")
    requires = ()

    def evaluate(self, snapshot, policy):
        raise SystemExit(0)


class NeverReturns(Check):
    metadata = meta("ZZ.PLG.3")
    requires = ()

    def evaluate(self, snapshot, policy):
        threading.Event().wait(5)  # "never", as far as a 0.5 s limit can tell
        return None
"""


def test_plugins_that_return_none_exit_or_hang_cost_only_their_own_control(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "CHECK_TIMEOUT_S", 0.5)
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "bad_checks.py").write_text(PLUGIN)
    exit_code = main(["replay", "--checks-dir", str(plugins), "--json", str(demo_bundle())])
    assert exit_code == ExitCode.FAILURES  # the demo's own FAILs, as without the plugins
    document = json.loads(capsys.readouterr().out)
    verdicts = {f["control_id"]: (f["status"], f["message"]) for f in document["findings"]}
    assert verdicts["ZZ.PLG.1"] == ("ERROR", "check failed to run: returned NoneType, not an Outcome")
    assert verdicts["ZZ.PLG.2"] == ("ERROR", "check failed to run: SystemExit: 0")
    assert verdicts["ZZ.PLG.3"] == ("ERROR", "check failed to run: did not finish within 0.5 s")
    assert sum(status == "PASS" for status, _ in verdicts.values()) == 11  # the demo's, untouched
    packs = document["scan"]["check_packs"]
    assert [p["name"] for p in packs] == ["built-in", str(plugins)]
    assert packs[0]["version"] and all(len(p["sha256"]) == 64 for p in packs)


def demo_bundle() -> Path:
    from dingscan.resources import packaged_path

    return packaged_path("fixtures/demo")
