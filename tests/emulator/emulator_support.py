"""Fixtures for the emulator's own tests: a started demo emulator and raw clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from raw_dingtalk import NOW, RawDingTalk, demo_tenant

from dingscan.emulator import Emulator, Tenant

Serve = Callable[..., RawDingTalk]


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as client:
        yield client


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(demo_tenant(), now=NOW) as emulator:
        yield emulator


@pytest.fixture
def dt(emu: Emulator, http: httpx.Client) -> RawDingTalk:
    return RawDingTalk(emu, http)


@pytest.fixture
def serve(http: httpx.Client) -> Iterator[Serve]:
    """Start an emulator with chosen tenant/options; stopped when the test ends."""
    started: list[Emulator] = []

    def start(tenant: Tenant | None = None, **options: Any) -> RawDingTalk:
        options.setdefault("now", NOW)
        emulator = Emulator(tenant or demo_tenant(), **options).start()
        started.append(emulator)
        return RawDingTalk(emulator, http)

    yield start
    for emulator in started:
        emulator.stop()
