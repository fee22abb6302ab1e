"""Smaller guards: plain http off loopback, --record checked before the scan, fatal never exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

import dingscan.cli as cli
from dingscan.emulator import Emulator
from dingscan.errors import ConfigError
from dingscan.exitcodes import ExitCode
from dingscan.settings import load_settings


def test_plain_http_is_accepted_only_on_loopback_unless_insecure_http(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for url in ("http://127.0.0.1:8080", "http://localhost:8080/prefix", "http://[::1]:8080"):
        assert load_settings(oapi_url=url).oapi_url == url
    with pytest.raises(ConfigError, match=r"http://proxy\.corp\.example is plain http:// off this machine"):
        load_settings(oapi_url="http://proxy.corp.example")
    assert load_settings(api_url="http://proxy.corp.example", insecure_http=True).insecure_http
    monkeypatch.setenv("DINGSCAN_API_URL", "http://10.0.0.8")
    assert cli.main(["scan"]) == ExitCode.USAGE


@pytest.mark.parametrize(
    "output", [["--output", "findings.json"], ["--output-dir", "reports", "--format", "html"]]
)
def test_output_inside_the_bundle_folder_is_refused_before_scanning(
    cli_env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str], output: list[str]
) -> None:
    bundle = tmp_path / "b"
    option, name, *rest = output
    assert cli.main(["scan", "--record", str(bundle), option, str(bundle / name), *rest]) == ExitCode.USAGE
    assert "inside the bundle folder" in capsys.readouterr().err
    assert cli_env.calls == [] and not bundle.exists()


def test_an_unwritable_record_location_is_found_before_scanning(
    cli_env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert cli.main(["scan", "--record", str(blocker / "bundle")]) == ExitCode.USAGE
    assert "Not a directory" in capsys.readouterr().err
    assert cli_env.calls == []  # before: the whole scan ran, then writing the bundle failed


@pytest.mark.parametrize("option", ["--output", "--output-dir", "--metrics"])
def test_an_output_under_a_file_is_found_before_scanning(
    cli_env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert cli.main(["scan", option, str(blocker / "findings")]) == ExitCode.USAGE
    assert f"{blocker}" in capsys.readouterr().err
    assert cli_env.calls == []  # before: the whole scan ran, then writing the findings failed


class PanicException(BaseException):
    """What pyo3 raises for a Rust panic (out of memory in pydantic-core, say): not an Exception."""


@pytest.mark.parametrize("error", [MemoryError(), PanicException("capacity overflow")])
def test_running_out_of_memory_is_fatal_never_controls_failed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], error: BaseException
) -> None:
    def explode(*_: object, **__: object) -> None:
        raise error

    monkeypatch.setattr(cli, "open_bundle", explode)
    assert cli.main(["demo"]) == ExitCode.FATAL
    assert capsys.readouterr().err.startswith("dingscan: error: ")
