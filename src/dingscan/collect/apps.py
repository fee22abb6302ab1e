"""The app inventory (``microApp/allApps``): self-built, built-in and third-party apps."""

from __future__ import annotations

from dingscan.client import endpoints as ep
from dingscan.client.paging import Caller, items_at
from dingscan.snapshot import App, Section


async def collect_apps(client: Caller) -> Section[list[App]]:
    answer = await client.call(ep.ALL_APPS)
    return Section.collected(
        [
            App(
                agent_id=int(raw["agentId"]),
                app_id=int(raw.get("appId") or 0),
                name=str(raw.get("name", "")),
                app_status=int(raw["appStatus"]),
                develop_type=int(raw["developType"]) if raw.get("developType") is not None else None,
            )
            for raw in items_at(answer, "appList", endpoint=ep.ALL_APPS)
        ]
    )
