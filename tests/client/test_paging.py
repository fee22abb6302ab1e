"""The pagination walkers, driven through the real client against paged fake answers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import respx
from dingtalk_fakes import api_ok, body_of, oapi_ok, url_of

from dingscan.client import DingTalkClient
from dingscan.client import endpoints as ep
from dingscan.client.errors import MalformedResponse
from dingscan.client.paging import cursor_pages, next_token_pages, offset_pages, truthy

Page = Callable[[httpx.Request], httpx.Response]


async def walk(pages: AsyncIterator[list[Any]]) -> list[list[Any]]:
    return [page async for page in pages]


def sent(route: respx.Route, key: str) -> list[Any]:
    """The value of ``key`` in each request's JSON body (or query string, for GET)."""
    values = []
    for call in route.calls:
        request = call.request
        values.append(body_of(request)[key] if request.method == "POST" else request.url.params.get(key))
    return values


# --- cursor / next_cursor (topapi/v2/user/list) -----------------------------------------------


async def test_cursor_pages_walk_every_page_with_the_returned_cursor(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    pages = {
        0: {"list": ["u1", "u2"], "has_more": True, "next_cursor": 2},
        2: {"list": ["u3", "u4"], "has_more": True, "next_cursor": 4},
        4: {"list": ["u5"], "has_more": False},
    }
    route = dingtalk.post(url_of(ep.USER_LIST)).mock(
        side_effect=lambda request: oapi_ok(result=pages[body_of(request)["cursor"]])
    )

    walked = await walk(cursor_pages(client, ep.USER_LIST, {"dept_id": 1}, size=2))

    assert walked == [["u1", "u2"], ["u3", "u4"], ["u5"]]
    assert sent(route, "cursor") == [0, 2, 4]
    assert sent(route, "size") == [2, 2, 2]
    assert sent(route, "dept_id") == [1, 1, 1]


async def test_cursor_pages_honour_has_more_written_as_a_string(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    pages = {
        0: {"list": ["u1"], "has_more": "true", "next_cursor": "7"},
        "7": {"list": ["u2"], "has_more": "false", "next_cursor": "9"},
    }
    route = dingtalk.post(url_of(ep.USER_LIST)).mock(
        side_effect=lambda request: oapi_ok(result=pages[body_of(request)["cursor"]])
    )

    assert await walk(cursor_pages(client, ep.USER_LIST, {"dept_id": 1})) == [["u1"], ["u2"]]
    assert route.call_count == 2


async def test_cursor_that_does_not_advance_raises_instead_of_looping(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route = dingtalk.post(url_of(ep.USER_LIST)).mock(
        side_effect=lambda request: oapi_ok(result={"list": ["u1"], "has_more": True, "next_cursor": 100})
    )

    with pytest.raises(MalformedResponse, match="does not advance"):
        await walk(cursor_pages(client, ep.USER_LIST, {"dept_id": 1}))

    assert route.call_count == 2


async def test_has_more_without_a_next_cursor_is_malformed(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route = dingtalk.post(url_of(ep.USER_LIST)).mock(
        return_value=oapi_ok(result={"list": ["u1"], "has_more": True})
    )

    with pytest.raises(MalformedResponse):
        await walk(cursor_pages(client, ep.USER_LIST, {"dept_id": 1}))

    assert route.call_count == 1


# --- offset / size (role/list, inactive users, external contacts) -----------------------------


def offset_pager(items: list[Any], page: Callable[[list[Any], bool], dict[str, Any]]) -> Page:
    def answer(request: httpx.Request) -> httpx.Response:
        body = body_of(request)
        offset, size = body["offset"], body["size"]
        return oapi_ok(**page(items[offset : offset + size], offset + size < len(items)))

    return answer


async def test_offset_pages_follow_a_camel_case_has_more(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route = dingtalk.post(url_of(ep.ROLE_LIST)).mock(
        side_effect=offset_pager(
            ["g1", "g2", "g3", "g4", "g5"], lambda chunk, more: {"result": {"list": chunk, "hasMore": more}}
        )
    )

    walked = await walk(offset_pages(client, ep.ROLE_LIST, {}, size=2))

    assert walked == [["g1", "g2"], ["g3", "g4"], ["g5"]]
    assert sent(route, "offset") == [0, 2, 4]
    assert sent(route, "size") == [2, 2, 2]


async def test_offset_pages_follow_a_snake_case_has_more(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route = dingtalk.post(url_of(ep.INACTIVE_USERS)).mock(
        side_effect=offset_pager(
            ["u1", "u2", "u3"], lambda chunk, more: {"result": {"list": chunk, "has_more": more}}
        )
    )

    pages = offset_pages(client, ep.INACTIVE_USERS, {"query_date": "20261124"}, size=2)

    assert await walk(pages) == [["u1", "u2"], ["u3"]]
    assert sent(route, "query_date") == ["20261124", "20261124"]


async def test_offset_pages_fall_back_to_snake_case_when_camel_case_is_absent(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    dingtalk.post(url_of(ep.ROLE_LIST)).mock(
        side_effect=offset_pager(
            ["g1", "g2", "g3"], lambda chunk, more: {"result": {"list": chunk, "has_more": more}}
        )
    )

    assert await walk(offset_pages(client, ep.ROLE_LIST, {}, size=2)) == [["g1", "g2"], ["g3"]]


async def test_offset_pages_read_either_spelling_of_the_flag(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    dingtalk.post(url_of(ep.INACTIVE_USERS)).mock(
        side_effect=offset_pager(
            ["u1", "u2", "u3"], lambda chunk, more: {"result": {"list": chunk, "hasMore": more}}
        )
    )

    pages = offset_pages(client, ep.INACTIVE_USERS, {}, size=2)

    assert await walk(pages) == [["u1", "u2"], ["u3"]]


async def test_offset_pages_honour_has_more_written_as_a_string(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    dingtalk.post(url_of(ep.ROLE_LIST)).mock(
        side_effect=offset_pager(
            ["g1", "g2", "g3"], lambda chunk, more: {"result": {"list": chunk, "hasMore": str(more).lower()}}
        )
    )

    assert await walk(offset_pages(client, ep.ROLE_LIST, {}, size=2)) == [["g1", "g2"], ["g3"]]


@pytest.mark.parametrize(
    ("contacts", "requests"),
    [(["c1", "c2", "c3", "c4", "c5"], 3), (["c1", "c2", "c3", "c4"], 3), ([], 1)],
    ids=["short-last-page", "exact-multiple-ends-on-empty-page", "none"],
)
async def test_offset_pages_without_a_flag_stop_on_a_short_page(
    contacts: list[str], requests: int, dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route = dingtalk.post(url_of(ep.EXTERNAL_CONTACTS)).mock(
        side_effect=offset_pager(contacts, lambda chunk, more: {"results": chunk})
    )

    pages = offset_pages(client, ep.EXTERNAL_CONTACTS, {}, size=2, items=("results",), flag_in=())

    assert [item for page in await walk(pages) for item in page] == contacts
    assert route.call_count == requests


# --- nextToken (new host) ----------------------------------------------------------------------


async def test_next_token_pages_start_at_zero_and_stop_when_no_token_comes_back(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    pages = {
        "0": {"records": [{"userId": "a"}], "nextToken": "t1"},
        "t1": {"records": [{"userId": "b"}], "nextToken": "t2"},
        "t2": {"records": [{"userId": "c"}]},
    }
    route = dingtalk.get(url_of(ep.LEAVE_RECORDS)).mock(
        side_effect=lambda request: api_ok(**pages[request.url.params["nextToken"]])
    )

    params = {"startTime": "2025-11-25T00:00:00Z", "endTime": "2026-11-25T00:00:00Z"}
    walked = await walk(next_token_pages(client, ep.LEAVE_RECORDS, params, items="records", max_results=50))

    assert walked == [[{"userId": "a"}], [{"userId": "b"}], [{"userId": "c"}]]
    assert sent(route, "nextToken") == ["0", "t1", "t2"]
    assert sent(route, "maxResults") == ["50", "50", "50"]
    assert sent(route, "startTime") == [params["startTime"]] * 3


@pytest.mark.parametrize("has_more", [False, "false"])
async def test_next_token_pages_stop_when_has_more_is_false(
    has_more: object, dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route = dingtalk.get(url_of(ep.LEAVE_RECORDS)).mock(
        return_value=api_ok(records=[{"userId": "a"}], nextToken="t-ignored", hasMore=has_more)
    )

    walked = await walk(next_token_pages(client, ep.LEAVE_RECORDS, {}, items="records", max_results=50))

    assert walked == [[{"userId": "a"}]]
    assert route.call_count == 1


async def test_next_token_pages_follow_has_more_written_as_a_string(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    pages = {
        "0": {"records": [1], "nextToken": "t1", "hasMore": "true"},
        "t1": {"records": [2], "nextToken": "t2", "hasMore": "false"},
    }
    dingtalk.get(url_of(ep.LEAVE_RECORDS)).mock(
        side_effect=lambda request: api_ok(**pages[request.url.params["nextToken"]])
    )

    pages_walked = next_token_pages(client, ep.LEAVE_RECORDS, {}, items="records", max_results=50)

    assert await walk(pages_walked) == [[1], [2]]


async def test_next_token_that_does_not_advance_raises_instead_of_looping(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route = dingtalk.get(url_of(ep.LEAVE_RECORDS)).mock(
        side_effect=lambda request: api_ok(records=[1], nextToken="same", hasMore=True)
    )

    with pytest.raises(MalformedResponse, match="does not advance"):
        await walk(next_token_pages(client, ep.LEAVE_RECORDS, {}, items="records", max_results=50))

    assert route.call_count == 2


# The example answer on DingTalk's "获取离职员工列表" page (GET /v1.0/hrm/employees/dismissions),
# in our words: a zero token beside hasMore true, and one userid.
DOCUMENTED_DISMISSIONS = {"nextToken": 0, "hasMore": True, "userIdList": ["leaver-01"]}


async def test_a_zero_token_after_a_short_page_ends_the_walk_as_in_the_documented_example(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    route = dingtalk.get(url_of(ep.HR_DISMISSIONS)).mock(return_value=api_ok(**DOCUMENTED_DISMISSIONS))

    walked = await walk(next_token_pages(client, ep.HR_DISMISSIONS, {}, items="userIdList", max_results=50))

    assert walked == [["leaver-01"]]
    assert route.call_count == 1


@pytest.mark.parametrize("token", [0, "0", None], ids=["zero", "zero-text", "absent"])
async def test_a_full_page_with_more_but_no_usable_token_is_malformed_not_a_restart(
    token: object, dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    answer: dict[str, object] = {"hasMore": True, "userIdList": ["u1", "u2"]}
    if token is not None:
        answer["nextToken"] = token
    route = dingtalk.get(url_of(ep.HR_DISMISSIONS)).mock(return_value=api_ok(**answer))

    with pytest.raises(MalformedResponse, match="full page of 2 but no nextToken"):
        await walk(next_token_pages(client, ep.HR_DISMISSIONS, {}, items="userIdList", max_results=2))

    assert route.call_count == 1


async def test_cursor_pages_may_take_one_record_in_place_of_the_list(
    dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    one = {"userid": "zhangsan"}
    dingtalk.post(url_of(ep.USER_LIST)).mock(return_value=oapi_ok(result={"list": one, "has_more": "false"}))

    assert await walk(cursor_pages(client, ep.USER_LIST, {"dept_id": 1}, single=True)) == [[one]]


# --- wrong shapes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        oapi_ok(),
        oapi_ok(result="oops"),
        oapi_ok(result={"has_more": False}),
        oapi_ok(result={"list": "u1,u2", "has_more": False}),
        oapi_ok(result={"list": {"0": "u1"}, "has_more": False}),
    ],
    ids=["no-result", "result-is-text", "no-list", "list-is-text", "list-is-object"],
)
async def test_cursor_pages_with_the_wrong_shape_are_malformed(
    answer: httpx.Response, dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    dingtalk.post(url_of(ep.USER_LIST)).mock(return_value=answer)

    with pytest.raises(MalformedResponse):
        await walk(cursor_pages(client, ep.USER_LIST, {"dept_id": 1}))


@pytest.mark.parametrize(
    "answer",
    [oapi_ok(), oapi_ok(result={"hasMore": False}), oapi_ok(result={"list": "g1", "hasMore": False})],
    ids=["no-result", "no-list", "list-is-text"],
)
async def test_offset_pages_with_the_wrong_shape_are_malformed(
    answer: httpx.Response, dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    dingtalk.post(url_of(ep.ROLE_LIST)).mock(return_value=answer)

    with pytest.raises(MalformedResponse):
        await walk(offset_pages(client, ep.ROLE_LIST, {}, size=200))


@pytest.mark.parametrize(
    "answer", [api_ok(nextToken="t1"), api_ok(records="a,b")], ids=["no-records", "records-is-text"]
)
async def test_next_token_pages_with_the_wrong_shape_are_malformed(
    answer: httpx.Response, dingtalk: respx.MockRouter, client: DingTalkClient
) -> None:
    dingtalk.get(url_of(ep.LEAVE_RECORDS)).mock(return_value=answer)

    with pytest.raises(MalformedResponse):
        await walk(next_token_pages(client, ep.LEAVE_RECORDS, {}, items="records", max_results=50))


async def test_a_null_list_is_an_empty_page(dingtalk: respx.MockRouter, client: DingTalkClient) -> None:
    dingtalk.post(url_of(ep.USER_LIST)).mock(return_value=oapi_ok(result={"list": None, "has_more": False}))

    assert await walk(cursor_pages(client, ep.USER_LIST, {"dept_id": 1})) == [[]]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("true", True), ("True", True), (1, True), (False, False), ("false", False), (0, False), (None, False), ("yes", False)],
)  # fmt: skip
def test_truthy_accepts_booleans_written_as_strings(value: object, expected: bool) -> None:
    assert truthy(value) is expected
