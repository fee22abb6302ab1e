"""Ctrl-C and SIGTERM: the scan stops at once, says so in one line, exits 130, writes nothing.

The scan runs as a real ``dingscan`` process against an in-process emulator that holds every data
call back for ten seconds, so the signal always lands in the middle of collection.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_cli import one_line_error, scan_env, start_scan, wait_until_collecting

from dingscan.cli import main
from dingscan.emulator import Emulator, Fault, Tenant, generate_tenant
from dingscan.exitcodes import ExitCode

HELD_BACK_S = 10.0


@pytest.fixture(scope="module")
def tenant() -> Tenant:
    return generate_tenant(members=40, seed=7)


@pytest.fixture
def slow_emulator(tenant: Tenant) -> Iterator[Emulator]:
    held = Fault("timeout", path=None, times=None, delay=HELD_BACK_S)  # every call but the token's
    with Emulator(tenant, qps=None, faults=[held]) as emu:
        yield emu


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_an_interrupted_scan_exits_130_at_once_and_leaves_no_output(
    slow_emulator: Emulator, tmp_path: Path, signum: signal.Signals
) -> None:
    bundle, findings = tmp_path / "bundle", tmp_path / "findings.json"
    process = start_scan(slow_emulator, "--record", str(bundle), "--output", str(findings), "--quiet")
    try:
        wait_until_collecting(slow_emulator, process)
        time.sleep(1.0)  # about a second into collection: every data call is being held back
        assert process.poll() is None, "the scan ended before it was interrupted"
        sent = time.monotonic()
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=HELD_BACK_S)
        took = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == ExitCode.INTERRUPTED, stderr
    assert took < 5.0
    assert "interrupted" in one_line_error(stderr)
    assert stdout == ""
    assert sorted(tmp_path.iterdir()) == []  # no bundle, no findings, no .partial leftovers


@pytest.fixture
def restore_sigterm() -> Iterator[None]:
    """``main`` makes SIGTERM raise KeyboardInterrupt in this process; put it back afterwards."""
    before = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, before)


def interrupt_while_writing_findings(
    tenant: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, Path, Path]:
    """A scan whose Ctrl-C lands while the findings file is written, after the bundle was.

    A KeyboardInterrupt can surface at any bytecode of the main thread; here it surfaces in the
    ``fsync`` of the findings file's temporary copy. Returns the exit code, the error line, the
    bundle's path and the folder the findings file was to be written in.
    """
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell which file is being written")
    output_dir = tmp_path / "out"
    output_dir.mkdir()
    bundle, findings = tmp_path / "bundle", output_dir / "findings.json"
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if Path(f"/proc/self/fd/{fd}").readlink().parent == output_dir:
            raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with Emulator(tenant, qps=None) as emu:
        for key, value in scan_env(emu).items():
            if key.startswith("DINGSCAN_"):
                monkeypatch.setenv(key, value)
        code = main(["scan", "--record", str(bundle), "--output", str(findings), "--quiet"])
    return code, one_line_error(capsys.readouterr().err), bundle, output_dir


def test_an_interrupt_while_writing_the_findings_leaves_no_partial_file(
    tenant: Tenant,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restore_sigterm: None,
) -> None:
    code, line, _, output_dir = interrupt_while_writing_findings(tenant, tmp_path, monkeypatch, capsys)
    assert code == ExitCode.INTERRUPTED
    assert "interrupted" in line
    assert sorted(output_dir.iterdir()) == []  # neither the file nor its .partial copy


def test_an_interrupt_after_the_bundle_was_written_does_not_claim_nothing_was_written(
    tenant: Tenant,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restore_sigterm: None,
) -> None:
    _, line, bundle, _ = interrupt_while_writing_findings(tenant, tmp_path, monkeypatch, capsys)
    # Either nothing is left behind (as for an interrupt during collection), or the line says what is.
    assert not bundle.exists() or str(bundle) in line, line
