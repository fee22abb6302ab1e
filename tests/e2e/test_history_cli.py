"""The history commands and options as a user meets them: diff, history, --state, --exceptions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dingscan.cli import main
from dingscan.exitcodes import ExitCode
from dingscan.resources import packaged_path
from dingscan.run import StateAccess

DEMO = packaged_path("fixtures/demo")


def last_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert err and err[-1].startswith("dingscan: error: ") and "Traceback" not in "\n".join(err)
    return err[-1]


def test_demo_shows_one_accepted_and_one_expired_exception(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--json"]) == ExitCode.OK
    document = json.loads(capsys.readouterr().out)
    assert {e["id"]: e["state"] for e in document["exceptions"]} == {
        "HF-RISK-003": "applied",
        "HF-RISK-001": "expired",
    }
    assert "exceptions" in document["scan"]["inputs"] and (DEMO / "exceptions.yaml").is_file()
    by_control = {f["control_id"]: f for f in document["findings"]}
    assert by_control["DT.EXT.3"]["status"] == "ACCEPTED"
    assert by_control["DT.EXT.3"]["resources"][0]["accepted"]["owner"] == "Ho Kin Fai, IT Manager"
    assert "HF-RISK-001 expired on 2026-10-31" in by_control["DT.LCM.2"]["message"]


def test_accepting_every_failure_turns_the_exit_code_and_never_touches_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--json"]) == ExitCode.OK
    document = json.loads(capsys.readouterr().out)
    failing = [f["control_id"] for f in document["findings"] if f["status"] in ("FAIL", "ACCEPTED", "ERROR")]
    entries = [
        {"id": f"R{n}", "control": c, "all_resources": True, "reason": "accepted for the test",
         "owner": "Owner", "approved_by": "CISO", "reference": "T-1", "expires_on": "2027-06-30"}
        for n, c in enumerate(failing)
    ]  # fmt: skip
    (tmp_path / "exceptions.yaml").write_text(json.dumps({"exceptions": entries}))  # JSON is YAML
    code = main(["replay", str(DEMO), "--exceptions", str(tmp_path / "exceptions.yaml"), "--json"])
    captured = capsys.readouterr()
    assert code == ExitCode.INCOMPLETE  # no FAIL left; DT.EXT.2 is still ERROR
    judged = json.loads(captured.out)
    assert {f["status"] for f in judged["findings"] if f["control_id"] in failing} == {"ACCEPTED", "ERROR"}
    assert judged["scan"]["inputs"]["exceptions"]["source"] == str(tmp_path / "exceptions.yaml")
    assert "identical to the recorded scan" not in captured.err  # judged against other inputs


def test_diff_of_a_bundle_with_itself_finds_nothing_new(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(DEMO), str(DEMO / "findings.json")]) == ExitCode.OK
    out = capsys.readouterr().out
    assert out.startswith("since ") and "0 new failures, 0 resolved" in out


def test_diff_of_something_else_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "x.json").write_text('{"not": "findings"}')
    assert main(["diff", str(tmp_path / "x.json"), str(DEMO)]) == ExitCode.USAGE
    assert "x.json: not a dingscan findings document" in last_error(capsys)
    assert main(["diff", str(tmp_path / "missing.json"), str(DEMO)]) == ExitCode.USAGE
    assert "missing.json" in last_error(capsys)


def test_demo_and_replay_read_the_state_from_the_environment_and_never_write_it(
    state_target: Path | str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DINGSCAN_STATE", str(state_target))
    runs = ((["demo"], ExitCode.OK), (["demo"], ExitCode.OK), (["replay", str(DEMO)], ExitCode.FAILURES))
    for command, code in runs:  # the same recording three times: nothing is out of order
        assert main(command) == code
        assert (
            capsys.readouterr()
            .err.strip()
            .endswith(
                "a replay is not a new scan: the state is read (changes since its last scan), never written"
            )
        )
    if isinstance(state_target, Path):
        assert not state_target.exists()
    else:
        with StateAccess(state_target).opened() as store:
            assert store.tenants() == []


def test_history_needs_a_state_and_a_tenant(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history"]) == ExitCode.USAGE
    assert "--state DIR or DINGSCAN_STATE" in last_error(capsys)
    assert main(["history", "--state", str(tmp_path / "nowhere")]) == ExitCode.USAGE
    assert "no state directory" in last_error(capsys)


def test_diff_refuses_scans_of_two_tenants(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = json.loads((DEMO / "findings.json").read_text())
    other["scan"]["tenant"]["corp_id"] = "dingother"
    (tmp_path / "other.json").write_text(json.dumps(other))
    assert main(["diff", str(DEMO), str(tmp_path / "other.json")]) == ExitCode.USAGE
    assert "scans of different tenants" in last_error(capsys)
