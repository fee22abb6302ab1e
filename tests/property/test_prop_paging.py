"""Properties of the pagination walkers, against a fake caller serving pages.

Honest pages: every item comes out exactly once, in order, and the walk ends. Adversarial answers
(repeating cursors, wrong types, missing keys): the walk ends having yielded exactly what was
served, or raises :class:`MalformedResponse`; never anything else, never more calls than
``MAX_PAGES``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any
from unittest import mock

from hypothesis import event, given
from hypothesis import strategies as st
from prop_strategies import FAST, THOROUGH, json_values

from dingscan.client import endpoints as ep
from dingscan.client import paging
from dingscan.client.endpoints import Endpoint
from dingscan.client.errors import MalformedResponse
from dingscan.client.paging import cursor_pages, items_at, next_token_pages, offset_pages, truthy

#: The walkers' page bound, lowered so adversarial walks that keep going are cut short quickly.
SMALL_MAX_PAGES = 12
Serve = Callable[[int, Mapping[str, Any]], dict[str, Any]]


class TooManyCalls(Exception):
    """The walker called more often than it may: it would loop."""


class FakeCaller:
    """Serves ``serve(call_number, body_or_params)``; refuses to be called past ``limit``."""

    def __init__(self, serve: Serve, limit: int = SMALL_MAX_PAGES) -> None:
        self._serve = serve
        self._limit = limit
        self.requests: list[Mapping[str, Any]] = []
        self.answers: list[dict[str, Any]] = []

    async def call(
        self,
        endpoint: Endpoint,
        *,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        path_params: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        if len(self.requests) >= self._limit:
            raise TooManyCalls(len(self.requests))
        sent = body if body is not None else params or {}
        self.requests.append(sent)
        answer = self._serve(len(self.requests) - 1, sent)
        self.answers.append(answer)
        return answer


def walk(
    pages: AsyncIterator[list[Any]], max_pages: int = SMALL_MAX_PAGES
) -> tuple[list[list[Any]], BaseException | None]:
    """Every page yielded, and the exception that ended the walk (None: it ended normally)."""

    async def run() -> tuple[list[list[Any]], BaseException | None]:
        got: list[list[Any]] = []
        try:
            async for page in pages:
                got.append(page)
        except Exception as exc:
            return got, exc
        return got, None

    with mock.patch.object(paging, "MAX_PAGES", max_pages):
        return asyncio.run(run())


items = st.lists(st.integers(), max_size=30)
TRUE_FLAGS = [True, "true", "True", "TRUE", 1]
FALSE_FLAGS = [False, "false", "False", 0, None, "", "no"]


@st.composite
def split(draw: st.DrawFn, values: list[Any], *, max_page: int = 6) -> list[list[Any]]:
    """``values`` cut into consecutive pages (at least one, possibly empty)."""
    pages: list[list[Any]] = []
    rest = list(values)
    while rest:
        size = draw(st.integers(min_value=0 if pages else 1, max_value=max_page))
        pages.append(rest[:size])
        rest = rest[size:]
    return pages or [[]]


def page_keys(count: int) -> st.SearchStrategy[list[int | str]]:
    """Distinct cursors or tokens, one per page, none spelled "0" (the first page's key)."""
    return st.lists(
        st.integers(min_value=1) | st.text(min_size=1, max_size=6),
        min_size=count,
        max_size=count,
        unique_by=str,
    ).filter(lambda keys: "0" not in map(str, keys))


# --- honest pages ---------------------------------------------------------------------------------


@THOROUGH
@given(data=st.data(), values=items)
def test_cursor_pages_yield_every_item_once_in_order(data: st.DataObject, values: list[int]) -> None:
    pages = data.draw(split(values))
    cursors = data.draw(page_keys(len(pages)))
    where = {str(c): i for i, c in enumerate(cursors[1:], start=1)} | {"0": 0}

    def serve(_: int, body: Mapping[str, Any]) -> dict[str, Any]:
        i = where[str(body["cursor"])]
        result: dict[str, Any] = {"list": pages[i]}
        if i + 1 < len(pages):
            result |= {"has_more": data.draw(st.sampled_from(TRUE_FLAGS)), "next_cursor": cursors[i + 1]}
        elif data.draw(st.booleans()):
            result["has_more"] = data.draw(st.sampled_from(FALSE_FLAGS))
        return {"errcode": 0, "result": result}

    caller = FakeCaller(serve, limit=len(pages))
    got, error = walk(cursor_pages(caller, ep.USER_LIST, {"dept_id": 1}, size=6), paging.MAX_PAGES)

    assert error is None
    assert got == pages
    assert [x for page in got for x in page] == values
    assert all(r["size"] == 6 and r["dept_id"] == 1 for r in caller.requests)


OFFSET_SHAPES = [(("result", "list"), ("result",)), (("results",), ()), (("result", "list"), ())]


@THOROUGH
@given(data=st.data(), values=items, size=st.integers(min_value=1, max_value=6))
def test_offset_pages_with_a_flag_yield_every_item_once_in_order(
    data: st.DataObject, values: list[int], size: int
) -> None:
    pages = [values[i : i + size] for i in range(0, len(values), size)] or [[]]
    flag_name = data.draw(st.sampled_from(["hasMore", "has_more"]))

    def serve(_: int, body: Mapping[str, Any]) -> dict[str, Any]:
        assert body["offset"] % size == 0 and body["size"] == size
        i = body["offset"] // size
        more = i + 1 < len(pages)
        flag = data.draw(st.sampled_from(TRUE_FLAGS if more else FALSE_FLAGS))
        return {"errcode": 0, "result": {"list": pages[i], flag_name: flag}}

    caller = FakeCaller(serve, limit=len(pages))
    got, error = walk(offset_pages(caller, ep.ROLE_LIST, {}, size=size), paging.MAX_PAGES)

    assert error is None
    assert got == pages
    assert [x for page in got for x in page] == values


@THOROUGH
@given(data=st.data(), values=items, size=st.integers(min_value=1, max_value=6))
def test_offset_pages_without_a_flag_stop_on_a_short_page(
    data: st.DataObject, values: list[int], size: int
) -> None:
    # Full pages, then a short one (empty when the items fill the last page exactly).
    pages = [values[i : i + size] for i in range(0, len(values), size)]
    if not pages or len(pages[-1]) == size:
        pages.append([])
    items_path, flag_in = data.draw(st.sampled_from(OFFSET_SHAPES[1:]))

    def serve(_: int, body: Mapping[str, Any]) -> dict[str, Any]:
        i = body["offset"] // size
        answer: dict[str, Any] = {"errcode": 0}
        node = answer
        for key in items_path[:-1]:
            node = node.setdefault(key, {})
        node[items_path[-1]] = pages[i]
        return answer

    caller = FakeCaller(serve, limit=len(pages))
    got, error = walk(
        offset_pages(caller, ep.EXTERNAL_CONTACTS, {}, size=size, items=items_path, flag_in=flag_in),
        paging.MAX_PAGES,
    )

    assert error is None
    assert got == pages
    assert [x for page in got for x in page] == values


END_TOKENS = [None, "", 0, "0"]


@THOROUGH
@given(data=st.data(), values=items)
def test_next_token_pages_yield_every_item_once_in_order(data: st.DataObject, values: list[int]) -> None:
    pages = data.draw(split(values))
    tokens = data.draw(page_keys(len(pages)))
    where = {str(t): i for i, t in enumerate(tokens[1:], start=1)} | {"0": 0}

    def serve(_: int, params: Mapping[str, Any]) -> dict[str, Any]:
        i = where[str(params["nextToken"])]
        answer: dict[str, Any] = {"records": pages[i]}
        if i + 1 < len(pages):
            answer["nextToken"] = tokens[i + 1]
            if data.draw(st.booleans()):
                answer["hasMore"] = data.draw(st.sampled_from(TRUE_FLAGS))
        elif data.draw(st.booleans()):  # the last page: hasMore false, whatever the token says
            answer["hasMore"] = data.draw(st.sampled_from(FALSE_FLAGS))
            answer["nextToken"] = data.draw(st.sampled_from([*END_TOKENS, "stale-token"]))
        else:  # or no token at all
            token = data.draw(st.sampled_from([*END_TOKENS, "absent"]))
            if token != "absent":
                answer["nextToken"] = token
        return answer

    caller = FakeCaller(serve, limit=len(pages))
    got, error = walk(
        next_token_pages(caller, ep.LEAVE_RECORDS, {"a": 1}, items="records", max_results=50),
        paging.MAX_PAGES,
    )

    assert error is None
    assert got == pages
    assert [x for page in got for x in page] == values
    assert all(r["maxResults"] == 50 and r["a"] == 1 for r in caller.requests)


# --- adversarial answers ----------------------------------------------------------------------------

#: Values a flag, a cursor, a token or a list may have in a broken answer.
anything = json_values(max_leaves=4)
flags = st.sampled_from([*TRUE_FLAGS, *FALSE_FLAGS]) | anything
small_lists = st.lists(st.integers(), max_size=3)
lists_or_junk = small_lists | anything


def _maybe(key: str, values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """``{key: value}`` or ``{}`` (the key missing)."""
    return st.one_of(st.just({}), values.map(lambda v: {key: v}))


def _merge(*parts: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.tuples(*parts).map(lambda ds: {k: v for d in ds for k, v in d.items()})


repeating = st.sampled_from([0, "0", 1, "1", "a"])  # few values: repeats are likely
cursor_results = _merge(
    _maybe("list", lists_or_junk), _maybe("has_more", flags), _maybe("next_cursor", repeating | anything)
)
cursor_answers = _merge(_maybe("result", cursor_results | anything), st.just({"errcode": 0}))
offset_answers = _merge(
    _maybe(
        "result", _merge(_maybe("list", lists_or_junk), _maybe("hasMore", flags), _maybe("has_more", flags))
    ),
    _maybe("results", lists_or_junk),
)
token_answers = _merge(
    _maybe("records", lists_or_junk), _maybe("hasMore", flags), _maybe("nextToken", repeating | anything)
)


def _expected_page(answer: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = answer
    for key in path:
        node = node[key]
    return node or []


def _assert_walked_what_was_served(
    got: list[list[Any]], error: BaseException | None, caller: FakeCaller, path: tuple[str, ...]
) -> None:
    assert not isinstance(error, TooManyCalls), "the walker would have looped"
    assert error is None or isinstance(error, MalformedResponse), repr(error)
    if error is not None:
        assert error.reason
    event(f"malformed: {error.message}" if isinstance(error, MalformedResponse) else "ended")
    assert len(caller.answers) <= SMALL_MAX_PAGES
    # Each page yielded is the list of one answer served, in order: a prefix of what was served.
    assert len(got) <= len(caller.answers)
    assert got == [_expected_page(a, path) for a in caller.answers[: len(got)]]


@THOROUGH
@given(answers=st.lists(cursor_answers, min_size=1, max_size=SMALL_MAX_PAGES + 2))
def test_cursor_pages_on_adversarial_answers(answers: list[dict[str, Any]]) -> None:
    caller = FakeCaller(lambda n, _: answers[min(n, len(answers) - 1)], limit=SMALL_MAX_PAGES + 1)
    got, error = walk(cursor_pages(caller, ep.USER_LIST, {}))

    _assert_walked_what_was_served(got, error, caller, ("result", "list"))


@THOROUGH
@given(
    answers=st.lists(offset_answers, min_size=1, max_size=SMALL_MAX_PAGES + 2),
    shape=st.sampled_from(OFFSET_SHAPES),
    size=st.integers(min_value=1, max_value=4),
)
def test_offset_pages_on_adversarial_answers(
    answers: list[dict[str, Any]], shape: tuple[tuple[str, ...], tuple[str, ...]], size: int
) -> None:
    items_path, flag_in = shape
    caller = FakeCaller(lambda n, _: answers[min(n, len(answers) - 1)], limit=SMALL_MAX_PAGES + 1)
    got, error = walk(offset_pages(caller, ep.ROLE_LIST, {}, size=size, items=items_path, flag_in=flag_in))

    _assert_walked_what_was_served(got, error, caller, items_path)


@THOROUGH
@given(answers=st.lists(token_answers, min_size=1, max_size=SMALL_MAX_PAGES + 2))
def test_next_token_pages_on_adversarial_answers(answers: list[dict[str, Any]]) -> None:
    caller = FakeCaller(lambda n, _: answers[min(n, len(answers) - 1)], limit=SMALL_MAX_PAGES + 1)
    got, error = walk(next_token_pages(caller, ep.LEAVE_RECORDS, {}, items="records", max_results=50))

    _assert_walked_what_was_served(got, error, caller, ("records",))


@FAST
@given(token=st.integers(min_value=1) | st.text(min_size=1, max_size=6).filter(lambda t: t != "0"))
def test_a_repeated_token_is_malformed_not_a_loop(token: Any) -> None:
    caller = FakeCaller(lambda _n, _p: {"records": [1], "nextToken": token, "hasMore": True}, limit=100)
    got, error = walk(next_token_pages(caller, ep.LEAVE_RECORDS, {}, items="records", max_results=50))

    assert isinstance(error, MalformedResponse)
    assert len(caller.requests) == 2 and got == [[1], [1]]


@FAST
@given(cursor=st.integers(min_value=1) | st.text(min_size=1, max_size=6))
def test_a_repeated_cursor_is_malformed_not_a_loop(cursor: Any) -> None:
    answer = {"result": {"list": [1], "has_more": True, "next_cursor": cursor}}
    caller = FakeCaller(lambda _n, _b: answer, limit=100)
    _, error = walk(cursor_pages(caller, ep.USER_LIST, {}))

    assert isinstance(error, MalformedResponse)
    assert len(caller.requests) <= 3


def test_an_offset_walk_that_never_ends_stops_at_max_pages() -> None:
    caller = FakeCaller(lambda _n, _b: {"result": {"list": [1], "hasMore": True}}, limit=SMALL_MAX_PAGES + 1)
    got, error = walk(offset_pages(caller, ep.ROLE_LIST, {}, size=1))

    assert isinstance(error, MalformedResponse)
    assert len(got) == SMALL_MAX_PAGES


# --- the helpers ------------------------------------------------------------------------------------


@FAST
@given(value=anything)
def test_truthy_is_true_only_for_true_the_string_true_or_one(value: Any) -> None:
    expected = value is True or value == 1 or (isinstance(value, str) and value.lower() == "true")
    assert truthy(value) is expected


@THOROUGH
@given(
    answer=st.dictionaries(st.sampled_from(["a", "b", "c"]), anything, max_size=3),
    keys=st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3),
)
def test_items_at_returns_a_list_or_raises_malformed(answer: dict[str, Any], keys: list[str]) -> None:
    try:
        found = items_at(answer, *keys, endpoint=ep.USER_LIST)
    except MalformedResponse as error:
        assert error.reason
    else:
        assert isinstance(found, list)
