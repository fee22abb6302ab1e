"""The terminal summary: the worst first, aligned whatever the text, coloured only on a terminal."""

from __future__ import annotations

import io
import re

import pytest
from demo_document import demo_document, with_findings

from dingscan.findings import ReplayVerdict, Status
from dingscan.report.console import align, render_summary, wants_colour

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def rows(summary: str) -> list[str]:
    lines = summary.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("CONTROL"))
    return [line for line in lines[start + 1 :] if line and not line.startswith(" ")][:-1]


def test_failures_are_ordered_by_severity_then_control() -> None:
    table = rows(render_summary(demo_document()))
    fails = [line.split()[:2] for line in table if " FAIL " in line]
    severities = [severity for _, severity in fails]
    order = ["critical", "high", "medium", "low"]
    assert severities == sorted(severities, key=order.index)
    assert fails[0] == ["DT.IDN.1", "critical"]  # before the low DT.APP.2
    assert table.index(next(r for r in table if r.startswith("DT.IDN.1"))) < table.index(
        next(r for r in table if r.startswith("DT.APP.2"))
    )


def test_columns_line_up_whatever_the_length_of_ids_and_titles() -> None:
    long_id = demo_document().findings[0].model_copy(update={"control_id": "ACME.CUSTOM.LONG.1"})
    summary = render_summary(with_findings([long_id, *demo_document().findings[1:]]))
    table = [line for line in summary.splitlines() if re.match(r"^(CONTROL|[A-Z]+\.)", line)]
    starts = {line.index(line.split()[2]) for line in table if len(line.split()) > 2}
    assert len(starts) == 1, table
    assert align([("a", "中文标题", "x"), ("bbbb", "t", "y")]) == ["a    中文标题 x", "bbbb t        y"]


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert wants_colour(Terminal()) and not wants_colour(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_colour(Terminal())
    coloured = render_summary(demo_document(), colour=True)
    assert "\x1b[31mFAIL\x1b[0m" in coloured
    assert ANSI.sub("", coloured) == render_summary(demo_document())
    assert not ANSI.search(render_summary(demo_document()))


def test_the_summary_shows_the_replay_verdict_and_bundle_integrity() -> None:
    scan = demo_document().scan.model_copy(
        update={
            "bundle_integrity": "verified: every file matches the manifest; unsigned",
            "replay": ReplayVerdict(result="different", differing_controls=["DT.IDN.1", "DT.PRV.1"]),
        }
    )
    summary = render_summary(demo_document().model_copy(update={"scan": scan}))
    assert "bundle: verified: every file matches the manifest; unsigned" in summary
    assert "replay: findings DIFFERENT from the recorded scan (DT.IDN.1, DT.PRV.1)" in summary
    assert Status.FAIL.value in summary


def test_colour_never_lets_hostile_text_through() -> None:
    hostile = demo_document().findings[0].model_copy(update={"message": "\x1b[2K\rDT.PRV.1 high PASS"})
    coloured = render_summary(with_findings([hostile, *demo_document().findings[1:]]), colour=True)
    assert "\\x1b[2K\\x0dDT.PRV.1 high PASS" in coloured
    assert "\x1b[2K" not in coloured and "\r" not in coloured
    assert set(ANSI.findall(coloured)) <= {
        "\x1b[31m",
        "\x1b[35m",
        "\x1b[33m",
        "\x1b[34m",  # ACCEPTED
        "\x1b[32m",
        "\x1b[2m",
        "\x1b[0m",
    }
