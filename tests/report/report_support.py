"""Report fixtures: the demo's findings, and a live scan of a generated tenant full of hostile names."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from dingscan.emulator import Emulator, Tenant, generate_tenant
from dingscan.engine import load_checks
from dingscan.findings import FindingsDocument
from dingscan.inputs import JudgementInputs
from dingscan.resources import packaged_path
from dingscan.scan import scan_live

#: Names a tenant can hold: markup, script, a spreadsheet formula, right-to-left overrides.
HOSTILE_NAMES = (
    "<script>window.__pwned = 1; alert('xss')</script>",
    '"><img src=x onerror="window.__pwned=2">',
    '=HYPERLINK("http://203.0.113.7/x","click")',
    "\u202eevil\u202c 张伟 [link](http://203.0.113.7) | pipe",
    "<style>body{display:none}</style>",
)
HOSTILE_ORG = "</title><script>window.__pwned = 3</script> Hostile & Co"


def demo_document() -> FindingsDocument:
    return FindingsDocument.model_validate_json(packaged_path("fixtures/demo/findings.json").read_bytes())


def hostile_tenant(seed: int = 3, members: int = 150) -> Tenant:
    tenant = generate_tenant(members=members, seed=seed)
    users = tuple(
        user.model_copy(update={"name": f"{HOSTILE_NAMES[i % len(HOSTILE_NAMES)]} {i}"})
        for i, user in enumerate(tenant.users)
    )
    org = tenant.org.model_copy(update={"name": HOSTILE_ORG})
    return tenant.model_copy(update={"users": users, "org": org})


def scan_of(tenant: Tenant) -> FindingsDocument:
    with Emulator(tenant, qps=None) as emu:
        settings = emu.scanner_settings(qps=500.0, timeout=5.0)
        scan = scan_live(settings, inputs=JudgementInputs.load(), checks=load_checks())
        # In a thread of its own: Playwright's sync API keeps an event loop running in this one.
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, scan).result().document


@pytest.fixture(scope="session")
def demo() -> FindingsDocument:
    return demo_document()


@pytest.fixture(scope="session")
def hostile() -> FindingsDocument:
    return scan_of(hostile_tenant())


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path
