"""``--format``/``--output``/``--output-dir`` and ``dingscan report``: files, names, permissions, errors."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from dingscan.cli import main
from dingscan.exitcodes import ExitCode
from dingscan.findings import FindingsDocument
from dingscan.report.formats import FORMATS, output_name
from dingscan.resources import packaged_path

DEMO = packaged_path("fixtures/demo")


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dingscan: error: ") and "Traceback" not in err, err
    return lines[0]


def test_demo_writes_every_format_owner_only(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["demo", "--output-dir", "out"] + [a for name in FORMATS for a in ("--format", name)]
    assert main(args) == ExitCode.OK  # the demo exits 0 when it replays as recorded
    written = sorted(p.name for p in (workdir / "out").iterdir())
    assert len(written) == len(FORMATS)
    assert {name.split(".", 1)[1] for name in written} == {f.suffix for f in FORMATS.values()}
    for path in (workdir / "out").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "controls:" in capsys.readouterr().out  # the terminal summary still shows


def test_output_takes_one_format_and_defaults_to_json(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--output", "f.json"]) == ExitCode.OK
    assert json.loads(Path("f.json").read_text())["schema_version"].startswith("1.")
    assert main(["demo", "--format", "csv", "--output", "f.csv"]) == ExitCode.OK
    assert Path("f.csv").read_text().startswith("uid,control_id,")
    capsys.readouterr()
    assert main(["demo", "--format", "csv", "--format", "html", "--output", "x"]) == ExitCode.USAGE
    assert "--output-dir" in one_line_error(capsys.readouterr().err)


def test_format_alone_writes_into_the_current_folder(workdir: Path) -> None:
    assert main(["demo", "--format", "markdown"]) == ExitCode.OK
    [written] = list(workdir.iterdir())
    assert written.name.startswith("dingscan-ding") and written.suffix == ".md"


def test_report_renders_a_findings_file_without_scanning(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(DEMO / "findings.json"), "--format", "html", "--output", "r.html"]) == 0
    assert "wrote r.html" in capsys.readouterr().out
    assert "Harbour Fintech Ltd" in Path("r.html").read_text()


def test_report_of_a_bundle_uses_its_recording_and_says_it_was_verified(workdir: Path) -> None:
    assert main(["report", str(DEMO), "--format", "ocsf", "--format", "markdown", "--output-dir", "o"]) == 0
    document = FindingsDocument.model_validate_json((DEMO / "findings.json").read_bytes())
    markdown = (workdir / "o" / output_name(document, FORMATS["markdown"])).read_text()
    assert "Bundle integrity:** verified" in markdown
    events = (workdir / "o" / output_name(document, FORMATS["ocsf"])).read_text().splitlines()
    assert json.loads(events[0])["unmapped"]["bundle_integrity"].startswith("verified")


def test_report_of_a_tampered_bundle_is_refused_unless_allowed(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = workdir / "b"
    shutil.copytree(DEMO, bundle)
    with (bundle / "findings.json").open("a") as handle:
        handle.write(" ")
    assert main(["report", str(bundle), "--format", "markdown", "--output", "r.md"]) == ExitCode.USAGE
    assert "--allow-unverified" in one_line_error(capsys.readouterr().err)
    args = ["report", str(bundle), "--allow-unverified", "--format", "markdown", "--output", "r.md"]
    assert main(args) == 0
    assert "UNVERIFIED" in Path("r.md").read_text()


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"{}", "not a dingscan findings document"), (b"\xff\xfe", "not a dingscan findings document")],
)
def test_report_of_something_else_is_one_line(
    workdir: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    Path("x.json").write_bytes(content)
    assert main(["report", "x.json", "--format", "csv"]) == ExitCode.USAGE
    assert expected in one_line_error(capsys.readouterr().err)


def test_report_needs_a_format_and_an_existing_source(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(DEMO / "findings.json")]) == ExitCode.USAGE
    assert "--format" in one_line_error(capsys.readouterr().err)
    assert main(["report", "missing.json", "--format", "csv"]) == ExitCode.USAGE
    assert "missing.json" in one_line_error(capsys.readouterr().err)


def test_file_names_are_safe_whatever_the_tenant_is_called() -> None:
    document = FindingsDocument.model_validate_json((DEMO / "findings.json").read_bytes())
    tenant = document.scan.tenant.model_copy(update={"corp_id": "../../etc/passwd", "org_name": None})
    hostile = document.model_copy(update={"scan": document.scan.model_copy(update={"tenant": tenant})})
    name = output_name(hostile, FORMATS["html"])
    assert "/" not in name and ".." not in name and name.endswith(".html")
