"""How to reach the tenant: credentials, hosts, limits.

Values come from, highest first: command-line options, ``DINGSCAN_*`` environment variables, an
optional YAML config file. The app secret is a ``SecretStr`` (it never shows in a repr, a log or
an error) and is best given by environment or a secrets manager, not in the config file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Self

import httpx
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from dingscan.alerts.channels import NotifyTarget
from dingscan.client.hosts import DEFAULT_API_URL, DEFAULT_OAPI_URL
from dingscan.errors import ConfigError
from dingscan.netaddr import is_loopback
from dingscan.yamlfile import load_yaml_mapping, problems_in, read_text


class Settings(BaseSettings):
    """``env_ignore_empty``: ``DINGSCAN_CORP_ID=`` (how systemd and Kubernetes templates leave a
    value out) means "not set", never the empty value: an empty corp_id would make the tenant's
    own corp look like a partner org."""

    model_config = SettingsConfigDict(
        env_prefix="DINGSCAN_", extra="forbid", frozen=True, env_ignore_empty=True
    )

    app_key: str | None = None
    app_secret: SecretStr | None = None
    corp_id: str | None = None
    oapi_url: str = DEFAULT_OAPI_URL
    api_url: str = DEFAULT_API_URL
    qps: float = Field(20.0, gt=0, le=1000, description="calls per second per API (60 with the add-on)")
    timeout: float = Field(20.0, gt=0, le=300, description="seconds per HTTP request")
    scan_timeout: float = Field(1800.0, gt=0, description="seconds for the whole scan")
    retry_attempts: int = Field(5, ge=1, le=10, description="tries per call for transient failures")
    pseudonym_key: SecretStr | None = Field(
        None, description="key for stable pseudonyms across bundles (default: a random one per bundle)"
    )
    insecure_http: bool = Field(
        False, description="allow plain http:// hosts that are not on loopback (an egress proxy)"
    )
    max_counted_calls: int | None = Field(
        None,
        ge=0,
        description="budget of calls counted against the tenant's monthly quota (5,000 on standard)",
    )
    policy: Path | None = Field(None, description="policy file (in a config file: relative to it)")
    attestations: Path | None = Field(None, description="attestation file (in a config file: relative to it)")
    exceptions: Path | None = Field(None, description="exceptions file (in a config file: relative to it)")
    notify: list[NotifyTarget] = Field([], description="alerts after the scan (README: Alerts)")

    @field_validator("app_key", "corp_id")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        """Blank in a config file or an option is unset too (whitespace included)."""
        return value.strip() or None if value is not None else None

    @field_validator("oapi_url", "api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// (or http:// for a local emulator)")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _plain_http_only_on_loopback(self) -> Self:
        if self.insecure_http:
            return self
        for url in (self.oapi_url, self.api_url):
            if url.startswith("http://") and not is_loopback(httpx.URL(url).host):
                raise ValueError(
                    f"{url} is plain http:// off this machine (credentials would travel in clear); "
                    "use https://, or --insecure-http if you must"
                )
        return self

    def credentials(self) -> tuple[str, SecretStr]:
        if not self.app_key or not self.app_secret or not self.app_secret.get_secret_value():
            raise ConfigError("no app credentials: set DINGSCAN_APP_KEY and DINGSCAN_APP_SECRET")
        return self.app_key, self.app_secret


class _FileValues(PydanticBaseSettingsSource):
    def __init__(self, settings_cls: type[BaseSettings], values: dict[str, Any]) -> None:
        super().__init__(settings_cls)
        self._values = values

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self._values)


#: Config keys that name files: a relative path in the config file is relative to that file.
FILE_KEYS = ("policy", "attestations", "exceptions")


def config_problems(config_file: Path) -> list[str]:
    """Every problem of the config file, one line each with its line number."""
    return problems_in(Settings, read_text(config_file, ConfigError), str(config_file))


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Settings from options (``overrides`` that are not None), environment and ``config_file``."""
    file_values: dict[str, Any] = {}
    if config_file is not None:
        if problems := config_problems(config_file):
            raise ConfigError(problems[0])
        file_values = load_yaml_mapping(config_file)[0]
        for key in FILE_KEYS:
            if isinstance(file_values.get(key), str):
                file_values[key] = config_file.parent / file_values[key]

    class _Layered(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            return init_settings, env_settings, _FileValues(settings_cls, file_values)

    try:
        return _Layered(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(k) for k in error["loc"])
        message = "unknown setting" if error["type"] == "extra_forbidden" else error["msg"]
        where = ": ".join(part for part in (str(config_file or ""), key) if part)
        raise ConfigError(f"{where}: {message.removeprefix('Value error, ')}".lstrip(": ")) from None
