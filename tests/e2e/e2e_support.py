"""End-to-end fixtures: a real loopback DingTalk emulator and settings pointing at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dingscan.emulator import Emulator, Tenant, generate_tenant
from dingscan.emulator.tenant import AppCredentials
from dingscan.inputs import InputFile, JudgementInputs
from dingscan.policy import Policy
from dingscan.settings import Settings

CANARY_SECRET = "canary-app-secret-7d1f3b9e2a"


@pytest.fixture(scope="session")
def tenant() -> Tenant:
    tenant = generate_tenant(members=120, seed=11)
    return tenant.model_copy(update={"app": AppCredentials(app_key="e2e-app-key", app_secret=CANARY_SECRET)})


@pytest.fixture
def emulator(tenant: Tenant) -> Iterator[Emulator]:
    with Emulator(tenant, qps=None) as emu:
        yield emu


def settings_for(emu: Emulator, tenant: Tenant, **overrides: object) -> Settings:
    return emu.scanner_settings(**({"corp_id": tenant.corp_id, "qps": 200.0, "timeout": 2.0} | overrides))


def judged_by(policy: Policy) -> JudgementInputs:
    return JudgementInputs(policy, InputFile("test policy", policy.to_yaml()), None, None)
