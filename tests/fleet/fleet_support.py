"""Fleet fixtures: several emulated tenants on loopback and a tenants file naming them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from dingscan.emulator import Emulator, generate_tenant
from dingscan.emulator.tenant import AppCredentials


@dataclass(frozen=True)
class Fleet:
    emulators: dict[str, Emulator]
    tenants_file: Path

    def calls_at(self) -> list[float]:
        return sorted(call.at for emu in self.emulators.values() for call in emu.calls)


def start_fleet(
    stack: ExitStack,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    count: int,
    *,
    wrong_secret: set[str] = frozenset(),  # type: ignore[assignment]
    members: int = 30,
) -> Fleet:
    """``count`` emulated tenants ``t0``..; those in ``wrong_secret`` get a secret their app rejects."""
    emulators: dict[str, Emulator] = {}
    entries = []
    for i in range(count):
        name = f"t{i}"
        secret = f"fleet-secret-{i}-5b8e1c"
        tenant = generate_tenant(members=members, seed=100 + i).model_copy(
            update={"app": AppCredentials(app_key=f"fleet-key-{i}", app_secret=secret)}
        )
        emu = stack.enter_context(Emulator(tenant, qps=None))
        emulators[name] = emu
        monkeypatch.setenv(f"T{i}_KEY", emu.app_key)
        monkeypatch.setenv(f"T{i}_SECRET", "wrong-secret-7f3a91" if name in wrong_secret else secret)
        entries.append(
            {
                "name": name,
                "corp_id": tenant.corp_id,
                "app_key": {"env": f"T{i}_KEY"},
                "app_secret": {"env": f"T{i}_SECRET"},
                "oapi_url": emu.oapi_url,
                "api_url": emu.api_url,
            }
        )
    path = folder / "tenants.yaml"
    path.write_text(yaml.safe_dump({"tenants": entries}))
    return Fleet(emulators, path)


@pytest.fixture
def fleet_of_three(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Fleet]:
    with ExitStack() as stack:
        yield start_fleet(stack, tmp_path, monkeypatch, 3, wrong_secret={"t2"})
