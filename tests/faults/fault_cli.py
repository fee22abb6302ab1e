"""Running the ``dingscan`` command against an emulator, as a separate process."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from dingscan.emulator import Emulator

#: Starting Python and importing dingscan; generous, for a busy machine.
STARTUP_S = 20.0


def scan_env(emu: Emulator, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DINGSCAN_")}
    return env | {
        "DINGSCAN_APP_KEY": emu.app_key,
        "DINGSCAN_APP_SECRET": emu.app_secret,
        "DINGSCAN_CORP_ID": emu.tenant.corp_id,
        "DINGSCAN_OAPI_URL": emu.oapi_url,
        "DINGSCAN_API_URL": emu.api_url,
        "DINGSCAN_QPS": "1000",
        **extra,
    }


def start_scan(emu: Emulator, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "dingscan", "scan", *args],
        env=scan_env(emu, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_collecting(emu: Emulator, process: subprocess.Popen[str]) -> None:
    """Until the scan holds a token (the token endpoint is never held back) and is collecting."""
    deadline = time.monotonic() + STARTUP_S
    while not any(c.path == "/v1.0/oauth2/accessToken" for c in emu.calls):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the scan never asked for a token"
        time.sleep(0.05)


def one_line_error(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("dingscan: error: ") and "Traceback" not in stderr
    return lines[0]
