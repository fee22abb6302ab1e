"""The ``dingscan`` command as a user meets it: exit codes, one-line errors, outputs."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from e2e_support import CANARY_SECRET

from dingscan.cli import main
from dingscan.emulator import Emulator, Tenant
from dingscan.exitcodes import ExitCode


@pytest.fixture
def tenant_env(emulator: Emulator, tenant: Tenant, monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    for key, value in {
        "DINGSCAN_APP_KEY": emulator.app_key,
        "DINGSCAN_APP_SECRET": emulator.app_secret,
        "DINGSCAN_CORP_ID": tenant.corp_id,
        "DINGSCAN_OAPI_URL": emulator.oapi_url,
        "DINGSCAN_API_URL": emulator.api_url,
        "DINGSCAN_QPS": "500",
    }.items():
        monkeypatch.setenv(key, value)
    yield emulator


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("dingscan: error: ")
    assert "Traceback" not in err
    return lines[0]


def test_scan_writes_findings_and_exits_1_on_failures(tenant_env: Emulator, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(["scan", "--output", str(tmp_path / "f.json"), "--quiet"])
    out = capsys.readouterr().out
    assert code == ExitCode.FAILURES
    document = json.loads((tmp_path / "f.json").read_text())
    assert document["schema_version"].startswith("1.")
    assert document["scan"]["mode"] == "live"
    assert "controls:" in out and CANARY_SECRET not in out


def test_record_then_replay_from_the_command_line(tenant_env: Emulator, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bundle = tmp_path / "bundle"
    assert main(["scan", "--record", str(bundle), "--quiet", "--json"]) == ExitCode.FAILURES
    live = json.loads(capsys.readouterr().out)
    assert main(["replay", str(bundle), "--json"]) == ExitCode.FAILURES
    captured = capsys.readouterr()
    replayed = json.loads(captured.out)
    assert "identical to the recorded scan" in captured.err
    assert replayed["findings"] == live["findings"]


def test_recording_into_a_non_empty_folder_is_refused(tenant_env: Emulator, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "keep.txt").write_text("precious")
    assert main(["scan", "--record", str(tmp_path), "--quiet"]) == ExitCode.USAGE
    assert "not empty" in one_line_error(capsys.readouterr().err)
    assert (tmp_path / "keep.txt").read_text() == "precious"


def test_bad_credentials_are_fatal_and_one_line(
    tenant_env: Emulator, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DINGSCAN_APP_SECRET", "wrong-secret-123456")
    assert main(["scan", "--quiet"]) == ExitCode.FATAL
    line = one_line_error(capsys.readouterr().err)
    assert "rejected the app key/secret" in line and "wrong-secret-123456" not in line


def test_missing_credentials_are_a_usage_error(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DINGSCAN_APP_KEY", raising=False)
    monkeypatch.delenv("DINGSCAN_APP_SECRET", raising=False)
    assert main(["scan"]) == ExitCode.USAGE
    assert "DINGSCAN_APP_KEY" in one_line_error(capsys.readouterr().err)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("admins:\n  primary_max: lots\n", "policy.yaml:2: admins.primary_max"),
        ("nope: 1\n", "nope: unknown key"),
    ],
)
def test_bad_policy_file_is_one_line_naming_the_line(
    tenant_env: Emulator, tmp_path: Path, capsys, content: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    policy = tmp_path / "policy.yaml"
    policy.write_text(content)
    assert main(["scan", "--policy", str(policy)]) == ExitCode.USAGE
    assert expected in one_line_error(capsys.readouterr().err)


def test_replay_of_a_folder_that_is_not_a_bundle(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["replay", str(tmp_path)]) == ExitCode.USAGE
    assert "no manifest.json" in one_line_error(capsys.readouterr().err)


@pytest.mark.parametrize("host", ["http://127.0.0.1:9", "https://no-such-host.invalid"])
def test_a_host_that_hands_out_no_token_is_fatal_in_one_line(  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch, capsys, host: str
) -> None:
    monkeypatch.setenv("DINGSCAN_APP_KEY", "k")
    monkeypatch.setenv("DINGSCAN_APP_SECRET", "s-123456")
    monkeypatch.setenv("DINGSCAN_OAPI_URL", host)
    monkeypatch.setenv("DINGSCAN_API_URL", host)
    monkeypatch.setenv("DINGSCAN_TIMEOUT", "0.5")
    started = time.monotonic()
    code = main(["scan", "--quiet", "--json"])
    captured = capsys.readouterr()
    assert code == ExitCode.FATAL
    assert captured.out == ""  # no findings document that looks like a scan
    line = one_line_error(captured.err)
    assert f"could not get an access token from {host}" in line and "ConnectError" in line
    assert time.monotonic() - started < 10  # three quick tries, not five per area


def test_one_proxy_in_front_of_both_hosts_is_routed_by_path(tenant_env: Emulator, capsys) -> None:  # type: ignore[no-untyped-def]
    # Both hosts on one origin: /v1.0 paths go to the new API, /topapi to the old one.
    import httpx

    from dingscan.client.hosts import HostMap
    from dingscan.client.transport import route

    hosts = HostMap("https://proxy.example", "https://proxy.example")
    token = route(hosts, httpx.Request("POST", "https://proxy.example/v1.0/oauth2/accessToken"))
    users = route(hosts, httpx.Request("POST", "https://proxy.example/topapi/v2/user/list"))
    assert token is not None and token[0].host.value == "api"
    assert users is not None and users[0].host.value == "oapi"
    assert route(hosts, httpx.Request("POST", "https://proxy.example/topapi/user/delete")) is None


def test_checks_lists_every_builtin_control(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["checks"]) == ExitCode.OK
    out = capsys.readouterr().out
    for control in ("DT.IDN.2", "DT.IDN.3", "DT.PRV.1", "DT.PRV.3", "DT.LCM.1"):
        assert control in out


def test_unknown_option_is_a_usage_error(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "--colour"])
    assert exit_info.value.code == ExitCode.USAGE


PLUGIN_WITHOUT_REQUIRES = """
from dingscan.check import Check, CheckMetadata, Outcome
from dingscan.findings import Severity


class OrgNamed(Check):
    metadata = CheckMetadata(
        control_id="ACME.ORG.1", title="t", severity=Severity.LOW, rationale="r", remediation="m",
        evidence="e",
    )

    def evaluate(self, snapshot, policy):
        return Outcome.passed(snapshot.org.get().org_name)
"""


def test_a_plugin_check_without_requires_is_refused_before_any_scan(capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "acme_org_1.py").write_text(PLUGIN_WITHOUT_REQUIRES)
    assert main(["checks", "--checks-dir", str(tmp_path)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "acme_org_1.py: OrgNamed declares no requires" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", "--log-level", "info", "--log-format", "json", "-q"],
        ["replay", "-q", "BUNDLE"],
        ["--log-level", "error", "checks", "--quiet"],
        ["verify", "BUNDLE", "--log-level", "debug"],
    ],
)
def test_global_options_work_after_the_command_too(argv: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    from dingscan.resources import packaged_path

    bundle = str(packaged_path("fixtures/demo"))
    assert main([bundle if a == "BUNDLE" else a for a in argv]) in (ExitCode.OK, ExitCode.FAILURES)


def test_global_option_after_the_command_wins_over_the_one_before() -> None:
    from dingscan.cli import _parser

    args = _parser().parse_args(["--log-level", "error", "demo", "--log-level", "debug"])
    assert args.log_level == "debug" and args.quiet is False
    args = _parser().parse_args(["--log-level", "error", "-q", "demo"])
    assert args.log_level == "error" and args.quiet is True


def test_output_to_an_existing_folder_names_the_folder(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["demo", "--output", str(tmp_path)]) == ExitCode.USAGE
    line = one_line_error(capsys.readouterr().err)
    assert f"--output {tmp_path}: is a folder" in line and ".partial" not in line


def test_output_dash_writes_the_json_to_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--output", "-"]) == ExitCode.OK
    assert json.loads(capsys.readouterr().out)["schema_version"].startswith("1.")
    assert not (tmp_path / "-").exists()


def test_output_dash_prints_the_one_format_asked_for(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["demo", "--format", "csv", "--output", "-"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert out.startswith("uid,control_id,") and "CONTROL " not in out  # the CSV, no summary
    assert main(["demo", "--json", "--output", "-"]) == ExitCode.USAGE
    assert "both print to stdout" in one_line_error(capsys.readouterr().err)


def test_replay_of_a_missing_folder_says_so(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["replay", str(tmp_path / "nope")]) == ExitCode.USAGE
    line = one_line_error(capsys.readouterr().err)
    assert "no such folder" in line and "--allow-unverified" not in line


def test_the_demo_exits_0_when_it_replays_as_recorded(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["demo"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert (
        "replay: findings identical to the recorded scan" in out and "17 FAIL" in out and "1 ACCEPTED" in out
    )


def test_demo_help_says_why_it_exits_0(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    assert "exits 0 when the demo replays as recorded" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize(
    ("fail_on", "expected"), [("critical", ExitCode.FAILURES), ("low", ExitCode.FAILURES)]
)
def test_fail_on_gates_the_exit_code_by_severity(
    tenant_env: Emulator, capsys, fail_on: str, expected: ExitCode
) -> None:  # type: ignore[no-untyped-def]
    assert main(["scan", "--quiet", "--json", "--fail-on", fail_on]) == expected


def test_an_unknown_fail_on_severity_is_a_usage_error(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "--fail-on", "severe"])
    assert exit_info.value.code == ExitCode.USAGE


def free_port_pair() -> int:
    """A port N with N+1 also free just now (other processes on this machine may take either)."""
    for _ in range(50):
        with socket.socket() as first, socket.socket() as second:
            first.bind(("127.0.0.1", 0))
            port = first.getsockname()[1]
            try:
                second.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
            return port
    raise AssertionError("no free pair of ports")


def start_emulator(port: int) -> tuple[subprocess.Popen[str], list[str]]:
    emulator = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "dingscan", "emulator", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert emulator.stdout is not None
    return emulator, [emulator.stdout.readline() for _ in range(3)]


def test_emulator_listens_on_the_port_asked_for() -> None:
    for _ in range(3):  # a port taken between the probe and the start: try another pair
        port = free_port_pair()
        emulator, lines = start_emulator(port)
        if lines[0]:
            break
        emulator.communicate(timeout=30)
    try:
        assert f'DINGSCAN_OAPI_URL="http://127.0.0.1:{port}"' in lines[1], lines
        assert f'DINGSCAN_API_URL="http://127.0.0.1:{port + 1}"' in lines[1], lines
        answer = httpx.post(f"http://127.0.0.1:{port + 1}/v1.0/oauth2/accessToken", json={})
        assert answer.status_code == 400  # the emulator's new host, refusing an empty request
    finally:
        emulator.send_signal(signal.SIGINT)
        _, err = emulator.communicate(timeout=30)
    assert emulator.returncode == ExitCode.OK, err


def test_emulator_on_a_taken_port_is_a_one_line_error(capsys) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["emulator", "--port", str(port)]) == ExitCode.USAGE
    assert f"cannot listen on 127.0.0.1 ports {port} and {port + 1}" in one_line_error(
        capsys.readouterr().err
    )
