"""The tenants file: which tenants a fleet run scans, and where each one's credentials live.

The file names environment variables or files (Kubernetes mounts secrets as files) that hold
each app key and secret, never the secrets themselves, so it can sit in a ConfigMap or in git.
Relative paths in it are relative to the file, so it works from any working directory.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from dingscan.alerts.channels import NotifyTarget
from dingscan.alerts.config import SecretRef
from dingscan.errors import ConfigError
from dingscan.yamlfile import parse_model, read_text

_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TenantEntry(_Model):
    name: str = Field(pattern=_NAME, description="short unique name: folder of its outputs, metric label")
    corp_id: str
    app_key: SecretRef
    app_secret: SecretRef
    policy: Path | None = None
    attestations: Path | None = None
    exceptions: Path | None = Field(None, description="accepted risks (an exceptions file)")
    oapi_url: str | None = None
    api_url: str | None = None
    notify: list[NotifyTarget] | None = Field(None, description="replaces the file's notify list")


class TenantsFile(_Model):
    tenants: list[TenantEntry] = Field(min_length=1)
    notify: list[NotifyTarget] = []

    @model_validator(mode="after")
    def _unique_names(self) -> Self:
        """Names name output folders; corp_ids key the scan history and its lock, so two entries
        for one corp would share a history (the second reporting nothing new) and block each other."""
        for field, values in (
            ("names", [t.name for t in self.tenants]),
            ("corp_ids", [t.corp_id for t in self.tenants]),
        ):
            if duplicates := sorted({v for v in values if values.count(v) > 1}):
                raise ValueError(f"tenant {field} must be unique: {', '.join(duplicates)}")
        return self

    @classmethod
    def load(cls, path: Path) -> TenantsFile:
        parsed = parse_model(cls, read_text(path, ConfigError), str(path), ConfigError)
        return parsed.relative_to(path.parent)

    def relative_to(self, folder: Path) -> TenantsFile:
        """Input file paths and ``file:`` secrets (app keys and secrets, alert tokens) resolved
        against ``folder`` (the tenants file's own folder)."""

        def resolve(path: Path | None) -> Path | None:
            return None if path is None else folder / path

        tenants = [
            _secrets_relative_to(t, folder).model_copy(
                update={
                    "policy": resolve(t.policy),
                    "attestations": resolve(t.attestations),
                    "exceptions": resolve(t.exceptions),
                }
            )
            for t in self.tenants
        ]
        notify = [_secrets_relative_to(target, folder) for target in self.notify]
        return self.model_copy(update={"tenants": tenants, "notify": notify})

    def targets_for(self, tenant: TenantEntry) -> list[NotifyTarget]:
        return self.notify if tenant.notify is None else tenant.notify


M = TypeVar("M", bound=BaseModel)


def _secrets_relative_to(model: M, folder: Path) -> M:
    """``model`` with every :class:`SecretRef` file inside it, at any depth, resolved against ``folder``."""
    if isinstance(model, SecretRef):
        return model.model_copy(update={"file": folder / model.file}) if model.file else model
    update: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            update[name] = _secrets_relative_to(value, folder)
        elif isinstance(value, list | tuple) and any(isinstance(v, BaseModel) for v in value):
            update[name] = type(value)(
                _secrets_relative_to(v, folder) if isinstance(v, BaseModel) else v for v in value
            )
    return model.model_copy(update=update) if update else model


def credentials(tenant: TenantEntry) -> tuple[str, SecretStr]:
    """The tenant's app key and secret, read from where the tenants file says (secret registered)."""
    return tenant.app_key.read(os.environ).get_secret_value(), tenant.app_secret.read(os.environ)


def parse_shard(text: str) -> tuple[int, int]:
    """``I/N`` with 0 <= I < N: counted from 0 like a Kubernetes Indexed Job's
    ``JOB_COMPLETION_INDEX``, so a pod passes ``--shard $(JOB_COMPLETION_INDEX)/N`` as it is."""
    match = re.fullmatch(r"(\d+)/(\d+)", text.strip())
    if not match or not int(match[1]) < int(match[2]):
        raise ConfigError(f"--shard {text}: expected I/N with 0 <= I < N, for example 0/4")
    return int(match[1]), int(match[2])


def shard(tenants: list[TenantEntry], index: int, count: int) -> list[TenantEntry]:
    """The tenants of slice ``index`` of ``count``: assigned by a hash of the tenant's name, so a
    tenant stays on its slice when others are added, removed or reordered."""
    return [t for t in tenants if _bucket(t.name, count) == index]


def _bucket(name: str, count: int) -> int:
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") % count
