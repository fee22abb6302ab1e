"""``dingscan validate``: every problem of config, policy and attestations at once, with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dingscan.cli import main
from dingscan.exitcodes import ExitCode
from dingscan.settings import load_settings

WHO = "  attested_by: Jane Chan\n  attested_on: {on}\n  evidence: ISMS-1\n"


def test_every_problem_of_every_file_is_listed_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "policy.yaml").write_text("admins:\n  primary_max: lots\n  sub_max: -1\ncolour: blue\n")
    (tmp_path / "att.yaml").write_text(
        "staff_notice:\n  answer: yes\n" + WHO.format(on="01/11/2026")
        + "backups:\n  last_done_on: 2099-01-01\n" + WHO.format(on="2026-10-01")
    )  # fmt: skip
    (tmp_path / "dingscan.yaml").write_text("qps: fast\npolicy: policy.yaml\nattestations: att.yaml\n")
    config = tmp_path / "dingscan.yaml"
    assert main(["validate", "--config", str(config)]) == ExitCode.USAGE
    out = capsys.readouterr().out
    assert f"{config}:1: qps:" in out
    config.write_text("qps: 30\npolicy: policy.yaml\nattestations: att.yaml\n")
    assert main(["validate", "--config", str(config)]) == ExitCode.USAGE
    out = capsys.readouterr().out.splitlines()
    policy, att = tmp_path / "policy.yaml", tmp_path / "att.yaml"
    assert out[0] == f"{config}: ok"
    assert any(line.startswith(f"{policy}:2: admins.primary_max:") for line in out)
    assert any(line.startswith(f"{policy}:3: admins.sub_max:") for line in out)
    assert f"{policy}:4: colour: unknown key" in out
    assert f"{att}:4: staff_notice.attested_on: expected a date as YYYY-MM-DD, got '01/11/2026'" in out
    assert f"{att}:7: backups.last_done_on: 2099-01-01 is in the future" in out
    assert out[-1] == "5 problems in 3 files"


def test_valid_files_are_ok_and_by_default_the_starter_files_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == ExitCode.USAGE
    assert "nothing to validate" in capsys.readouterr().err
    assert main(["init"]) == ExitCode.OK
    capsys.readouterr()
    assert main(["validate"]) == ExitCode.OK
    assert capsys.readouterr().out.splitlines() == [
        "dingscan-policy.yaml: ok",
        "dingscan-attestations.yaml: ok",
        "dingscan-exceptions.yaml: ok",
    ]


def test_an_exceptions_file_is_validated_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "exceptions.yaml"
    bad.write_text("exceptions:\n  - id: R1\n    control: DT.PRV.1\n    all_resources: true\n")
    assert main(["validate", "--exceptions", str(bad)]) == ExitCode.USAGE
    out = capsys.readouterr().out
    assert f"{bad}:2: exceptions.0.reason: Field required" in out


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--policy", str(tmp_path / "nope.yaml")]) == ExitCode.USAGE
    assert "nope.yaml: cannot read" in capsys.readouterr().out


def test_the_config_file_names_policy_and_attestations_relative_to_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir("/")
    (tmp_path / "dingscan.yaml").write_text("policy: p.yaml\nattestations: /abs/a.yaml\n")
    settings = load_settings(tmp_path / "dingscan.yaml")
    assert settings.policy == tmp_path / "p.yaml" and settings.attestations == Path("/abs/a.yaml")


def test_the_readme_lists_every_config_key() -> None:
    from dingscan.settings import Settings

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Configuration") : readme.index("### The policy file")]
    missing = [key for key in Settings.model_fields if f"`{key}`" not in section]
    assert not missing, missing


@pytest.mark.hostile
def test_an_exceptions_entry_that_repeats_its_control_is_refused_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PyYAML would keep the second ``control:``, accepting every offender of the critical SSO
    control under an entry whose first lines name one low-severity app."""
    exceptions = tmp_path / "exceptions.yaml"
    exceptions.write_text(
        "exceptions:\n  - id: RISK-1\n    control: DT.APP.2\n    resources: ['4001']\n"
        "    reason: vendor app kept\n    owner: Ho Kin Fai\n    approved_by: Chan Tai Man\n"
        "    reference: HF-1\n    expires_on: 2026-12-31\n"
        "    control: DT.IDN.1\n    all_resources: true\n"
    )
    assert main(["validate", "--exceptions", str(exceptions)]) == ExitCode.USAGE
    out = capsys.readouterr().out
    assert f"{exceptions}:10: not valid YAML: duplicate key control (first on line 3)" in out
