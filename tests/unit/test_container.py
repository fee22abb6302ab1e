"""The Dockerfile, exercised without a container engine: what it installs exists, its CMD exits 0."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from dingscan.cli import main
from dingscan.exitcodes import ExitCode

ROOT = Path(__file__).parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def instruction(name: str) -> list[str]:
    """The exec-form arguments of the last ``name`` instruction (ENTRYPOINT, CMD)."""
    found = re.findall(rf"^{name} (\[.*\])$", DOCKERFILE, flags=re.MULTILINE)
    assert found, f"no exec-form {name}"
    return list(json.loads(found[-1]))


def test_the_image_installs_the_signing_and_postgres_extras_and_they_exist() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    installed = re.findall(r"\.whl\)\[([\w,]+)\]", DOCKERFILE)
    assert installed == ["signing,postgres"]
    assert any(dep.startswith("cryptography") for dep in extras["signing"])
    assert any(dep.startswith("psycopg[binary]") for dep in extras["postgres"])


def test_the_default_command_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert instruction("ENTRYPOINT") == ["dingscan"]
    assert main(instruction("CMD")) == ExitCode.OK


def test_the_documented_scan_command_parses(tmp_path: Path) -> None:
    """The docker run line in the Dockerfile's header uses options the scan command has."""
    from dingscan.cli import _parser

    lines = DOCKERFILE.splitlines()
    header = lines[: next(i for i, line in enumerate(lines) if not line.startswith("#"))]
    text = " ".join(line.lstrip("# ").rstrip("\\") for line in header)
    command = text[text.index("dingscan scan") :].split()[1:]
    args = _parser().parse_args(command)
    assert args.output == Path("/out/findings.json") and args.policy == Path("/config/policy.yaml")
