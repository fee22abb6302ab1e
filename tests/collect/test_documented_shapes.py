"""The collector on answer shapes DingTalk's own documentation shows (issue 14).

Each fixture restates, in our words, the example body of the page named beside it. Every real
captured body parsed before; these documented ones exposed the gaps: a flag that is missing, one
record where a list belongs, numbers and lists written as text, a zero paging token.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from dingscan.client import Endpoint
from dingscan.client import endpoints as ep
from dingscan.collect.admins import admin_details_coverage, collect_admins
from dingscan.collect.base import QuietProgress, SectionRunner
from dingscan.collect.directory import _user, collect_department_details, collect_users
from dingscan.collect.external import collect_partner_orgs
from dingscan.collect.lifecycle import collect_dimissions
from dingscan.findings import Status
from dingscan.snapshot import Department, LeaveRecord, Section, SectionStatus
from factories import CORP_ID, admin, evaluate, snapshot, user

T = TypeVar("T")
Answer = Callable[[Mapping[str, Any]], dict[str, Any]]


class Scripted:
    """A caller that answers each endpoint from a script, and remembers what was asked."""

    def __init__(self, answers: Mapping[Endpoint, Answer]) -> None:
        self.answers = answers
        self.asked: list[tuple[Endpoint, dict[str, Any]]] = []

    async def call(
        self,
        endpoint: Endpoint,
        *,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        path_params: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        sent = dict(body or params or {})
        self.asked.append((endpoint, sent))
        return self.answers[endpoint](sent)


def always(answer: dict[str, Any]) -> Answer:
    return lambda _: answer


def run(area: str, collect: Callable[[], Awaitable[Section[T]]]) -> Section[T]:
    """One area through the collector's runner, as a scan runs it."""
    return asyncio.run(SectionRunner(QuietProgress()).run(area, collect))


# --- 1. a mirrored department without from_union_org ----------------------------------------------

# "查询部门详情" (POST /topapi/v2/department/get): the example result names the partner's corp in
# union_dept_ext but carries no from_union_org key at all.
DOCUMENTED_DEPARTMENT = {
    "errcode": 0,
    "errmsg": "ok",
    "request_id": "req-dept-get",
    "result": {
        "dept_id": 20,
        "name": "Supplier Ops",
        "parent_id": 1,
        "outer_dept": False,
        "hide_dept": False,
        "auto_add_user": True,
        "create_dept_group": True,
        "order": 0,
        "code": "100",
        "union_dept_ext": {"corp_id": "ding_partner_corp", "dept_id": 1234567},
    },
}
TREE = Section.collected([Department(dept_id=1, name="(root)"), Department(dept_id=20, name="Supplier Ops")])


def details(result: dict[str, Any], own: str | None = CORP_ID) -> dict[int, Department]:
    def answer(body: Mapping[str, Any]) -> dict[str, Any]:
        own_root = {"dept_id": 1, "name": "(root)"}
        return {**DOCUMENTED_DEPARTMENT, "result": result if body["dept_id"] == 20 else own_root}

    caller = Scripted({ep.DEPARTMENT_GET: answer})
    section = run("department details", lambda: collect_department_details(caller, TREE, own))
    assert section.status is SectionStatus.COLLECTED, section.reason
    return {d.dept_id: d for d in section.get()}


def test_a_partner_corp_id_without_the_flag_marks_the_department_mirrored() -> None:
    departments = details(DOCUMENTED_DEPARTMENT["result"])

    mirrored = departments[20]
    assert (mirrored.from_union_org, mirrored.union_corp_id) == (True, "ding_partner_corp")
    assert mirrored.union_signal == "union_dept_ext.corp_id"
    assert departments[1].from_union_org is False


def test_a_false_flag_does_not_outvote_a_partner_corp_id() -> None:
    department = details({**DOCUMENTED_DEPARTMENT["result"], "from_union_org": "false"})[20]

    assert department.from_union_org is True
    assert department.union_signal == "union_dept_ext.corp_id"


def test_the_tenant_s_own_corp_id_is_no_partner_link() -> None:
    result = {**DOCUMENTED_DEPARTMENT["result"], "union_dept_ext": {"corp_id": CORP_ID, "dept_id": 20}}

    department = details(result)[20]

    assert (department.from_union_org, department.union_corp_id, department.union_signal) == (
        False,
        None,
        None,
    )


def test_an_admin_in_the_documented_mirrored_department_fails_ext_4_naming_the_field() -> None:
    departments = list(details(DOCUMENTED_DEPARTMENT["result"]).values())
    snap = snapshot(
        admins=[admin("s1")], admin_details=True, users=[user("s1", dept_ids=[20])], departments=departments
    )

    finding = evaluate("DT.EXT.4", snap)

    assert finding.status is Status.FAIL
    assert finding.resources[0].detail == (
        "member of department Supplier Ops (20), mirrored from partner org ding_partner_corp "
        "(shown by department/get union_dept_ext.corp_id)"
    )
    assert finding.resources[0].evidence["mirrored_dept_signals"] == {"20": "union_dept_ext.corp_id"}


# "查询用户详情" (POST /topapi/v2/user/get): union_emp_ext names the member's own organisation.
def admin_user_get(own_corp_id: str) -> dict[str, Any]:
    return {
        "errcode": 0,
        "errmsg": "ok",
        "result": {"userid": "s1", "name": "Sid", "union_emp_ext": {"userid": "s1", "corp_id": own_corp_id}},
    }


def admins_answered() -> Scripted:
    return Scripted(
        {
            ep.ADMIN_LIST: always({"errcode": 0, "result": [{"userid": "s1", "sys_level": 1}]}),
            ep.USER_GET: always(admin_user_get(CORP_ID)),
        }
    )


def test_union_emp_ext_naming_the_tenant_itself_is_no_partner() -> None:
    section = run("admins", lambda: collect_admins(admins_answered(), CORP_ID))

    (found,) = section.get()
    assert (found.union_corp_id, found.detail_error) == (None, None)


def test_without_the_tenant_s_corp_id_a_union_corp_id_is_unknown_never_named_as_a_partner() -> None:
    admins = run("admins", lambda: collect_admins(admins_answered(), None))
    (found,) = admins.get()
    assert found.union_corp_id is None
    assert found.detail_error is not None and "DINGSCAN_CORP_ID" in found.detail_error

    snap = snapshot(
        admins=admins,
        admin_details=admin_details_coverage(admins),
        users=[user("s1", dept_ids=[1])],
        departments=[Department(dept_id=1, name="(root)", from_union_org=False)],
    )
    finding = evaluate("DT.EXT.4", snap)
    assert finding.status is Status.ERROR
    assert not finding.resources


# --- 2. one object where a list is expected ----------------------------------------------------

# "获取企业已加入的组织信息" (POST /topapi/union/cooperate/joined/list): the example answers one
# joined organisation as an object, its ids wrapped in stray quotes.
DOCUMENTED_JOINED = {
    "errcode": 0,
    "errmsg": "ok",
    "result": {
        "corp_id": '"ding_partner_corp"',
        "org_name": "Partner Ltd",
        "belong_corp_id": '"ding_group_corp"',
        "belong_org_name": "Group Ltd",
    },
}


def test_one_joined_organisation_sent_as_an_object_is_a_list_of_one_kept_as_found() -> None:
    section = run(
        "partner_orgs", lambda: collect_partner_orgs(Scripted({ep.PARTNER_ORGS: always(DOCUMENTED_JOINED)}))
    )

    (org,) = section.get()
    assert (org.corp_id, org.org_name) == ('"ding_partner_corp"', "Partner Ltd")
    finding = evaluate("DT.EXT.3", snapshot(partner_orgs=section))
    assert finding.status is Status.FAIL
    assert [r.id for r in finding.resources] == ['"ding_partner_corp"']


# --- 4. paging flags and values written as text ---------------------------------------------------

# "获取部门用户详情" (POST /topapi/v2/user/list): the example writes every value as text, the
# member list as one object and dept_id_list as the text of a JSON array.
DOCUMENTED_USER_LIST = {
    "errcode": "0",
    "errmsg": "ok",
    "result": {
        "has_more": "false",
        "next_cursor": "10",
        "list": {
            "userid": "zhangsan",
            "unionid": "z21HjQliSzpw0YWCNxmii6u2Os62cZ62iSZ",
            "name": "Zhang San",
            "active": "true",
            "admin": "true",
            "boss": "false",
            "leader": "true",
            "exclusive_account": "false",
            "hired_date": "1597573616828",
            "dept_id_list": "[2,3,4]",
            "title": "CTO",
        },
    },
}
ROOT_ONLY = Section.collected([Department(dept_id=1, name="(root)")])


def users_from(answer: dict[str, Any]) -> Section[Any]:
    caller = Scripted({ep.USER_LIST: always(answer)})
    return run("users", lambda: collect_users(caller, ROOT_ONLY))


def test_the_documented_user_list_with_every_value_as_text_is_read() -> None:
    (member,) = users_from(DOCUMENTED_USER_LIST).get()

    assert (member.userid, member.active, member.admin, member.boss) == ("zhangsan", True, True, False)
    assert member.dept_ids == [2, 3, 4]
    assert member.hired_at == datetime(2020, 8, 16, 10, 26, 56, 828000, tzinfo=UTC)


def test_a_dept_id_list_that_spells_no_list_fails_the_section_with_a_reason() -> None:
    broken = dict(DOCUMENTED_USER_LIST["result"])
    broken["list"] = {**broken["list"], "dept_id_list": "[2,3"}

    section = users_from({**DOCUMENTED_USER_LIST, "result": broken})

    assert section.status is SectionStatus.FAILED
    assert section.reason == (
        "DingTalk's answer for users could not be read: ValueError: "
        "dept_id_list is text that does not spell a list of ids"
    )


# "获取离职员工列表" (GET /v1.0/hrm/employees/dismissions): a zero token beside hasMore true.
DOCUMENTED_DISMISSIONS = {"nextToken": 0, "hasMore": True, "userIdList": ["leaver-01"]}
# "获取员工离职信息" (GET /v1.0/hrm/employees/dimissionInfos), one record of the example.
DOCUMENTED_DIMISSION_INFOS = {
    "result": [
        {
            "userId": "leaver-01",
            "lastWorkDay": 1633017600000,
            "status": 2,
            "handoverUserId": "manager-01",
            "mainDeptId": 1,
            "mainDeptName": "Sales",
        }
    ]
}


def test_the_documented_dismissions_page_is_collected_and_ends_the_walk() -> None:
    caller = Scripted(
        {
            ep.HR_DISMISSIONS: always(DOCUMENTED_DISMISSIONS),
            ep.HR_DIMISSION_INFOS: always(DOCUMENTED_DIMISSION_INFOS),
        }
    )

    section = run("dimissions", lambda: collect_dimissions(caller))

    assert [(d.userid, d.handover_userid) for d in section.get()] == [("leaver-01", "manager-01")]
    assert [e for e, _ in caller.asked].count(ep.HR_DISMISSIONS) == 1
    assert evaluate("DT.LCM.5", snapshot(dimissions=section)).status is Status.PASS


# --- 6. members without a hire date --------------------------------------------------------------


def test_a_leaver_with_no_hire_date_is_flagged_saying_the_re_hire_test_was_impossible() -> None:
    # The documented user/list record as most real ones come: without hired_date.
    record = {k: v for k, v in DOCUMENTED_USER_LIST["result"]["list"].items() if k != "hired_date"}
    member = _user(record)
    left = LeaveRecord(userid="zhangsan", leave_time=datetime(2026, 11, 5, tzinfo=UTC), leave_reason="leave")

    finding = evaluate("DT.LCM.1", snapshot(users=[member], leave_records=[left]))

    assert finding.status is Status.FAIL
    (resource,) = finding.resources
    assert resource.detail == (
        "left on 2026-11-05 (leave) but is still a member; no hire date (hired_date) in the directory, "
        "so whether they were re-hired after leaving could not be tested: confirm it"
    )
    assert resource.evidence["hired_at"] is None
