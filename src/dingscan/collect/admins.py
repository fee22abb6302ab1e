"""Administrators (``listadmin``) and each sub-administrator's directory scope.

``get_admin_scope`` is asked only for sub-admins: a primary admin's reach is the whole tenant by
definition. A scope that could not be read leaves ``dept_ids`` unknown and the section partial.
"""

from __future__ import annotations

import asyncio

from dingscan.client import endpoints as ep
from dingscan.client.errors import DingTalkError
from dingscan.client.paging import Caller, items_at
from dingscan.snapshot import Admin, Section


async def collect_admins(client: Caller) -> Section[list[Admin]]:
    answer = await client.call(ep.ADMIN_LIST)
    listed = [
        Admin(userid=str(raw["userid"]), sys_level=int(raw["sys_level"]))
        for raw in items_at(answer, "result", endpoint=ep.ADMIN_LIST)
    ]
    scopes = await asyncio.gather(*(_scope(client, a) for a in listed))
    admins = [
        a.model_copy(update={"dept_ids": scope}) if isinstance(scope, list) else a
        for a, scope in zip(listed, scopes, strict=True)
    ]
    unreadable = [
        f"{a.userid} ({err.reason})"
        for a, err in zip(listed, scopes, strict=True)
        if isinstance(err, DingTalkError)
    ]
    if unreadable:
        return Section.partial(admins, f"scope of sub-admins could not be read: {'; '.join(unreadable)}")
    return Section.collected(admins)


async def _scope(client: Caller, admin: Admin) -> list[int] | DingTalkError | None:
    if admin.is_primary:
        return None
    try:
        answer = await client.call(ep.ADMIN_SCOPE, body={"userid": admin.userid})
    except DingTalkError as error:
        if error.fatal:
            raise
        return error
    return [int(d) for d in items_at(answer, "dept_ids", endpoint=ep.ADMIN_SCOPE)]
