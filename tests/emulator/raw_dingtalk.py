"""Test helpers for the emulator's own tests: the fixed clock, tenants, a raw HTTP client.

Deliberately not dingscan's client: these tests check the emulator against the DingTalk docs,
so they speak HTTP directly.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import httpx

from dingscan.emulator import Emulator, Tenant, load_tenant

TENANTS = Path(__file__).resolve().parents[2] / "fixtures" / "tenants"
# 20:00 in Shanghai, so yesterday's activity data is already published.
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@cache
def demo_tenant() -> Tenant:
    """The demo tenant with every endpoint usable: the emulator's own tests exercise them all, so
    the demo's deliberate gaps (no HR app, no external-contact permission) are switched off."""
    demo = load_tenant(TENANTS / "demo.yaml")
    permissions = demo.permissions.model_copy(update={"denied": ()})
    return demo.model_copy(update={"hr_app_enabled": True, "permissions": permissions})


def with_changes(tenant: Tenant, **changes: Any) -> Tenant:
    """A copy of ``tenant``, re-validated so the change is checked like a tenant file."""
    return Tenant.model_validate({**tenant.model_dump(), **changes})


def with_permissions(tenant: Tenant, **changes: Any) -> Tenant:
    return with_changes(tenant, permissions={**tenant.permissions.model_dump(), **changes})


class RawDingTalk:
    """The thinnest possible client: one token, both hosts, answers returned as they come."""

    def __init__(self, emu: Emulator, http: httpx.Client) -> None:
        self.emu = emu
        self.http = http
        self._token: str | None = None

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = self.fetch_token()
        return self._token

    def fetch_token(self) -> str:
        answer = self.http.get(
            f"{self.emu.oapi_url}/gettoken",
            params={"appkey": self.emu.app_key, "appsecret": self.emu.app_secret},
        )
        return str(answer.json()["access_token"])

    def oapi(
        self, path: str, body: dict[str, Any] | None = None, *, token: str | None = None
    ) -> httpx.Response:
        """GET for ``/auth/scopes`` (as documented), POST with a JSON body for the rest."""
        params = {"access_token": token or self.token}
        if path == "/auth/scopes":
            return self.http.get(f"{self.emu.oapi_url}{path}", params=params)
        return self.http.post(f"{self.emu.oapi_url}{path}", params=params, json=body or {})

    def ok(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """A successful old-host answer (fails the test otherwise)."""
        answer: dict[str, Any] = self.oapi(path, body).json()
        assert answer["errcode"] == 0, answer
        return answer

    def result(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.ok(path, body)["result"]

    def api(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        token: str | None = None,
    ) -> httpx.Response:
        headers = {"x-acs-dingtalk-access-token": token or self.token}
        return self.http.request(
            method, f"{self.emu.api_url}{path}", params=params, json=json, headers=headers
        )
