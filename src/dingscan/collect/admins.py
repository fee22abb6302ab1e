"""Administrators (``listadmin``), each sub-administrator's directory scope, and whether an
admin is mirrored from a partner organisation.

``get_admin_scope`` is asked only for sub-admins: a primary admin's reach is the whole tenant by
definition. ``user/get`` (quota-exempt) tells whether an admin belongs to a partner org. A detail
that could not be read stays unknown and makes the section partial.
"""

from __future__ import annotations

import asyncio
from typing import NamedTuple

from dingscan.client import endpoints as ep
from dingscan.client.errors import DingTalkError, MalformedResponse
from dingscan.client.paging import Caller, items_at, result_of
from dingscan.collect.base import partner_corp_id
from dingscan.snapshot import Admin, Section

#: Without the tenant's own corp_id, a corp_id in ``union_emp_ext`` may be the tenant itself.
OWN_CORP_UNKNOWN = (
    "cannot tell a partner from this organisation without the tenant's corp_id (DINGSCAN_CORP_ID / --corp-id)"
)


async def collect_admins(client: Caller, corp_id: str | None) -> Section[list[Admin]]:
    answer = await client.call(ep.ADMIN_LIST)
    listed = [
        Admin(userid=str(raw["userid"]), sys_level=int(raw["sys_level"]))
        for raw in items_at(answer, "result", endpoint=ep.ADMIN_LIST)
    ]
    scopes = await asyncio.gather(*(_scope(client, a) for a in listed))
    unions = await asyncio.gather(*(_union_link(client, a, corp_id) for a in listed))
    admins = []
    for admin, scope, union in zip(listed, scopes, unions, strict=True):
        problems = [p.reason for p in (scope, union) if isinstance(p, DingTalkError)]
        link = union if isinstance(union, UnionLink) else None
        if link and corp_id is None:
            problems.append(f"user/get {link.field} names corp {link.corp_id}: {OWN_CORP_UNKNOWN}")
            link = None
        update = {
            "dept_ids": scope if isinstance(scope, list) else None,
            "union_corp_id": link.corp_id if link else None,
            "union_signal": link.field if link else None,
            "detail_error": "; ".join(problems) or None,
        }
        admins.append(admin.model_copy(update=update))
    return Section.collected(admins)


def admin_details_coverage(admins: Section[list[Admin]]) -> Section[bool]:
    """Whether every admin's scope and partner-org link were read: a separate section, so one
    unreadable detail does not stop the controls that only count administrators."""
    if admins.data is None:
        return Section[bool].failed(f"the admin list was not collected: {admins.reason}")
    unknown = [f"{a.userid} ({a.detail_error})" for a in admins.data if a.detail_error]
    if unknown:
        return Section.partial(True, f"details of admins could not be read: {'; '.join(unknown)}")
    return Section.collected(True)


class UnionLink(NamedTuple):
    corp_id: str  # the partner organisation
    field: str  # the user/get field that names it


async def _union_link(
    client: Caller, admin: Admin, own_corp_id: str | None
) -> UnionLink | DingTalkError | None:
    """The partner org an admin is mirrored from (``user/get`` ``union_emp_ext``), if any, and the
    field that names it.

    ``union_emp_ext`` may name our own organisation, with the partner in ``union_emp_map_list``;
    the first corp_id that is not ours is the partner.
    """
    try:
        answer = await client.call(ep.USER_GET, body={"userid": admin.userid, "language": "en_US"})
        union = result_of(answer, ep.USER_GET).get("union_emp_ext") or {}
        if not isinstance(union, dict):
            raise MalformedResponse("shape", "union_emp_ext is not an object", endpoint=ep.USER_GET)
        mapped = [m.get("corp_id") for m in union.get("union_emp_map_list") or [] if isinstance(m, dict)]
    except DingTalkError as error:
        if error.fatal:
            raise
        return error
    named = [(c, "union_emp_ext.union_emp_map_list") for c in mapped] + [
        (union.get("corp_id"), "union_emp_ext.corp_id")
    ]
    partners = [UnionLink(corp, field) for c, field in named if (corp := partner_corp_id(c, own_corp_id))]
    return partners[0] if partners else None


async def _scope(client: Caller, admin: Admin) -> list[int] | DingTalkError | None:
    if admin.is_primary:
        return None
    try:
        answer = await client.call(ep.ADMIN_SCOPE, body={"userid": admin.userid})
        return [int(d) for d in items_at(answer, "dept_ids", endpoint=ep.ADMIN_SCOPE)]
    except DingTalkError as error:
        if error.fatal:
            raise
        return error
    except (TypeError, ValueError) as error:  # dept ids that are not numbers
        return MalformedResponse("shape", f"dept_ids: {error}", endpoint=ep.ADMIN_SCOPE)
