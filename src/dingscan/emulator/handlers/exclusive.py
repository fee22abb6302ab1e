"""专属钉钉 evidence endpoints (dingtalk-api.md §7.3, §8, §9.4); exclusive edition only.

The tenant file says only how far back each audit log reaches; the emulator makes one record a
day from then until now, newest first, which is what a retention probe needs to see.
"""

from __future__ import annotations

from datetime import datetime

from dingscan.emulator.errors import DingTalkError
from dingscan.emulator.org import SHANGHAI, Org, epoch_ms
from dingscan.emulator.routing import Context, Route, api_params, page
from dingscan.emulator.tenant import InternalGroup
from dingscan.emulator.wire import JsonObject, Request

MAX_LOG_PAGE = 500
MAX_GROUP_PAGE = 100
# (category1Name, category2Name, content) of the admin-console log, cycled day by day.
_OPERATIONS = (
    ("通讯录", "成员管理", "修改成员信息"),
    ("工作台", "应用管理", "修改应用可见范围"),
    ("安全中心", "安全设置", "修改登录安全策略"),
)
_FILE_ACTIONS = ((2, "下载文件"), (3, "预览文件"), (0, "上传文件"), (5, "创建外链"))


def _days_newest_first(org: Org, oldest_days_ago: int | None) -> list[tuple[int, datetime]]:
    if oldest_days_ago is None:
        return []
    return [(days, org.days_ago(days)) for days in range(oldest_days_ago + 1)]


def _operator(org: Org) -> tuple[str, str]:
    """The first primary admin does every logged operation."""
    userid = next((a.userid for a in org.tenant.admins if a.sys_level == 1), None)
    user = org.users.get(userid or "") or next(iter(org.users.values()), None)
    return (user.userid, user.name) if user else ("", "")


def operator_logs(ctx: Context, request: Request) -> JsonObject:
    """``pageNumber``/``pageSize`` pages; a short page is the end."""
    params = api_params(request)
    start, end = params.integer("startTime", lo=0), params.integer("endTime", lo=0)
    number = params.integer("pageNumber", lo=1)
    size = params.integer("pageSize", lo=1, hi=MAX_LOG_PAGE)
    op_user = params.text("opUserId", "")
    categories = params.strings("categoryList", [])
    records = [
        record
        for record in _operator_records(ctx.org)
        if start <= record["opTime"] <= end
        and op_user in ("", record["opUserId"])
        and (not categories or record["category1Name"] in categories)
    ]
    chunk, _ = page(records, (number - 1) * size, size)
    return {"itemCount": len(chunk), "data": chunk}


def _operator_records(org: Org) -> list[JsonObject]:
    userid, name = _operator(org)
    records = []
    for days, moment in _days_newest_first(org, org.tenant.exclusive.oldest_op_log_days_ago):
        category1, category2, content = _OPERATIONS[days % len(_OPERATIONS)]
        records.append(
            {
                "opUserId": userid,
                "opName": name,
                "opTime": epoch_ms(moment),
                "category1Name": category1,
                "category2Name": category2,
                "content": content,
            }
        )
    return records


def file_audit_logs(ctx: Context, request: Request) -> JsonObject:
    """Keyset pages: ``nextGmtCreate`` + ``nextBizId`` of the last record, sent together."""
    params = api_params(request)
    start, end = params.integer("startDate", lo=0), params.integer("endDate", lo=0)
    size = params.integer("pageSize", lo=1, hi=MAX_LOG_PAGE)
    if params.has("nextGmtCreate") != params.has("nextBizId"):
        raise DingTalkError.api(400, "param.error", "nextGmtCreate和nextBizId必须同时传入")
    after = None
    if params.has("nextGmtCreate"):
        after = (params.integer("nextGmtCreate"), params.integer("nextBizId"))
    records = [
        record
        for record in _file_records(ctx.org)
        if start <= record["gmtCreate"] <= end
        and (after is None or (record["gmtCreate"], int(record["bizId"])) < after)
    ]
    return {"list": records[:size]}


def _file_records(org: Org) -> list[JsonObject]:
    userid, name = _operator(org)
    oldest = org.tenant.exclusive.oldest_file_log_days_ago
    records = []
    for days, moment in _days_newest_first(org, oldest):
        action, action_view = _FILE_ACTIONS[days % len(_FILE_ACTIONS)]
        created = epoch_ms(moment)
        records.append(
            {
                "userId": userid,
                "operatorName": name,
                "realName": name,
                "action": action,
                "actionView": action_view,
                "platform": 2,
                "platformView": "web",
                "ipAddress": f"10.0.{days % 256}.{days % 250 + 1}",
                "resource": f"报表{days}.xlsx",
                "resourceExtension": "xlsx",
                "resourceSize": 20_480,
                "bizId": str(10_000_000_000 + (oldest or 0) - days),
                "gmtCreate": created,
                "gmtModified": created,
                "operateModule": 2,
                "operateModuleView": "企业群",
                "orgName": org.tenant.org.name,
            }
        )
    return records


def outside_groups(ctx: Context, request: Request) -> JsonObject:
    params = api_params(request)
    number = params.integer("pageNumber", 1, lo=1)
    size = params.integer("pageSize", 20, lo=1, hi=MAX_GROUP_PAGE)
    groups = ctx.org.tenant.exclusive.outside_groups
    chunk, _ = page(groups, (number - 1) * size, size)
    listed = [{"openConversationId": group} for group in chunk]
    return {"responseBody": {"groupList": listed, "total": len(groups)}}


def org_group_infos(ctx: Context, request: Request) -> JsonObject:
    org = ctx.org
    params = api_params(request)
    for required in ("operatorUserId", "uuid"):  # mandatory, though they change nothing here
        params.text(required)
    number = params.integer("pageStart", lo=1)
    size = params.integer("pageSize", lo=1, hi=MAX_GROUP_PAGE)
    name, owner = params.text("groupName", ""), params.text("groupOwner", "")
    groups = [
        group
        for group in org.tenant.exclusive.internal_groups
        if name in group.name and owner in (group.owner, "")
    ]
    chunk, _ = page(groups, (number - 1) * size, size)
    items = [_group(org, group) for group in chunk]
    return {"totalCount": len(groups), "itemCount": len(items), "items": items}


def _group(org: Org, group: InternalGroup) -> JsonObject:
    owner = org.users.get(group.owner)
    last_active = org.days_ago(group.last_active_days_ago)
    return {
        "openConversationId": group.open_conversation_id,
        "groupName": group.name,
        "groupOwner": owner.name if owner else group.owner,
        "groupOwnerUserId": group.owner,
        "groupAdminsCount": 1,
        "groupMembersCount": group.members_count,
        "groupCreateTime": epoch_ms(org.days_ago(group.created_days_ago)),
        "groupLastActiveTime": epoch_ms(last_active),
        "groupLastActiveTimeShow": f"{last_active.astimezone(SHANGHAI):%Y-%m-%d}",
        "syncToDingpan": 0,
        "usedQuota": 0,
        "status": group.status,
        "templateId": "",
        "templateName": "",
    }


ROUTES = tuple(
    Route("api", method, path, handler, permission, exclusive_only=True)
    for method, path, handler, permission in (
        ("POST", "/v1.0/exclusive/oaOperatorLogs/query", operator_logs, "Custom.OaOperatorLog.Read"),
        ("GET", "/v1.0/exclusive/fileAuditLogs", file_audit_logs, "Custom.OpFileAudit.Read"),
        ("POST", "/v1.0/exclusive/audits/outsideGroups/query", outside_groups, "Custom.Audit.Read"),
        ("GET", "/v1.0/exclusive/securities/orgGroupInfos", org_group_infos, "Custom.Group.Read"),
    )
)
