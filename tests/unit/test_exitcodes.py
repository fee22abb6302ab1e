"""Exit codes: one table in exitcodes.py, shown by --help and the README, and how they are chosen."""

from __future__ import annotations

from pathlib import Path

import pytest
from demo_document import demo_document, with_findings

from dingscan.cli import main
from dingscan.exitcodes import MEANINGS, ExitCode, exit_code_for, markdown_table
from dingscan.findings import ReplayVerdict, Severity, Status

README = Path(__file__).parents[2] / "README.md"


def test_the_readme_shows_the_exit_code_table_of_exitcodes_py() -> None:
    assert markdown_table() in README.read_text(encoding="utf-8")


def test_help_lists_every_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    for code, meaning in MEANINGS.items():
        assert f"{int(code)} {' '.join(meaning.replace('`', '').split())}" in out


def test_fail_on_ignores_failures_below_the_threshold() -> None:
    low_fails = [f for f in demo_document().findings if f.status is not Status.FAIL or f.severity.rank >= 3]
    assert {f.severity for f in low_fails if f.status is Status.FAIL} == {Severity.LOW}
    document = with_findings([f for f in low_fails if f.status is not Status.ERROR])
    assert exit_code_for(document) == ExitCode.FAILURES
    assert exit_code_for(document, Severity.LOW) == ExitCode.FAILURES
    assert exit_code_for(document, Severity.MEDIUM) == ExitCode.OK
    assert exit_code_for(with_findings(low_fails), Severity.HIGH) == ExitCode.INCOMPLETE


def test_a_replay_that_differs_outranks_everything_found_in_it() -> None:
    scan = demo_document().scan.model_copy(
        update={"replay": ReplayVerdict(result="different", differing_controls=["DT.IDN.1"])}
    )
    assert exit_code_for(demo_document().model_copy(update={"scan": scan})) == ExitCode.REPLAY_DIFFERENT
    same = scan.model_copy(update={"replay": ReplayVerdict(result="identical")})
    assert exit_code_for(demo_document().model_copy(update={"scan": same})) == ExitCode.FAILURES
