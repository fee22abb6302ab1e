"""Where alerts go, and where their credentials live (by reference: never the secret itself).

Each channel's target model; :mod:`dingscan.alerts.channels` joins them into ``NotifyTarget``.

The settings (a config file's ``notify`` key) are built from these models; this module imports
nothing above it (:mod:`dingscan.errors`, :mod:`dingscan.netaddr`), so there is no import circle.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal, Self

import httpx
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr, model_validator

from dingscan.errors import ConfigError
from dingscan.netaddr import is_loopback
from dingscan.redaction import SECRETS


def _https_unless_loopback(url: str) -> str:
    """Alerts name a tenant's weaknesses: they travel encrypted unless they stay on this machine."""
    parsed = httpx.URL(url)
    if parsed.scheme == "https" or (parsed.scheme == "http" and is_loopback(parsed.host)):
        return url
    raise ValueError("must be an https:// address (http:// only on this machine)")


HttpsUrl = Annotated[str, AfterValidator(_https_unless_loopback)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SecretRef(_Model):
    """A secret named by the environment variable or the file (a mounted Kubernetes secret) that holds it."""

    env: str | None = None
    file: Path | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.env is None) == (self.file is None):
            raise ValueError("give exactly one of env (a variable name) or file (a path)")
        return self

    def read(self, environ: Mapping[str, str]) -> SecretStr:
        """The value, registered with the scrubber before anything can print it."""
        if self.env is not None:
            value, where = environ.get(self.env, ""), f"environment variable {self.env}"
        else:
            assert self.file is not None  # noqa: S101 - guaranteed by _exactly_one
            try:
                value, where = self.file.read_text(encoding="utf-8").strip(), f"file {self.file}"
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(
                    f"{self.file}: cannot read: {getattr(exc, 'strerror', None) or exc}"
                ) from None
        if not value:
            raise ConfigError(f"{where} is empty or not set")
        SECRETS.register(value)
        return SecretStr(value)


class RobotTarget(_Model):
    """A DingTalk group's custom robot with 加签 (signing) enabled."""

    kind: Literal["dingtalk_robot"]
    token: SecretRef = Field(description="the access_token of the robot's webhook address")
    secret: SecretRef = Field(description="the robot's signing secret (starts with SEC)")
    url: HttpsUrl = Field(
        "https://oapi.dingtalk.com/robot/send", description="send endpoint (tests: a receiver)"
    )
    quiet: bool = Field(True, description="post nothing when nothing is new (false: '0 to look at' too)")


class WebhookTarget(_Model):
    """Any HTTPS endpoint (a SOAR tool) that verifies an HMAC-SHA256 signature."""

    kind: Literal["webhook"]
    url: HttpsUrl
    secret: SecretRef
    quiet: bool = Field(False, description="send nothing when nothing is new (default: every scan)")
