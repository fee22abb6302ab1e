"""Departments and users on the old host (dingtalk-api.md §3, §4.1-§4.4).

Nothing here recurses: every list is one department's direct children or direct members, as
documented, so a client has to walk the tree itself. Optional fields are omitted, never null,
when empty or when the app lacks the field permission.
"""

from __future__ import annotations

from dingscan.emulator.errors import DingTalkError
from dingscan.emulator.org import Org, epoch_ms
from dingscan.emulator.params import REQUIRED, Params
from dingscan.emulator.routing import Context, Route, oapi_params, page
from dingscan.emulator.tenant import Department, User
from dingscan.emulator.wire import JsonObject, Request

_MOBILE_FIELDS = ("mobile", "state_code")
_EMAIL_FIELDS = ("email", "org_email")
ORDER_FIELDS = frozenset({"entry_asc", "entry_desc", "modify_asc", "modify_desc", "custom"})
MAX_USER_PAGE = 100


def _department(org: Org, params: Params, *, scoped: bool, default: int = REQUIRED) -> Department:
    """The requested department: 60003 when unknown, 50004 when outside the app's scope."""
    dept_id = params.integer("dept_id", default)
    dept = org.departments.get(dept_id)
    if dept is None:
        raise DingTalkError.oapi(60003, f"dept_id {dept_id}")
    if scoped and not org.dept_in_scope(dept_id):
        raise DingTalkError.oapi(50004, f"dept_id {dept_id}")
    return dept


def list_sub_departments(ctx: Context, request: Request) -> JsonObject:
    dept = _department(ctx.org, oapi_params(request), scoped=True, default=1)
    children = ctx.org.children[dept.id]
    return {"result": [_department_brief(child) for child in children]}


def _department_brief(dept: Department) -> JsonObject:
    return {
        "dept_id": dept.id,
        "name": dept.name,
        "parent_id": dept.parent,
        "create_dept_group": dept.create_dept_group,
        "auto_add_user": dept.auto_add_user,
    }


def list_sub_department_ids(ctx: Context, request: Request) -> JsonObject:
    """Documented to ignore the app's contact scope."""
    dept = _department(ctx.org, oapi_params(request), scoped=False)
    return {"result": {"dept_id_list": [child.id for child in ctx.org.children[dept.id]]}}


def get_department(ctx: Context, request: Request) -> JsonObject:
    org = ctx.org
    dept = _department(org, oapi_params(request), scoped=True)
    result: JsonObject = {
        **_department_brief(dept),
        "order": dept.order,
        "from_union_org": dept.union is not None,
        "outer_dept": dept.outer_dept,
        "hide_dept": dept.hide_dept,
        "group_contain_sub_dept": False,
        "member_count": len(org.subtree_users(dept.id)),
    }
    if dept.parent is None:
        del result["parent_id"]
    if dept.create_dept_group:
        result["dept_group_chat_id"] = f"chat{org.tenant.corp_id[-8:]}{dept.id:08d}"
    if dept.group_owner:
        result["org_dept_owner"] = dept.group_owner
    if dept.managers:
        result["dept_manager_userid_list"] = list(dept.managers)
    if dept.outer_dept:
        result["outer_permit_depts"] = list(dept.outer_permit_depts)
        result["outer_permit_users"] = list(dept.outer_permit_users)
    if dept.hide_dept:
        result["dept_permits"] = list(dept.dept_permits)
        result["user_permits"] = list(dept.user_permits)
    if dept.union:
        result["union_dept_ext"] = {"corp_id": dept.union.corp_id, "dept_id": dept.union.dept_id}
    return {"result": result}


def _user_fields(org: Org, user: User) -> JsonObject:
    """The fields user/list and user/get share, after field permissions."""
    fields: JsonObject = {
        "userid": user.userid,
        "unionid": user.union_id,
        "name": user.name,
        "avatar": "",
        "hide_mobile": False,
        "job_number": user.job_number,
        "title": user.title,
        "dept_id_list": list(user.departments),
        "active": user.active,
        "admin": user.userid in org.admins,
        "boss": user.boss,
        "exclusive_account": user.exclusive_account,
    }
    if user.hired_days_ago is not None:
        fields["hired_date"] = epoch_ms(org.days_ago(user.hired_days_ago))
    if org.field_granted("mobile") and user.mobile:
        fields.update((name, getattr(user, name)) for name in _MOBILE_FIELDS)
    if org.field_granted("email"):
        fields.update((name, getattr(user, name)) for name in _EMAIL_FIELDS if getattr(user, name))
    if user.exclusive_account:
        fields["exclusive_account_corp_id"] = org.tenant.corp_id
        fields["exclusive_account_corp_name"] = org.tenant.org.name
        fields["disable_status"] = user.disable_status
        if user.exclusive_account_type:
            fields["exclusive_account_type"] = user.exclusive_account_type
        if user.login_id:
            fields["login_id"] = user.login_id
    return fields


def list_users(ctx: Context, request: Request) -> JsonObject:
    """Cursor pages of one department's direct members; access-limited staff only on request."""
    org = ctx.org
    params = oapi_params(request, dept_id=40035, cursor=40035, size=40035, order_field=40035)
    dept = _department(org, params, scoped=True)
    cursor = params.integer("cursor", 0, lo=0)
    size = params.integer("size", lo=1, hi=MAX_USER_PAGE)
    order = params.text("order_field", "custom")
    if order not in ORDER_FIELDS:
        raise DingTalkError.oapi(40035, f"order_field {order}")
    with_limited = params.boolean("contain_access_limit", False)
    members = [u for u in org.members[dept.id] if with_limited or not u.access_limited]
    if order.startswith("entry_"):
        members.sort(key=lambda u: -(u.hired_days_ago or 0), reverse=order == "entry_desc")
    chunk, has_more = page(members, cursor, size)
    listed = [{**_user_fields(org, u), "leader": u.userid in dept.managers} for u in chunk]
    result: JsonObject = {"has_more": has_more, "list": listed}
    if has_more:
        result["next_cursor"] = cursor + size
    return {"result": result}


def get_user(ctx: Context, request: Request) -> JsonObject:
    org = ctx.org
    params = oapi_params(request, userid=33012)
    if params.has("login_id") and not params.has("userid"):
        login_id = params.text("login_id")
        user = next((u for u in org.users.values() if u.login_id == login_id), None)
    else:
        user = org.users.get(params.text("userid"))
    if user is None:
        raise DingTalkError.oapi(60121)
    if not org.user_in_scope(user):
        raise DingTalkError.oapi(50002, user.userid)
    heads = [dept for dept in user.departments if user.userid in org.departments[dept].managers]
    result = {
        **_user_fields(org, user),
        "real_authed": user.real_authed,
        "senior": user.senior,
        "dept_order_list": [{"dept_id": dept, "order": 0} for dept in user.departments],
        "leader_in_dept": [{"dept_id": d, "leader": d in heads} for d in user.departments],
        "role_list": [
            {"id": role.id, "name": role.name, "group_name": role.group_name}
            for role in org.roles.of_user.get(user.userid, [])
        ],
    }
    if user.manager_userid:
        result["manager_userid"] = user.manager_userid
    if user.union_emp_ext:
        mapped = {"userid": user.union_emp_ext.userid, "corp_id": user.union_emp_ext.corp_id}
        result["union_emp_ext"] = {
            "userid": user.userid,
            "corp_id": org.tenant.corp_id,
            "union_emp_map_list": [mapped],
        }
    return {"result": result}


def list_user_ids(ctx: Context, request: Request) -> JsonObject:
    dept = _department(ctx.org, oapi_params(request), scoped=True)
    return {"result": {"userid_list": [user.userid for user in ctx.org.members[dept.id]]}}


def count_users(ctx: Context, request: Request) -> JsonObject:
    only_active = oapi_params(request).boolean("only_active")
    users = ctx.org.users.values()
    return {"result": {"count": sum(1 for u in users if u.active or not only_active)}}


_MEMBER = "qyapi_get_department_member"
_DEPARTMENTS = "qyapi_get_department_list"
ROUTES = (
    Route("oapi", "POST", "/topapi/v2/department/listsub", list_sub_departments, _DEPARTMENTS),
    Route("oapi", "POST", "/topapi/v2/department/listsubid", list_sub_department_ids, _DEPARTMENTS),
    Route("oapi", "POST", "/topapi/v2/department/get", get_department, _DEPARTMENTS),
    Route("oapi", "POST", "/topapi/v2/user/list", list_users, _MEMBER),
    Route("oapi", "POST", "/topapi/v2/user/get", get_user, "qyapi_get_member"),
    Route("oapi", "POST", "/topapi/user/listid", list_user_ids, _MEMBER),
    Route("oapi", "POST", "/topapi/user/count", count_users, _MEMBER),
)
