"""Outputs that are not regular files: devices and FIFOs are written through, links followed.

``--output``, ``--metrics`` and ``report --output`` used to write a temporary file and rename it
over the target: a FIFO that a SIEM agent reads got nothing, a link to its spool file was cut off
from it, and as root ``--output /dev/null`` replaced the system's ``/dev/null``.
"""

from __future__ import annotations

import os
import socket
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import dingscan.cli as cli
from dingscan.emulator import Emulator
from dingscan.exitcodes import ExitCode
from dingscan.fsutil import atomic_write_text


@contextmanager
def fifo_reader(path: Path) -> Iterator[list[bytes]]:
    """A FIFO at ``path`` with a reader, as a SIEM agent would hold it; yields what it read."""
    os.mkfifo(path, 0o600)
    read: list[bytes] = []
    thread = threading.Thread(target=lambda: read.append(path.read_bytes()), daemon=True)
    thread.start()
    yield read
    thread.join(timeout=60)
    assert not thread.is_alive(), "the FIFO was never written and closed"


def test_a_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "siem.pipe"
    with fifo_reader(fifo) as read:
        atomic_write_text(fifo, '{"a": 1}\n')
    assert read == [b'{"a": 1}\n']
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["siem.pipe"]


def test_dev_null_is_written_through() -> None:
    atomic_write_text(Path("/dev/null"), "findings")  # before: mkstemp in /dev (PermissionError)
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


def test_a_symlink_keeps_pointing_at_its_target_which_is_replaced(tmp_path: Path) -> None:
    spool = tmp_path / "spool" / "dingscan.json"
    spool.parent.mkdir()
    spool.write_text("old")
    link = tmp_path / "findings.json"
    link.symlink_to(spool)

    atomic_write_text(link, "new")

    assert link.is_symlink() and link.resolve() == spool
    assert spool.read_text() == "new"
    assert sorted(p.name for p in spool.parent.iterdir()) == ["dingscan.json"]


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "findings.json"
    link.symlink_to(tmp_path / "target.json")
    atomic_write_text(link, "new")
    assert link.is_symlink() and (tmp_path / "target.json").read_text() == "new"


def test_a_socket_is_refused_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(OSError, match="not a regular file, a character device or a FIFO"):
            atomic_write_text(path, "x")
        assert stat.S_ISSOCK(path.lstat().st_mode)


def test_scan_output_and_metrics_reach_the_fifos_a_siem_agent_reads(
    cli_env: Emulator, tmp_path: Path
) -> None:
    findings, metrics = tmp_path / "findings.pipe", tmp_path / "metrics.pipe"
    with fifo_reader(findings) as got_findings, fifo_reader(metrics) as got_metrics:
        code = cli.main(["scan", "--quiet", "--output", str(findings), "--metrics", str(metrics)])
    assert code != ExitCode.USAGE and code != ExitCode.FATAL
    assert b'"findings"' in got_findings[0]
    assert b"dingscan_exit_code" in got_metrics[0]
    assert stat.S_ISFIFO(findings.lstat().st_mode) and stat.S_ISFIFO(metrics.lstat().st_mode)


def test_report_output_through_a_symlink_replaces_the_target(cli_env: Emulator, tmp_path: Path) -> None:
    document = tmp_path / "findings.json"
    cli.main(["scan", "--quiet", "--output", str(document)])
    target = tmp_path / "siem" / "report.html"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "report.html"
    link.symlink_to(target)

    assert cli.main(["report", str(document), "--format", "html", "--output", str(link)]) == ExitCode.OK
    assert link.is_symlink() and target.read_text().startswith("<!DOCTYPE html>")
