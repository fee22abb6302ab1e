"""``dingscan scan --tenants``: three emulated tenants, one with wrong credentials."""

from __future__ import annotations

import asyncio
import json
from bisect import bisect_right
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from fleet_support import Fleet, start_fleet

import dingscan
from alert_receiver import Receiver, receiving
from dingscan.alerts.config import SecretRef, WebhookTarget
from dingscan.alerts.send import Notifier
from dingscan.cli import main
from dingscan.engine import load_checks
from dingscan.exitcodes import ExitCode
from dingscan.fleet.command import scan_fleet
from dingscan.fleet.runner import FleetOptions
from dingscan.fleet.tenants import TenantsFile
from dingscan.report.formats import FORMATS

CEILING = 40.0


def test_fleet_run_outputs_summary_exit_code_and_shared_ceiling(
    fleet_of_three: Fleet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(
        [
            *("scan", "--tenants", str(fleet_of_three.tenants_file), "--output-dir", str(out)),
            *("--parallel", "3", "--ceiling", str(CEILING), "--format", "json", "--format", "csv", "--quiet"),
            *("--metrics", str(tmp_path / "metrics" / "dingscan.prom")),
        ]
    )
    captured = capsys.readouterr()
    assert code == ExitCode.FATAL  # the worst: t2 could not be scanned at all
    for name in ("t0", "t1"):
        assert sorted(p.suffix for p in (out / name).iterdir()) == [".csv", ".json"]
    assert not (out / "t2").exists()

    rows = {row["tenant"]: row for row in json.loads((out / "fleet-summary.json").read_text())["tenants"]}
    assert rows["t0"]["exit_code"] == rows["t1"]["exit_code"] == ExitCode.FAILURES
    assert rows["t0"]["fail"] > 0 and rows["t0"]["new"] == rows["t0"]["fail"] + rows["t0"]["error"]
    assert rows["t2"]["exit_code"] == ExitCode.FATAL and "rejected" in rows["t2"]["not_scanned"]
    assert "wrong-secret-7f3a91" not in captured.out + captured.err
    assert [line.split()[0] for line in captured.out.splitlines()[1:4]] == ["t0", "t1", "t2"]
    assert "\n\n2 of 3 tenants scanned\n" in captured.out
    assert captured.out.splitlines()[3].split()[:6] == [
        "t2",
        "4",
        "-",
        "-",
        "-",
        "-",
    ]  # not scanned: no counts
    metrics = (tmp_path / "metrics" / "dingscan.prom").read_text()
    assert 'dingscan_exit_code{tenant="t2"} 4.0' in metrics
    assert 'dingscan_last_success_timestamp_seconds{tenant="t0"}' in metrics

    # The emulators' request logs together: no second of the run holds more calls than the ceiling.
    times = fleet_of_three.calls_at()
    assert len(times) > 3 * CEILING, "enough calls to exercise the ceiling"
    busiest = max(bisect_right(times, t + 1.0) - i for i, t in enumerate(times))
    assert busiest <= CEILING


def test_shards_split_the_tenants_without_overlap(fleet_of_three: Fleet, tmp_path: Path) -> None:
    scanned: list[str] = []
    for index in range(2):
        out = tmp_path / f"shard{index}"
        main(
            [
                "scan",
                "--tenants",
                str(fleet_of_three.tenants_file),
                "--output-dir",
                str(out),
                "--shard",
                f"{index}/2",
                "--quiet",
            ]
        )
        scanned += [row["tenant"] for row in json.loads((out / "fleet-summary.json").read_text())["tenants"]]
    assert sorted(scanned) == ["t0", "t1", "t2"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--corp-id", "x"], "--corp-id: one tenant's options"),
        (["--exceptions", "x.yaml"], "--exceptions: one tenant's options"),
        (["--shard", "2/2"], "expected I/N with 0 <= I < N"),
        (["--parallel", "0"], "must be positive"),
    ],
)
def test_bad_fleet_options_are_one_line_usage_errors(
    fleet_of_three: Fleet, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", "--tenants", str(fleet_of_three.tenants_file), *extra]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_a_secret_written_into_the_tenants_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tenants.yaml"
    path.write_text(
        "tenants:\n  - {name: a, corp_id: ding1, app_key: {env: K}, app_secret: the-secret-itself}\n"
    )
    assert main(["scan", "--tenants", str(path)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "app_secret" in err and "the-secret-itself" not in err


def test_fleet_alerts_each_scanned_tenant_once(
    fleet_of_three: Fleet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOOK_SECRET", "fleet-hook-secret-93ab1c")
    with receiving(Receiver("SECunused-robot-secret", "fleet-hook-secret-93ab1c")) as receiver:
        listing = yaml.safe_load(fleet_of_three.tenants_file.read_text())
        listing["notify"] = [
            {"kind": "webhook", "url": f"{receiver.url}/hook", "secret": {"env": "HOOK_SECRET"}}
        ]
        fleet_of_three.tenants_file.write_text(yaml.safe_dump(listing))
        code = main(
            [
                "scan",
                "--tenants",
                str(fleet_of_three.tenants_file),
                "--output-dir",
                str(tmp_path / "o"),
                "--quiet",
            ]
        )
    assert code == ExitCode.FATAL
    assert sorted(r["webhook"]["tenant"] for r in receiver.received) == ["t0", "t1"]  # t2 has no findings


def test_failed_alerts_warn_and_keep_findings_and_exit_code(
    fleet_of_three: Fleet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = TenantsFile.load(fleet_of_three.tenants_file)
    with receiving(Receiver("SECunused-robot-secret", "x-secret-value", mode="500")) as receiver:
        target = WebhookTarget(kind="webhook", url=f"{receiver.url}/hook", secret=SecretRef(env="T0_KEY"))
        listing = listing.model_copy(update={"notify": [target]})
        options = FleetOptions(parallel=3, ceiling=200, output_dir=tmp_path, formats=[FORMATS["json"]])
        notifier = Notifier(attempts=2, base_wait=0.01, timeout=0.5)
        outcomes = asyncio.run(
            scan_fleet(listing, listing.tenants[:1], options, load_checks([]), notifier=notifier)
        )
    assert outcomes[0].exit_code == ExitCode.FAILURES and outcomes[0].outputs[0].exists()
    assert receiver.attempts == 2
    assert (
        f"webhook alert for t0 to {receiver.url.removeprefix('http://')} not delivered: HTTP 500"
        in capsys.readouterr().err
    )


def test_config_policy_is_the_default_for_tenants_naming_none(fleet_of_three: Fleet, tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(
        (Path(dingscan.__file__).parent / "templates" / "policy.yaml").read_text()
    )
    (tmp_path / "dingscan.yaml").write_text("policy: policy.yaml\n")
    listing = TenantsFile.load(fleet_of_three.tenants_file)
    options = FleetOptions(
        parallel=1,
        ceiling=200,
        output_dir=tmp_path / "o",
        formats=[FORMATS["json"]],
        config=tmp_path / "dingscan.yaml",
    )
    (outcome,) = asyncio.run(scan_fleet(listing, listing.tenants[:1], options, load_checks([])))
    assert outcome.document is not None
    assert outcome.document.scan.inputs["policy"].source == str(tmp_path / "policy.yaml")


def test_single_tenant_scan_alerts_from_its_config_file(
    fleet_of_three: Fleet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = fleet_of_three.emulators["t0"]
    for name, value in {
        "DINGSCAN_APP_KEY": emu.app_key,
        "DINGSCAN_APP_SECRET": emu.app_secret,
        "DINGSCAN_CORP_ID": emu.tenant.corp_id,
        "DINGSCAN_OAPI_URL": emu.oapi_url,
        "DINGSCAN_API_URL": emu.api_url,
        "HOOK_SECRET": "single-hook-secret-5d2e8f",
    }.items():
        monkeypatch.setenv(name, value)
    with receiving(Receiver("SECunused-robot-secret", "single-hook-secret-5d2e8f")) as receiver:
        config = {
            "notify": [{"kind": "webhook", "url": f"{receiver.url}/hook", "secret": {"env": "HOOK_SECRET"}}]
        }
        (tmp_path / "dingscan.yaml").write_text(yaml.safe_dump(config))
        code = main(
            ["scan", "--config", str(tmp_path / "dingscan.yaml"), "--output-dir", str(tmp_path / "o")]
        )
    assert code == ExitCode.FAILURES
    assert [r["webhook"]["corp_id"] for r in receiver.received] == [emu.tenant.corp_id]
    assert "warning" not in capsys.readouterr().err


def test_with_a_state_the_summary_and_alerts_say_what_is_new_and_what_is_accepted(
    tmp_path: Path, state_target: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two nightly runs of two tenants: the second reports nothing new, and t0's exceptions file
    (named in the tenants file, relative to it) turns a failing control ACCEPTED."""
    monkeypatch.setenv("HOOK_SECRET", "fleet-hook-secret-93ab1c")
    with ExitStack() as stack, receiving(Receiver("SECunused", "fleet-hook-secret-93ab1c")) as receiver:
        fleet = start_fleet(stack, tmp_path, monkeypatch, 2)
        listing = yaml.safe_load(fleet.tenants_file.read_text())
        listing["notify"] = [
            {"kind": "webhook", "url": f"{receiver.url}/hook", "secret": {"env": "HOOK_SECRET"}}
        ]

        def nightly(run: str) -> dict[str, dict[str, Any]]:
            fleet.tenants_file.write_text(yaml.safe_dump(listing))
            out = tmp_path / run
            args = ["scan", "--tenants", str(fleet.tenants_file), "--output-dir", str(out), "--quiet"]
            assert main([*args, "--state", str(state_target)]) == ExitCode.FAILURES
            rows = json.loads((out / "fleet-summary.json").read_text())["tenants"]
            return {row["tenant"]: row for row in rows}

        first = nightly("first")
        assert all(r["new"] == r["fail"] + r["error"] and r["accepted"] == 0 for r in first.values())
        findings = json.loads(next((tmp_path / "first" / "t0").glob("*.json")).read_text())["findings"]
        failing = next(f["control_id"] for f in findings if f["status"] == "FAIL" and f["resources"])
        (tmp_path / "t0-exceptions.yaml").write_text(
            yaml.safe_dump(
                {
                    "exceptions": [
                        {
                            "id": "RISK-1",
                            "control": failing,
                            "all_resources": True,
                            "reason": "accepted for the test",
                            "owner": "IT",
                            "approved_by": "MD",
                            "reference": "R-1",
                            "expires_on": (date.today() + timedelta(days=30)).isoformat(),
                        }
                    ]
                }
            )
        )
        listing["tenants"][0]["exceptions"] = "t0-exceptions.yaml"
        second = nightly("second")
    assert second["t0"]["accepted"] == 1 and second["t0"]["fail"] == first["t0"]["fail"] - 1
    assert second["t0"]["new"] == second["t1"]["new"] == 0  # nothing new since the first run
    bodies = [r["webhook"] for r in receiver.received]
    assert sorted(b["tenant"] for b in bodies[2:]) == ["t0", "t1"]
    assert all(item["changes"] is None for b in bodies[:2] for item in b["new"])  # no history yet
    assert all(b["new"] for b in bodies[:2]) and not any(b["new"] for b in bodies[2:])
