from pathlib import Path

import pytest

from dingscan.attestations import Attestations
from dingscan.cli import main
from dingscan.engine import load_checks
from dingscan.exitcodes import ExitCode
from dingscan.policy import Policy
from dingscan.report.baseline import render_baseline
from dingscan.risks import Exceptions

DOCS = Path(__file__).resolve().parents[2] / "docs" / "baseline.md"
CATALOGUE = [
    *(f"DT.IDN.{n}" for n in range(1, 4)),
    *(f"DT.PRV.{n}" for n in range(1, 8)),
    *(f"DT.EXT.{n}" for n in range(1, 5)),
    *(f"DT.LOG.{n}" for n in range(1, 3)),
    *(f"DT.LCM.{n}" for n in range(1, 6)),
    *(f"DT.APP.{n}" for n in range(1, 3)),
    *(f"DT.DAT.{n}" for n in range(1, 4)),
    *(f"DT.GOV.{n}" for n in range(1, 8)),
]


def test_every_catalogue_control_is_implemented_in_baseline_order() -> None:
    assert [c.metadata.control_id for c in load_checks(plugins=False)] == CATALOGUE


@pytest.mark.parametrize(("lang", "name"), [("en", "baseline.md"), ("zh-HK", "baseline.zh-HK.md")])
def test_committed_baseline_documents_are_up_to_date(lang: str, name: str) -> None:
    expected = render_baseline(load_checks(plugins=False), lang)
    committed = (DOCS.parent / name).read_text(encoding="utf-8")
    assert committed == expected, f"run: dingscan baseline --lang {lang} > docs/{name}"


def test_baseline_command_prints_the_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["baseline"]) == ExitCode.OK
    assert capsys.readouterr().out == render_baseline(load_checks())


def test_init_writes_starter_files_that_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--dir", str(tmp_path)]) == ExitCode.OK
    policy = Policy.load(tmp_path / "dingscan-policy.yaml")
    assert policy.admins.primary_max == 3 and policy.conflicting_roles == [("人事", "财务")]
    assert Attestations.load(tmp_path / "dingscan-attestations.yaml") == Attestations()
    exceptions = tmp_path / "dingscan-exceptions.yaml"
    assert Exceptions.load(exceptions) == Exceptions()
    example = "\n".join(line.removeprefix("# ") for line in exceptions.read_text().splitlines()[13:])
    assert [e.id for e in Exceptions.parse(example, "example").exceptions] == [
        "RISK-2026-014",
        "RISK-2026-015",
    ]


def test_init_writes_starter_files_in_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "--lang", "zh-HK", "--dir", str(tmp_path)]) == ExitCode.OK
    assert capsys.readouterr().out.startswith("已寫入 ")
    policy_text = (tmp_path / "dingscan-policy.yaml").read_text(encoding="utf-8")
    assert policy_text.startswith("# dingscan 政策檔案") and "（主管理员）" in policy_text
    assert Policy.load(tmp_path / "dingscan-policy.yaml").conflicting_roles == [("人事", "財務")]
    assert Attestations.load(tmp_path / "dingscan-attestations.yaml") == Attestations()


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dingscan-policy.yaml").write_text("mine")
    assert main(["init", "--dir", str(tmp_path)]) == ExitCode.USAGE
    assert "already exist" in capsys.readouterr().err
    assert (tmp_path / "dingscan-policy.yaml").read_text() == "mine"
    assert not (tmp_path / "dingscan-attestations.yaml").exists()


def test_committed_findings_schema_is_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == ExitCode.OK
    schema = (DOCS.parent / "findings.schema.json").read_text(encoding="utf-8")
    assert capsys.readouterr().out == schema, "run: dingscan schema > docs/findings.schema.json"
