"""Fixtures for the hostile-input tests: a small tenant on a loopback emulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hostile_server import SECRET

from dingscan.emulator import Emulator, Tenant, generate_tenant
from dingscan.emulator.tenant import AppCredentials


@pytest.fixture(scope="session")
def small_tenant() -> Tenant:
    tenant = generate_tenant(members=30, seed=5)
    return tenant.model_copy(update={"app": AppCredentials(app_key="hostile-key", app_secret=SECRET)})


@pytest.fixture
def emu(small_tenant: Tenant) -> Iterator[Emulator]:
    with Emulator(small_tenant, qps=None) as emulator:
        yield emulator


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, emu: Emulator) -> Emulator:
    """DINGSCAN_* variables for an in-process ``dingscan scan`` of the emulator."""
    for name, value in {
        "DINGSCAN_APP_KEY": emu.app_key,
        "DINGSCAN_APP_SECRET": emu.app_secret,
        "DINGSCAN_CORP_ID": emu.tenant.corp_id,
        "DINGSCAN_OAPI_URL": emu.oapi_url,
        "DINGSCAN_API_URL": emu.api_url,
        "DINGSCAN_QPS": "1000",
    }.items():
        monkeypatch.setenv(name, value)
    return emu
