"""Account lifecycle: daily inactivity, leavers, 智能人事 dismissions, enterprise-account status
(dingtalk-api.md §4.5, §4.6, §11)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dingscan.emulator.errors import DingTalkError
from dingscan.emulator.org import Org, epoch_ms
from dingscan.emulator.params import Params
from dingscan.emulator.routing import Context, Route, api_params, oapi_params, page
from dingscan.emulator.tenant import LeaveRecord, User
from dingscan.emulator.wire import JsonObject, Request

MAX_INACTIVE_PAGE = 100
MAX_LEAVE_PAGE = 50
MAX_LEAVE_SPAN = timedelta(days=365)
MAX_HRM_PAGE = 50
ISO_SECONDS = "%Y-%m-%dT%H:%M:%SZ"


def inactive_users(ctx: Context, request: Request) -> JsonObject:
    """Users who did (``is_active``) or did not log in on ``query_date`` (yyyyMMdd)."""
    org = ctx.org
    params = oapi_params(request, offset=40068, size=40069)
    is_active = params.boolean("is_active")
    day = _query_date(params.text("query_date"))
    problem = org.inactive_data_problem(day)
    if problem:
        raise DingTalkError.oapi(400002, problem)
    offset = params.integer("offset", 0, lo=0)
    size = params.integer("size", MAX_INACTIVE_PAGE, lo=1, hi=MAX_INACTIVE_PAGE)
    dept_ids = params.integers("dept_ids")
    if dept_ids:
        users = _users_under(org, dept_ids)
        matched = [user.userid for user in users if org.logged_in_on(user, day) == is_active]
    else:
        matched = org.activity(day, active=is_active)
    chunk, has_more = page(matched, offset, size)
    result: JsonObject = {"has_more": has_more, "list": chunk}
    if has_more:
        result["next_cursor"] = offset + size
    return {"result": result}


def _query_date(text: str) -> date:
    try:
        if len(text) != 8:
            raise ValueError(text)
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise DingTalkError.oapi(400002, f"query_date {text!r} is not yyyyMMdd") from None


def _users_under(org: Org, dept_ids: list[int]) -> list[User]:
    found: dict[str, User] = {}
    for dept_id in dept_ids:
        if dept_id not in org.departments:
            raise DingTalkError.oapi(60003, f"dept_id {dept_id}")
        found.update((user.userid, user) for user in org.subtree_users(dept_id))
    return list(found.values())


def leave_records(ctx: Context, request: Request) -> JsonObject:
    """Leavers between ``startTime`` and ``endTime`` (at most 365 days apart; without an end,
    the start may be at most 365 days ago), oldest first, ``nextToken`` paged."""
    org = ctx.org
    params = api_params(request)
    start = _timestamp(params, "startTime")
    end = _timestamp(params, "endTime") if params.has("endTime") else None
    if end is not None and not timedelta(0) <= end - start <= MAX_LEAVE_SPAN:
        raise _bad_parameter("endTime must be after startTime and at most 365 days later")
    if end is None and org.now - start > MAX_LEAVE_SPAN:
        raise _bad_parameter("without endTime, startTime must be within the last 365 days")
    offset = params.integer("nextToken", 0, lo=0)
    size = params.integer("maxResults", lo=1, hi=MAX_LEAVE_PAGE)
    leavers = [r for r in _leavers_oldest_first(org) if start <= org.days_ago(r.leave_days_ago)]
    leavers = [r for r in leavers if end is None or org.days_ago(r.leave_days_ago) <= end]
    chunk, has_more = page(leavers, offset, size)
    body: JsonObject = {"records": [_leave_record(org, record) for record in chunk]}
    if has_more:
        body["nextToken"] = str(offset + size)
    return body


def _timestamp(params: Params, name: str) -> datetime:
    text = params.text(name)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _bad_parameter(f"{name} {text!r} is not ISO-8601 (YYYY-MM-DDTHH:mm:ssZ)") from None
    if moment.tzinfo is None:
        raise _bad_parameter(f"{name} {text!r} has no time zone")
    return moment


def _bad_parameter(message: str) -> DingTalkError:
    return DingTalkError.api(400, "invalidParameter", message)


def _leavers_oldest_first(org: Org) -> list[LeaveRecord]:
    return sorted(org.tenant.leave_records, key=lambda record: -record.leave_days_ago)


def _leave_record(org: Org, record: LeaveRecord) -> JsonObject:
    return {
        "userId": record.userid,
        "name": record.name,
        "stateCode": record.state_code,
        "mobile": record.mobile,
        "leaveTime": f"{org.days_ago(record.leave_days_ago):{ISO_SECONDS}}",
        "leaveReason": record.leave_reason,
    }


def _require_hr_app(org: Org) -> None:
    if not org.tenant.hr_app_enabled:
        raise DingTalkError.api(400, "corpNotOpenHrm", "企业未开通智能人事")


def dismissions(ctx: Context, request: Request) -> JsonObject:
    _require_hr_app(ctx.org)
    params = api_params(request)
    offset = params.integer("nextToken", 0, lo=0)
    size = params.integer("maxResults", 30, lo=1, hi=MAX_HRM_PAGE)
    userids = [record.userid for record in _leavers_oldest_first(ctx.org)]
    chunk, has_more = page(userids, offset, size)
    body: JsonObject = {"hasMore": has_more, "userIdList": chunk}
    if has_more:
        body["nextToken"] = offset + size
    return body


def dismission_infos(ctx: Context, request: Request) -> JsonObject:
    org = ctx.org
    _require_hr_app(org)
    userids = api_params(request).strings("userIdList")
    if not 1 <= len(userids) <= MAX_HRM_PAGE:
        raise _bad_parameter(f"userIdList must hold 1 to {MAX_HRM_PAGE} user ids")
    records = {record.userid: record for record in org.tenant.leave_records}
    return {"result": [_dismission(org, records[u]) for u in userids if u in records]}


def _dismission(org: Org, record: LeaveRecord) -> JsonObject:
    info: JsonObject = {
        "userId": record.userid,
        "name": record.name,
        "lastWorkDay": epoch_ms(org.days_ago(record.leave_days_ago)),
        "status": record.hr_status,
        "voluntaryReason": list(record.voluntary_reason),
        "passiveReason": list(record.passive_reason),
    }
    if record.handover_userid:
        info["handoverUserId"] = record.handover_userid
    dept = org.departments.get(record.main_dept_id or 0)
    if dept is not None:
        path = [org.departments[d].name for d in _ancestry(org, dept.id)]
        info["mainDeptId"] = dept.id
        info["mainDeptName"] = dept.name
        info["deptList"] = [{"dept_id": dept.id, "dept_path": "-".join(path)}]
    return info


def _ancestry(org: Org, dept_id: int) -> list[int]:
    chain = [dept_id]
    while (parent := org.departments[chain[0]].parent) is not None:
        chain.insert(0, parent)
    return chain


def org_account_status(ctx: Context, request: Request) -> JsonObject:
    userid = api_params(request).text("userId")
    user = ctx.org.users.get(userid)
    if user is None:
        raise DingTalkError.api(400, "user.not.exist", f"用户不存在: {userid}")
    if not user.exclusive_account:
        raise DingTalkError.api(400, "exclusive.account.only", "仅支持查询专属帐号")
    return {"disable": user.disable_status}


ROUTES = (
    Route("oapi", "POST", "/topapi/inactive/user/v2/get", inactive_users, "qyapi_liveness_base"),
    Route("api", "GET", "/v1.0/contact/empLeaveRecords", leave_records, "Contact.Common.Read"),
    Route("api", "GET", "/v1.0/hrm/employees/dismissions", dismissions, "qyapi_hrm_read_user"),
    Route("api", "GET", "/v1.0/hrm/employees/dimissionInfos", dismission_infos, "qyapi_hrm_read_user"),
    Route(
        "api",
        "GET",
        "/v1.0/contact/orgAccounts/status",
        org_account_status,
        "Contact.OrgAccountSecurity.ReadWrite",
    ),
)
