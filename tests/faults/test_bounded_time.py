"""A tenant that never answers cannot hang a scan: per-request and per-scan timeouts hold."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_cli import one_line_error, start_scan
from fault_matrix import judgement_inputs

from dingscan.client import RetryPolicy
from dingscan.emulator import Emulator, Fault, Tenant, generate_tenant
from dingscan.engine import load_checks
from dingscan.exitcodes import ExitCode, exit_code_for
from dingscan.findings import Status
from dingscan.scan import scan_live

HANG_S = 60.0  # longer than any test may take: only the emulator stopping ends these calls
REQUEST_TIMEOUT_S = 0.3
SCAN_TIMEOUT_S = 15.0


@pytest.fixture(scope="module")
def tenant() -> Tenant:
    return generate_tenant(members=40, seed=7)


@pytest.fixture
def hanging_emulator(tenant: Tenant) -> Iterator[Emulator]:
    """Every data call hangs; the token endpoint answers (path=None never faults it)."""
    with Emulator(tenant, qps=None, faults=[Fault("timeout", path=None, times=None, delay=HANG_S)]) as emu:
        yield emu


async def test_a_tenant_where_every_call_hangs_gives_errors_in_bounded_time(
    hanging_emulator: Emulator, tenant: Tenant
) -> None:
    settings = hanging_emulator.scanner_settings(
        corp_id=tenant.corp_id,
        qps=1000.0,
        timeout=REQUEST_TIMEOUT_S,
        scan_timeout=SCAN_TIMEOUT_S,
    )
    started = time.monotonic()
    async with asyncio.timeout(SCAN_TIMEOUT_S + 5):  # a hang fails the test instead of stalling it
        result = await scan_live(
            settings,
            inputs=judgement_inputs(),
            checks=load_checks(),
            retry=RetryPolicy(attempts=2, base_wait=0.001, max_wait=0.01),
        )
    took = time.monotonic() - started
    # Sequential stages (scopes, departments, the 专属钉钉 probes) each wait out two timeouts.
    assert took < SCAN_TIMEOUT_S
    document = result.document
    statuses = {f.control_id: f.status for f in document.findings}
    api_controls = {c.metadata.control_id for c in load_checks() if set(c.requires) - {"attestations"}}
    assert {c for c in api_controls if statuses[c] is not Status.ERROR} == set()
    assert Status.PASS not in statuses.values() and Status.FAIL not in statuses.values()
    assert exit_code_for(document) == ExitCode.INCOMPLETE
    reasons = {name: c.reason or "" for name, c in document.coverage.items() if name != "attestations"}
    assert all(c.status == "failed" for n, c in document.coverage.items() if n != "attestations")
    assert all("timed out" in r or "not collected" in r for r in reasons.values()), reasons


def test_a_scan_that_outlasts_scan_timeout_is_fatal_with_one_line(
    hanging_emulator: Emulator, tmp_path: Path
) -> None:
    findings = tmp_path / "findings.json"
    process = start_scan(
        hanging_emulator,
        "--output",
        str(findings),
        "--quiet",
        DINGSCAN_TIMEOUT="30",  # the requests would wait; the scan may not
        DINGSCAN_SCAN_TIMEOUT="1",
    )
    try:
        stdout, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("the scan outlived its scan_timeout by half a minute")
    assert process.returncode == ExitCode.FATAL, stderr
    assert "scan_timeout" in one_line_error(stderr)
    assert stdout == ""
    assert sorted(tmp_path.iterdir()) == []
