"""Roles (``role/list``) and who holds each one (``role/simplelist``, with management scopes)."""

from __future__ import annotations

import asyncio
from typing import Any

from dingscan.client import endpoints as ep
from dingscan.client.paging import Caller, offset_pages
from dingscan.snapshot import Role, RoleMember, Section


async def collect_roles(client: Caller) -> Section[list[Role]]:
    roles = [
        Role(role_id=int(raw["id"]), name=str(raw.get("name", "")), group_name=str(group.get("name", "")))
        async for page in offset_pages(client, ep.ROLE_LIST, {}, size=200)
        for group in page
        for raw in group.get("roles") or []
    ]
    members = await asyncio.gather(*(_members(client, role.role_id) for role in roles))
    return Section.collected(
        [role.model_copy(update={"members": held}) for role, held in zip(roles, members, strict=True)]
    )


async def _members(client: Caller, role_id: int) -> list[RoleMember]:
    return [
        _member(raw)
        async for page in offset_pages(client, ep.ROLE_MEMBERS, {"role_id": role_id}, size=100)
        for raw in page
    ]


def _member(raw: dict[str, Any]) -> RoleMember:
    return RoleMember(
        userid=str(raw["userid"]),
        name=str(raw.get("name", "")),
    )
