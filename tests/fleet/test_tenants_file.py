"""The tenants file: one entry per corp, and secret files found beside it wherever dingscan runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from dingscan.alerts.config import RobotTarget
from dingscan.errors import ConfigError
from dingscan.fleet.tenants import TenantsFile, credentials

ENTRY = "  - name: {name}\n    corp_id: {corp}\n    app_key: {{env: K}}\n    app_secret: {{env: S}}\n"


@pytest.mark.hostile
def test_two_tenants_with_one_corp_id_are_refused(tmp_path: Path) -> None:
    """They would share one history: the second would report nothing new, and each block the other."""
    path = tmp_path / "tenants.yaml"
    path.write_text(
        "tenants:\n"
        + ENTRY.format(name="hk", corp="dingcorp1")
        + ENTRY.format(name="hk-again", corp="dingcorp1")
    )
    with pytest.raises(ConfigError, match=r"tenants.yaml:\d+: .*tenant corp_ids must be unique: dingcorp1"):
        TenantsFile.load(path)


@pytest.mark.hostile
def test_relative_secret_files_are_read_beside_the_tenants_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "conf"
    (folder / "secrets").mkdir(parents=True)
    for name, value in {
        "key": "app-key-1",
        "secret": "app-secret-1",
        "token": "robot-t",
        "sign": "SECsign",
    }.items():
        (folder / "secrets" / name).write_text(value + "\n")
    (folder / "tenants.yaml").write_text(
        "tenants:\n  - name: hk\n    corp_id: dingcorp1\n"
        "    app_key: {file: secrets/key}\n    app_secret: {file: secrets/secret}\n"
        "notify:\n  - kind: dingtalk_robot\n    token: {file: secrets/token}\n    secret: {file: secrets/sign}\n"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # before: read from ./secrets/key, relative to here

    loaded = TenantsFile.load(Path("../conf/tenants.yaml"))

    key, secret = credentials(loaded.tenants[0])
    assert (key, secret.get_secret_value()) == ("app-key-1", "app-secret-1")
    robot = loaded.notify[0]
    assert isinstance(robot, RobotTarget)
    assert robot.token.read({}).get_secret_value() == "robot-t"
    assert robot.secret.read({}).get_secret_value() == "SECsign"
