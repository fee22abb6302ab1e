import stat
from pathlib import Path

import pytest

from dingscan.errors import ConfigError
from dingscan.fsutil import atomic_write_text
from dingscan.i18n import resolve_language
from dingscan.settings import Settings, load_settings


def test_environment_overrides_file_and_options_override_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "dingscan.yaml"
    config.write_text("corp_id: from-file\nqps: 10\napp_key: k\n")
    monkeypatch.setenv("DINGSCAN_CORP_ID", "from-env")
    settings = load_settings(config, qps=40)
    assert (settings.corp_id, settings.qps, settings.app_key) == ("from-env", 40, "k")


def test_secret_never_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DINGSCAN_APP_SECRET", "canary-secret-value")
    settings = load_settings()
    assert "canary-secret-value" not in repr(settings) and "canary-secret-value" not in str(settings)


def test_bad_values_are_one_line_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="oapi_url: must start with https://"):
        load_settings(oapi_url="ftp://x")
    config = tmp_path / "c.yaml"
    config.write_text("colour: blue\n")
    with pytest.raises(ConfigError, match=r"c.yaml:1: colour: unknown key"):
        load_settings(config)
    monkeypatch.setenv("DINGSCAN_QPS", "fast")
    with pytest.raises(ConfigError, match="qps"):
        load_settings()


def test_missing_credentials_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DINGSCAN_APP_KEY", raising=False)
    monkeypatch.delenv("DINGSCAN_APP_SECRET", raising=False)
    with pytest.raises(ConfigError, match="DINGSCAN_APP_KEY and DINGSCAN_APP_SECRET"):
        load_settings().credentials()


def test_atomic_write_replaces_whole_file_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "out" / "findings.json"
    atomic_write_text(target, "one")
    atomic_write_text(target, "two")
    assert target.read_text() == "two"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["findings.json"]


@pytest.mark.hostile
def test_every_empty_dingscan_variable_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """``DINGSCAN_CORP_ID=`` in a systemd or Kubernetes template made "" the corp_id, and the
    tenant's own corp then counted as a partner org; an empty number was a validation error."""
    for name in Settings.model_fields:
        monkeypatch.setenv(f"DINGSCAN_{name.upper()}", "")
    monkeypatch.setenv("DINGSCAN_STATE", "")
    monkeypatch.setenv("DINGSCAN_LANG", "")

    assert load_settings().model_dump() == Settings().model_dump()
    assert load_settings(corp_id="  ").corp_id is None
    assert resolve_language(environ={"DINGSCAN_LANG": "", "LANG": ""}) == "en"
