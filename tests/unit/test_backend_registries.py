"""State backends and alert channels are registries: a new one is a module plus one line (or an
entry point), never another branch in the code that uses them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pytest

from dingscan.alerts import channels
from dingscan.alerts.channels import CHANNELS, target_key
from dingscan.alerts.config import RobotTarget, SecretRef, WebhookTarget
from dingscan.state import StateStore, target
from dingscan.state.target import BACKENDS, Backend, open_store, state_target


@dataclass
class FakeEntryPoint:
    value: Any

    def load(self) -> Any:
        return self.value


def test_a_state_url_is_opened_by_the_backend_its_scheme_names(monkeypatch: pytest.MonkeyPatch) -> None:
    store = cast(StateStore, object())
    opened: list[tuple[str, float]] = []

    def open_memory(url: str, wait_seconds: float) -> StateStore:
        opened.append((url, wait_seconds))
        return store

    monkeypatch.setattr(target, "BACKENDS", {**BACKENDS, "memory": Backend(("memory",), open_memory)})
    assert state_target("memory://nightly") == "memory://nightly"
    assert open_store("memory://nightly", wait_seconds=2) is store
    assert opened == [("memory://nightly", 2)]
    assert state_target("unknown://x") == Path("unknown://x")  # no backend: a directory name


def test_backends_and_channels_come_from_entry_points_too(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = Backend(("memory",), lambda url, wait: cast(StateStore, object()))

    class Pager:
        kind, label, model, idempotent = "pager", "pager", WebhookTarget, True

    groups = {
        target.ENTRY_POINT_GROUP: [FakeEntryPoint(backend)],
        channels.ENTRY_POINT_GROUP: [FakeEntryPoint(Pager())],
    }
    monkeypatch.setattr(target, "entry_points", lambda group: groups[group])
    monkeypatch.setattr(channels, "entry_points", lambda group: groups[group])
    assert target._registered()["memory"] is backend
    assert set(channels._registered()) == {"dingtalk_robot", "webhook", "pager"}


def test_every_channel_is_registered_by_kind_and_a_target_key_holds_no_secret() -> None:
    assert {kind: channel.model for kind, channel in CHANNELS.items()} == {
        "dingtalk_robot": RobotTarget,
        "webhook": WebhookTarget,
    }
    robot = RobotTarget(kind="dingtalk_robot", token=SecretRef(env="TOKEN"), secret=SecretRef(env="SECRET"))
    assert target_key(robot).startswith("dingtalk_robot:")
    assert target_key(robot) == target_key(robot.model_copy(update={"quiet": False}))  # same target
    assert target_key(robot) != target_key(robot.model_copy(update={"token": SecretRef(env="OTHER")}))
