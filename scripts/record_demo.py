"""Record the bundled demo: a live scan of the emulated demo tenant, written with --record.

Run from the project root: python scripts/record_demo.py   (replaces fixtures/demo)
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from dingscan.cli import main
from dingscan.emulator import Emulator, load_tenant

ROOT = Path(__file__).resolve().parents[1]
# Relative paths: the bundle's manifest names the input files as given, and must not carry ours.
TENANTS = Path("fixtures/tenants")
BUNDLE = Path("fixtures/demo")


def record() -> int:
    os.chdir(ROOT)
    tenant = load_tenant(TENANTS / "demo.yaml")
    shutil.rmtree(BUNDLE, ignore_errors=True)
    with Emulator(tenant) as emu:
        os.environ.update(
            DINGSCAN_APP_KEY=emu.app_key,
            DINGSCAN_APP_SECRET=emu.app_secret,
            DINGSCAN_CORP_ID=tenant.corp_id,
            DINGSCAN_OAPI_URL=emu.oapi_url,
            DINGSCAN_API_URL=emu.api_url,
        )
        return main(
            [
                "scan",
                "--quiet",
                "--policy",
                str(TENANTS / "demo-policy.yaml"),
                "--attestations",
                str(TENANTS / "demo-attestations.yaml"),
                "--exceptions",
                str(TENANTS / "demo-exceptions.yaml"),
                "--record",
                str(BUNDLE),
            ]
        )


if __name__ == "__main__":
    sys.exit(0 if record() in (0, 1, 3) else 1)
