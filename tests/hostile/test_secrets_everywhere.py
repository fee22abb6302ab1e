"""A secret a hostile server (or a plugin check) echoes back never leaves the process."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_server import SECRET, HostileProxy, oapi_error, serve

from dingscan.cli import main
from dingscan.emulator import Emulator

ESCAPED = "".join(f"\\u{ord(c):04x}" for c in SECRET)  # the secret as JSON escapes: \u0068\u006f...

LEAKY_PLUGIN = """
import os
from dingscan.check import Check
from dingscan.findings import Severity
from dingscan.check import CheckMetadata


class Leaky(Check):
    metadata = CheckMetadata(
        control_id="ZZ.LKY.1", title="leaks", severity=Severity.LOW, rationale="r", remediation="r",
        evidence="none",
    )
    requires = ()

    def evaluate(self, snapshot, policy):
        raise RuntimeError("cannot judge with " + os.environ["DINGSCAN_APP_SECRET"])
"""


@pytest.mark.parametrize("echo", [SECRET, ESCAPED], ids=["plain", "json-escaped"])
def test_an_echoed_secret_is_scrubbed_from_terminal_output_and_bundle(
    cli_env: Emulator,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    echo: str,
) -> None:
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "leaky.py").write_text(LEAKY_PLUGIN)
    proxy = HostileProxy(
        cli_env.oapi_url, rewrite=oapi_error("/topapi/role/list", 400002, f"invalid appSecret {echo}")
    )
    with serve(proxy) as oapi_url:
        monkeypatch.setenv("DINGSCAN_OAPI_URL", oapi_url)
        args = ["scan", "--record", str(tmp_path / "b"), "--output", str(tmp_path / "f.json")]
        main([*args, "--checks-dir", str(plugins)])
    out = capsys.readouterr()
    assert "/topapi/role/list rejected" in out.out  # the echo did reach a reason, scrubbed
    assert "check failed to run: RuntimeError: cannot judge with ***" in (tmp_path / "f.json").read_text()
    texts = {"terminal": out.out + out.err, "--output": (tmp_path / "f.json").read_text()}
    texts |= {f"bundle {p.name}": p.read_text() for p in (tmp_path / "b").iterdir()}
    leaks = [where for where, text in texts.items() if SECRET in text or ESCAPED in text]
    assert leaks == []


@pytest.mark.parametrize("form", ["?password=pg-Secret-7", "?password=pg%20Secret%207", ":pg-Secret-7"])
def test_a_state_url_password_in_any_form_is_never_printed(  # type: ignore[no-untyped-def]
    cli_env: Emulator, postgres_server, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    """Only ``user:password@`` was masked: a query-string password reached stderr as written."""
    user_part, _, query = form.partition("?")
    url = f"postgresql://nobody{user_part}@127.0.0.1:{postgres_server.port}/missing"
    assert main(["scan", "--quiet", "--state", url + (f"?{query}" if query else "")]) == 2
    err = capsys.readouterr().err
    assert "Secret" not in err and "state postgresql://nobody" in err, err
