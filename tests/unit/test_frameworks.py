"""Frameworks are data: validated against the built-in pack, and what findings and documents show."""

from pathlib import Path

import pytest

from dingscan.cli import main
from dingscan.engine import load_checks, run_check
from dingscan.exitcodes import ExitCode
from dingscan.frameworks import (
    FrameworkError,
    builtin_frameworks,
    frameworks_dir,
    load_frameworks,
    reference_labels,
    validate_frameworks,
)
from dingscan.policy import Policy
from factories import builtin_check, snapshot

IDS = [c.metadata.control_id for c in load_checks(plugins=False)]
FRAMEWORK = """\
id: acme
name: ACME
title: ACME Security Standard
order: 9
basis_required: true
controls:
{controls}
"""


def write(directory: Path, controls: str) -> Path:
    (directory / "acme.yaml").write_text(FRAMEWORK.format(controls=controls), encoding="utf-8")
    return directory


def every_control(mapping: str = "[]") -> str:
    return "\n".join(f"  {control}: {mapping}" for control in IDS)


def test_the_builtin_frameworks_cover_every_control_of_the_builtin_pack() -> None:
    assert [f.id for f in builtin_frameworks()] == ["pdpo", "iso27001", "cis_v8", "pipl"]
    validate_frameworks(builtin_frameworks(), IDS)


def test_every_pipl_mapping_says_what_in_the_law_supports_it() -> None:
    pipl = next(f for f in builtin_frameworks() if f.id == "pipl")
    assert pipl.basis_required
    mapped = {c: refs for c, refs in pipl.controls.items() if refs}
    assert all(r.ref.startswith("Art. ") and r.basis for refs in mapped.values() for r in refs)
    assert pipl.controls["DT.GOV.4"] == []  # explicitly not mapped: no article reaches a reseller


def test_a_framework_naming_an_unknown_control_or_missing_one_is_refused(tmp_path: Path) -> None:
    frameworks = load_frameworks(write(tmp_path, every_control().replace("DT.IDN.1:", "DT.IDN.9:")))
    with pytest.raises(FrameworkError, match=r"unknown control DT\.IDN\.9; DT\.IDN\.1 is neither mapped"):
        validate_frameworks(frameworks, IDS)


def test_a_mapping_without_its_basis_is_refused_where_the_framework_requires_one(tmp_path: Path) -> None:
    frameworks = load_frameworks(write(tmp_path, every_control("[A-1]")))
    with pytest.raises(FrameworkError, match=r"DT\.IDN\.1 A-1 has no basis"):
        validate_frameworks(frameworks, IDS)


def test_a_number_where_a_reference_belongs_is_refused_not_rounded(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError, match=r"acme\.yaml:\d+: controls\.DT\.IDN\.1"):
        load_frameworks(write(tmp_path, every_control("[8.10]")))


def test_adding_a_framework_is_adding_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for path in frameworks_dir().glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    basis = "{ref: A-1, basis: the standard asks for it}"
    write(tmp_path, every_control(f"[{basis}]"))
    monkeypatch.setattr("dingscan.frameworks.frameworks_dir", lambda: tmp_path)
    builtin_frameworks.cache_clear()
    try:
        finding = run_check(builtin_check("DT.PRV.1"), snapshot(admins=[]), Policy())
        assert finding.references["acme"] == ["A-1"] and finding.references["pipl"] == ["Art. 51(4)"]
    finally:
        builtin_frameworks.cache_clear()


def test_findings_carry_every_frameworks_references_by_id() -> None:
    finding = run_check(builtin_check("DT.GOV.5"), snapshot(), Policy())
    assert finding.references == {
        "pdpo": ["DPP4"],
        "iso27001": ["A.6.3"],
        "cis_v8": ["14.1"],
        "pipl": ["Art. 51(4)"],
    }


def test_reports_label_each_reference_with_its_frameworks_name() -> None:
    labels = reference_labels({"pdpo": ["DPP4"], "cis_v8": ["14.1"], "pipl": ["Art. 51(4)"], "acme": ["A-1"]})
    assert labels == ["PDPO DPP4", "CIS Controls v8 14.1", "PIPL Art. 51(4)", "acme A-1"]


def test_checks_command_lists_the_controls_a_framework_maps(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checks", "--framework", "pipl"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "DT.GOV.5" in out and "Art. 51(4)" in out and "DT.GOV.4" not in out


def test_an_unknown_framework_is_a_one_line_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checks", "--framework", "nist"]) == ExitCode.USAGE
    assert "unknown framework 'nist'; known: pdpo, iso27001, cis_v8, pipl" in capsys.readouterr().err
