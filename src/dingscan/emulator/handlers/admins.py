"""Administrators and roles on the old host (dingtalk-api.md §5.1, §5.2, §6).

Roles page by offset/size and answer ``hasMore`` in camel case, unlike the user list.
"""

from __future__ import annotations

from dingscan.emulator.errors import DingTalkError
from dingscan.emulator.routing import Context, Route, oapi_params, page
from dingscan.emulator.wire import JsonObject, Request

MAX_ROLE_GROUP_PAGE = 200
MAX_ROLE_MEMBER_PAGE = 100


def list_admins(ctx: Context, request: Request) -> JsonObject:
    admins = ctx.org.tenant.admins
    return {"result": [{"userid": a.userid, "sys_level": a.sys_level} for a in admins]}


def get_admin_scope(ctx: Context, request: Request) -> JsonObject:
    """Top-level ``dept_ids``: the directory an admin manages, ``[1]`` = the whole org."""
    userid = oapi_params(request, userid=40036).text("userid")
    if userid not in ctx.org.users:
        raise DingTalkError.oapi(60121, userid)
    admin = ctx.org.admins.get(userid)
    return {"dept_ids": list(admin.dept_ids) if admin else []}


def list_roles(ctx: Context, request: Request) -> JsonObject:
    params = oapi_params(request, offset=40068, size=40069)
    offset = params.integer("offset", 0, lo=0)
    size = params.integer("size", 20, lo=1, hi=MAX_ROLE_GROUP_PAGE)
    groups, has_more = page(ctx.org.roles.groups, offset, size)
    listed = [
        {
            "groupId": group.id,
            "name": group.name,
            "roles": [{"id": role.id, "name": role.name} for role in group.roles],
        }
        for group in groups
    ]
    return {"result": {"hasMore": has_more, "list": listed}}


def list_role_members(ctx: Context, request: Request) -> JsonObject:
    org = ctx.org
    params = oapi_params(request, role_id=33011, offset=40068, size=40069)
    role_id = params.integer("role_id")
    if role_id not in org.roles.members:
        raise DingTalkError.oapi(33011, str(role_id))
    offset = params.integer("offset", 0, lo=0)
    size = params.integer("size", 20, lo=1, hi=MAX_ROLE_MEMBER_PAGE)
    members, has_more = page(org.roles.members[role_id], offset, size)
    listed = []
    for member in members:
        entry: JsonObject = {"userid": member.user.userid, "name": member.user.name}
        if member.manage_scopes:
            entry["manageScopes"] = [
                {"dept_id": d, "name": org.departments[d].name} for d in member.manage_scopes
            ]
        listed.append(entry)
    return {"result": {"hasMore": has_more, "list": listed}}


ROUTES = (
    Route("oapi", "POST", "/topapi/user/listadmin", list_admins, "qyapi_get_member"),
    Route("oapi", "POST", "/topapi/user/get_admin_scope", get_admin_scope, "qyapi_get_member"),
    Route("oapi", "POST", "/topapi/role/list", list_roles, "qyapi_get_department_list"),
    Route("oapi", "POST", "/topapi/role/simplelist", list_role_members, "qyapi_get_department_member"),
)
