"""Each documented pagination scheme, walked end to end, and each documented page-size cap."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from emulator_support import Serve
from raw_dingtalk import NOW, RawDingTalk, demo_tenant, with_changes

from dingscan.emulator import Tenant, generate_tenant


@pytest.fixture(scope="module")
def big() -> Tenant:
    return generate_tenant(members=300, seed=3)


def _department_ids(dt: RawDingTalk) -> list[int]:
    """Breadth-first from the root, as a client must (listsub never recurses)."""
    found, queue = [], [1]
    while queue:
        dept_id = queue.pop(0)
        found.append(dept_id)
        queue += [
            child["dept_id"] for child in dt.result("/topapi/v2/department/listsub", {"dept_id": dept_id})
        ]
    return found


def test_user_list_cursor_walk_gives_every_member_once_per_department(serve: Serve, big: Tenant) -> None:
    dt = serve(big, qps=None)
    departments = _department_ids(dt)
    assert sorted(departments) == sorted(d.id for d in big.departments)
    seen: Counter[tuple[str, int]] = Counter()
    for dept_id in departments:
        body: dict[str, Any] = {"dept_id": dept_id, "cursor": 0, "size": 7, "contain_access_limit": True}
        while True:
            result = dt.result("/topapi/v2/user/list", body)
            seen.update((user["userid"], dept_id) for user in result["list"])
            if not result["has_more"]:
                assert "next_cursor" not in result
                break
            body["cursor"] = result["next_cursor"]
    assert seen == Counter((u.userid, d) for u in big.users for d in u.departments)


def test_access_limited_members_are_listed_only_on_request(dt: RawDingTalk) -> None:
    def listed(flag: bool) -> set[str]:
        body = {"dept_id": 7, "cursor": 0, "size": 100, "contain_access_limit": flag}
        return {u["userid"] for u in dt.result("/topapi/v2/user/list", body)["list"]}

    assert "tong.pakhei" in listed(True)
    assert "tong.pakhei" not in listed(False)


@pytest.mark.parametrize(
    ("path", "body", "errcode"),
    [
        ("/topapi/v2/user/list", {"dept_id": 1, "cursor": 0, "size": 101}, 40035),
        ("/topapi/v2/user/list", {"dept_id": 1, "cursor": 0, "size": 0}, 40035),
        ("/topapi/v2/user/list", {"dept_id": 1, "cursor": 0}, 40035),
        ("/topapi/v2/user/list", {"dept_id": 1, "cursor": 0, "size": 10, "order_field": "name"}, 40035),
        ("/topapi/role/list", {"offset": 0, "size": 201}, 40069),
        ("/topapi/role/list", {"offset": -1, "size": 20}, 40068),
        ("/topapi/role/simplelist", {"role_id": 1002, "offset": 0, "size": 101}, 40069),
        ("/topapi/extcontact/list", {"offset": 0, "size": 101}, 40069),
        ("/topapi/inactive/user/v2/get", {"is_active": False, "query_date": "20261124", "size": 101}, 40069),
    ],
)
def test_oversized_or_bad_pages_are_the_documented_bad_request(
    dt: RawDingTalk, path: str, body: dict[str, Any], errcode: int
) -> None:
    assert dt.oapi(path, body).json()["errcode"] == errcode


def test_largest_documented_pages_are_accepted(dt: RawDingTalk) -> None:
    dt.result("/topapi/v2/user/list", {"dept_id": 1, "cursor": 0, "size": 100})
    dt.result("/topapi/role/list", {"offset": 0, "size": 200})
    dt.result("/topapi/role/simplelist", {"role_id": 1002, "offset": 0, "size": 100})
    assert dt.ok("/topapi/extcontact/list", {"offset": 0, "size": 100})["results"]


def test_role_list_pages_by_offset_with_camel_case_has_more(dt: RawDingTalk) -> None:
    groups, offset = [], 0
    while True:
        result = dt.result("/topapi/role/list", {"offset": offset, "size": 1})
        groups += result["list"]
        if not result["hasMore"]:
            break
        offset += 1
    assert [g["name"] for g in groups] == ["默认", "职能"]
    assert [r["name"] for r in groups[0]["roles"]] == ["主管理员", "子管理员", "负责人", "主管"]


def test_role_members_page_with_their_manage_scopes(dt: RawDingTalk) -> None:
    sub_admin_role = next(
        role["id"]
        for group in dt.result("/topapi/role/list", {"offset": 0, "size": 200})["list"]
        for role in group["roles"]
        if role["name"] == "子管理员"
    )
    members, offset = [], 0
    while True:
        result = dt.result(
            "/topapi/role/simplelist", {"role_id": sub_admin_role, "offset": offset, "size": 1}
        )
        members += result["list"]
        if not result["hasMore"]:
            break
        offset += 1
    scopes = {m["userid"]: [s["dept_id"] for s in m["manageScopes"]] for m in members}
    assert scopes == {"ho.kinfai": [1], "leung.meiling": [5], "liu.ken": [8]}


def test_external_contacts_end_on_a_short_page(serve: Serve, big: Tenant) -> None:
    dt = serve(big, qps=None)
    contacts, offset = [], 0
    while True:
        answer = dt.ok("/topapi/extcontact/list", {"offset": offset, "size": 4})
        assert "result" not in answer and "has_more" not in answer
        contacts += answer["results"]
        if len(answer["results"]) < 4:
            break
        offset += 4
    assert sorted(c["userid"] for c in contacts) == sorted(c.userid for c in big.external_contacts)


def test_inactive_users_page_by_offset(serve: Serve, big: Tenant) -> None:
    dt = serve(big, qps=None)
    body: dict[str, Any] = {"is_active": False, "query_date": "20261124", "offset": 0, "size": 10}
    inactive: list[str] = []
    while True:
        result = dt.result("/topapi/inactive/user/v2/get", body)
        inactive += result["list"]
        if not result["has_more"]:
            break
        body["offset"] = result["next_cursor"]
    expected = [u.userid for u in big.users if u.last_login_days_ago is None or u.last_login_days_ago > 1]
    assert inactive == expected


def test_leave_records_page_by_next_token(serve: Serve, big: Tenant) -> None:
    dt = serve(big)
    start = (NOW - timedelta(days=364)).strftime("%Y-%m-%dT%H:%M:%SZ")
    params: dict[str, Any] = {"startTime": start, "nextToken": "0", "maxResults": 4}
    records = []
    while True:
        answer = dt.api("GET", "/v1.0/contact/empLeaveRecords", params=params).json()
        records += answer["records"]
        if "nextToken" not in answer:
            break
        params["nextToken"] = answer["nextToken"]
    assert Counter(r["userId"] for r in records) == Counter(r.userid for r in big.leave_records)
    assert [r["leaveTime"] for r in records] == sorted(r["leaveTime"] for r in records)


@pytest.mark.parametrize(
    "params",
    [
        {"startTime": "2026-06-01T00:00:00Z", "maxResults": 51},
        {"startTime": "2026-06-01T00:00:00Z"},
        {"startTime": "2025-06-01T00:00:00Z", "maxResults": 10},
        {"startTime": "2025-06-01T00:00:00Z", "endTime": "2026-06-02T00:00:00Z", "maxResults": 10},
        {"startTime": "2026-06-01", "maxResults": 10},
    ],
)
def test_leave_record_queries_outside_the_documented_rules_are_400(
    dt: RawDingTalk, params: dict[str, Any]
) -> None:
    answer = dt.api("GET", "/v1.0/contact/empLeaveRecords", params=params)
    assert answer.status_code == 400 and answer.json()["code"] == "invalidParameter"


def test_a_year_long_window_with_an_end_time_is_accepted(dt: RawDingTalk) -> None:
    params = {"startTime": "2025-06-01T00:00:00Z", "endTime": "2026-06-01T00:00:00Z", "maxResults": 50}
    assert dt.api("GET", "/v1.0/contact/empLeaveRecords", params=params).status_code == 200


def test_hr_dismissions_page_by_next_token(serve: Serve, big: Tenant) -> None:
    dt = serve(with_changes(big, hr_app_enabled=True))
    params: dict[str, Any] = {"nextToken": 0, "maxResults": 4}
    userids = []
    while True:
        answer = dt.api("GET", "/v1.0/hrm/employees/dismissions", params=params).json()
        userids += answer["userIdList"]
        if not answer["hasMore"]:
            break
        params["nextToken"] = answer["nextToken"]
    assert Counter(userids) == Counter(r.userid for r in big.leave_records)
    too_big = dt.api("GET", "/v1.0/hrm/employees/dismissions", params={"maxResults": 51})
    assert too_big.status_code == 400


@pytest.fixture
def exclusive(serve: Serve) -> RawDingTalk:
    evidence = {
        "oldest_op_log_days_ago": 100,
        "oldest_file_log_days_ago": 30,
        "outside_groups": ["cidOUT1", "cidOUT2", "cidOUT3"],
        "internal_groups": [
            {
                "open_conversation_id": "cidIN1",
                "name": "Finance team",
                "owner": "lee.siuming",
                "members_count": 6,
            },
            {
                "open_conversation_id": "cidIN2",
                "name": "All staff",
                "owner": "chan.taiman",
                "members_count": 25,
            },
        ],
    }
    return serve(with_changes(demo_tenant(), edition="exclusive", exclusive=evidence))


def test_file_audit_logs_page_by_keyset(exclusive: RawDingTalk) -> None:
    params: dict[str, Any] = {"startDate": 0, "endDate": 2**42, "pageSize": 7}
    records: list[dict[str, Any]] = []
    while True:
        page = exclusive.api("GET", "/v1.0/exclusive/fileAuditLogs", params=params).json()["list"]
        records += page
        if len(page) < 7:
            break
        params |= {"nextGmtCreate": page[-1]["gmtCreate"], "nextBizId": page[-1]["bizId"]}
    assert len(records) == 31 and len({r["bizId"] for r in records}) == 31
    oldest = min(r["gmtCreate"] for r in records)
    assert oldest == int((NOW - timedelta(days=30)).timestamp() * 1000)
    half_keyset = exclusive.api("GET", "/v1.0/exclusive/fileAuditLogs", params={**params, "nextBizId": None})
    assert half_keyset.status_code == 400 and half_keyset.json()["code"] == "param.error"


def test_operator_logs_page_by_page_number(exclusive: RawDingTalk) -> None:
    body: dict[str, Any] = {"startTime": 0, "endTime": 2**42, "pageNumber": 1, "pageSize": 40}
    sizes = []
    while True:
        answer = exclusive.api("POST", "/v1.0/exclusive/oaOperatorLogs/query", json=body).json()
        sizes.append(answer["itemCount"])
        if answer["itemCount"] < 40:
            break
        body["pageNumber"] += 1
    assert sizes == [40, 40, 21]


def test_group_evidence_pages(exclusive: RawDingTalk) -> None:
    outside = exclusive.api(
        "POST", "/v1.0/exclusive/audits/outsideGroups/query", json={"pageNumber": 2, "pageSize": 2}
    )
    assert outside.json() == {"responseBody": {"groupList": [{"openConversationId": "cidOUT3"}], "total": 3}}
    params = {"operatorUserId": "chan.taiman", "uuid": "u-1", "pageStart": 1, "pageSize": 1}
    inner = exclusive.api("GET", "/v1.0/exclusive/securities/orgGroupInfos", params=params).json()
    assert inner["totalCount"] == 2 and inner["itemCount"] == 1
    assert inner["items"][0]["groupOwnerUserId"] == "lee.siuming"
