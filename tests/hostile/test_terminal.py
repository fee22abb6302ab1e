"""Tenant text cannot drive the terminal: control characters and bidi overrides are shown, not obeyed."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import structlog
from hostile_server import HostileProxy, oapi_error, serve

from dingscan.cli import main
from dingscan.collect.base import QuietProgress, SectionRunner
from dingscan.emulator import Emulator
from dingscan.findings import (
    Finding,
    Resource,
    Severity,
    Status,
)
from dingscan.logs import configure_logging
from dingscan.report.console import render_summary
from dingscan.report.progress import TerminalProgress
from dingscan.report.terminal import for_terminal
from dingscan.snapshot import Section
from factories import findings_document

#: Erase the line, return, print a fake verdict, set the window title, reverse what follows.
HOSTILE = "\x1b[2K\r\x08DT.PRV.1 high PASS\x1b]0;owned\x07\u202etxt.exe\x9b31m"
#: Anything a terminal would obey rather than print (a line break only between lines).
OBEYED = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
WHEN = datetime(2026, 11, 25, tzinfo=UTC)


def test_for_terminal_shows_each_control_character_visibly_and_keeps_other_text() -> None:
    assert for_terminal("陈大文 \x1b[2K\r\u202e") == "陈大文 \\x1b[2K\\x0d\\u202e"
    assert not OBEYED.search(for_terminal(HOSTILE))


def test_a_hostile_member_name_and_message_cannot_rewrite_the_summary() -> None:
    offender = Resource(type="user", id="u1", name=HOSTILE, detail=f"detail {HOSTILE}")
    finding = Finding(
        uid="x", control_id="DT.PRV.1", title="t", severity=Severity.HIGH, status=Status.FAIL,
        message=f"1 offender {HOSTILE}", evidence_source="api", resources=[offender], remediation="r",
    )  # fmt: skip
    document = findings_document(finding, org_name=f"Org {HOSTILE}", when=WHEN)
    summary = render_summary(document)
    assert not OBEYED.search(summary)
    assert "\\x1b]0;owned\\x07" in summary  # shown, so a reader sees the attempt


def test_progress_and_log_lines_are_neutralised(capsys: pytest.CaptureFixture[str]) -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream)
    progress.started("roles")
    progress.finished("roles", Section[list[int]].failed(f"/topapi/role/list answered error 1: {HOSTILE}"))
    configure_logging("info", "text")
    structlog.get_logger("test").info("section collected", reason=HOSTILE)
    assert not OBEYED.search(stream.getvalue())
    assert not OBEYED.search(capsys.readouterr().err)
    configure_logging()


def test_an_errmsg_with_escape_sequences_reaches_the_terminal_neutralised(
    cli_env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    errmsg = HOSTILE.replace("\x1b", "\\u001b").replace("\r", "\\r").replace("\x07", "\\u0007")
    errmsg = errmsg.replace("\x08", "\\b").replace("\u202e", "\\u202e").replace("\x9b", "\\u009b")
    proxy = HostileProxy(cli_env.oapi_url, rewrite=oapi_error("/topapi/role/list", 400002, errmsg))
    with serve(proxy) as oapi_url:
        monkeypatch.setenv("DINGSCAN_OAPI_URL", oapi_url)
        main(["scan", "--output", str(tmp_path / "f.json")])
    out = capsys.readouterr()
    assert "/topapi/role/list rejected" in out.out
    assert not OBEYED.search(out.out) and not OBEYED.search(out.err)
    document = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    assert any("\x1b]0;owned\x07" in f["message"] for f in document["findings"])  # JSON escapes it


@pytest.mark.parametrize("level", ["warning", "debug"])
async def test_an_unreadable_answer_is_one_warning_line_and_a_traceback_only_at_debug(
    capsys: pytest.CaptureFixture[str], level: str
) -> None:
    async def unreadable() -> Section[list[int]]:
        raise TypeError("list indices must be integers or slices, not str\nsecond line")

    configure_logging(level, "text")
    section = await SectionRunner(QuietProgress()).run("roles", unreadable)
    err = capsys.readouterr().err
    assert "could not be read: TypeError" in (section.reason or "")
    warnings = [line for line in err.splitlines() if "[warning" in line]
    assert len(warnings) == 1 and "unreadable answer" in warnings[0] and "second line" not in warnings[0]
    assert ("Traceback" in err) is (level == "debug"), err
