"""Fleet on the run service: the state probed before the first tenant, reports in ``--lang``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from fleet_support import Fleet

from dingscan.cli import main
from dingscan.exitcodes import ExitCode

PG_PASSWORD = "fleet-pg-password-6c1e"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_fleet_with_an_unreachable_postgresql_makes_no_api_call_and_exits_with_one_line(
    fleet_of_three: Fleet, tmp_path: Path
) -> None:
    port = free_port()  # nothing listens there
    url = f"postgresql://scanner:{PG_PASSWORD}@127.0.0.1:{port}/dingscan"
    out = tmp_path / "out"
    options = ["--state", url, "--output-dir", str(out), "--quiet"]
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "dingscan", "scan", "--tenants", str(fleet_of_three.tenants_file), *options],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == ExitCode.USAGE
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith(f"dingscan: error: state postgresql://scanner:***@127.0.0.1:{port}/dingscan: ")
    assert PG_PASSWORD not in result.stderr + result.stdout
    assert fleet_of_three.calls_at() == []  # no tenant spent any quota
    assert not out.exists() or not any(out.iterdir())


def test_fleet_reports_for_people_are_in_the_language_asked(fleet_of_three: Fleet, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["--lang", "zh-HK", "scan", "--tenants", str(fleet_of_three.tenants_file), "--quiet"]
    assert main([*args, "--output-dir", str(out), "--format", "html", "--format", "json"]) == ExitCode.FATAL
    page = next((out / "t0").glob("*.html")).read_text()
    assert '<html lang="zh-HK">' in page and "<h2>摘要</h2>" in page
    assert '"lang": "en"' in next((out / "t0").glob("*.json")).read_text()  # machines read English
