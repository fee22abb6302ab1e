"""``dingscan new-check``: a new control is its check, its test and its framework rows, written
together, loadable at once, and MANUAL (never PASS) until someone writes it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dingscan.cli import main
from dingscan.engine import load_checks
from dingscan.exitcodes import ExitCode
from dingscan.findings import Status
from dingscan.frameworks import load_frameworks, validate_frameworks
from dingscan.policy import Policy
from factories import snapshot

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    for folder in ("checks", "frameworks"):
        shutil.copytree(PROJECT / folder, tmp_path / folder)
    return tmp_path


def test_a_new_control_loads_maps_and_stays_manual_until_written(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new-check", "DT.NEW.1", "--root", str(checkout)]) == ExitCode.OK
    out = capsys.readouterr().out
    assert f"wrote {checkout / 'checks' / 'dt_new_1.py'}" in out and "next: map it in frameworks" in out
    compile((checkout / "tests" / "checks" / "test_dt_new_1.py").read_text(), "test_dt_new_1.py", "exec")

    only_new = tmp_path / "only-new"
    only_new.mkdir()
    shutil.copy(checkout / "checks" / "dt_new_1.py", only_new)
    new = next(c for c in load_checks([only_new], plugins=False) if c.metadata.control_id == "DT.NEW.1")
    assert new.evaluate(snapshot(), Policy()).status is Status.MANUAL  # a stub never passes

    ids = [c.metadata.control_id for c in load_checks(plugins=False)] + ["DT.NEW.1"]
    validate_frameworks(load_frameworks(checkout / "frameworks"), ids)  # every file names it, as []
    for framework in (checkout / "frameworks").glob("*.yaml"):
        before = (PROJECT / "frameworks" / framework.name).read_text()
        assert framework.read_text() == before + "  DT.NEW.1: []\n"  # comments and order kept


def test_nothing_is_overwritten_and_a_bad_id_or_folder_is_one_line(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new-check", "DT.PRV.2", "--root", str(checkout)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "dt_prv_2.py already exists" in err and "already maps DT.PRV.2" in err
    assert main(["new-check", "dt.new.1", "--root", str(checkout)]) == ExitCode.USAGE
    assert "not a control id of the form DT.ABC.1" in capsys.readouterr().err
    assert main(["new-check", "DT.NEW.1", "--root", str(tmp_path / "elsewhere")]) == ExitCode.USAGE
    assert "not a dingscan checkout" in capsys.readouterr().err
