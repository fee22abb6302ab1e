"""Properties of the collector's parsers and of the runner that turns their failures into sections.

A parser given any dict either builds its model or raises one of the exceptions
:class:`SectionRunner` catches (ValidationError, KeyError, TypeError, ValueError); the runner turns
each into a FAILED section with a one-line reason. Anything else would escape the runner and end
the whole scan with an internal error instead of failing one section.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from prop_strategies import FAST, THOROUGH, flat_text, one_line
from pydantic import BaseModel, ValidationError

from dingscan.client import endpoints as ep
from dingscan.client import errors
from dingscan.client.errors import DingTalkError, NotEnabled
from dingscan.collect.base import QuietProgress, SectionRunner
from dingscan.collect.directory import _department, _user, collect_departments
from dingscan.collect.external import _contact
from dingscan.collect.lifecycle import _dimission, _leave_record
from dingscan.snapshot import (
    Department,
    Dimission,
    ExternalContact,
    LeaveRecord,
    Section,
    SectionStatus,
    User,
)

CAUGHT = (ValidationError, KeyError, TypeError, ValueError)
Parser = Callable[[dict[str, Any]], BaseModel]

#: Numbers as junk DingTalk might send; within +-10**18 so that epoch milliseconds stay inside what
#: ``datetime.fromtimestamp`` reports as ValueError (beyond, it raises OSError/OverflowError, and
#: Infinity gives OverflowError: the xfail examples below).
ints = st.integers(min_value=-(10**18), max_value=10**18)
floats = st.floats(min_value=-1e18, max_value=1e18)
scalars = st.none() | st.booleans() | ints | floats | flat_text
junk = st.recursive(
    scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(flat_text, c, max_size=3), max_leaves=5
)
ids = ints | ints.map(str) | flat_text
bools = st.sampled_from([True, False, "true", "false", "TRUE", " true ", 1, 0, None])
epoch_ms = st.integers(min_value=0, max_value=4_102_444_800_000)  # up to 2100
timestamps = (
    epoch_ms
    | epoch_ms.map(str)
    | st.datetimes().map(lambda d: d.isoformat())
    | st.just("2026-11-25T00:00:00Z")
)
id_lists = st.lists(ids, max_size=3) | junk


def raw(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A dict with each field present or missing, holding a plausible value or junk, plus extras."""
    optional = {name: values | junk for name, values in fields.items()}
    return st.tuples(
        st.fixed_dictionaries({}, optional=optional), st.dictionaries(flat_text, junk, max_size=2)
    ).map(lambda parts: parts[1] | parts[0])


PARSERS: dict[str, tuple[Parser, type[BaseModel], st.SearchStrategy[dict[str, Any]]]] = {
    "user": (
        _user,
        User,
        raw(
            userid=ids,
            name=flat_text,
            email=flat_text,
            org_email=flat_text,
            active=bools,
            admin=bools,
            boss=bools,
            dept_id_list=id_lists,
            hired_date=timestamps,
            exclusive_account=bools,
            exclusive_account_type=st.sampled_from(["sso", "dingtalk"]),
            disable_status=bools,
        ),
    ),
    "department": (
        _department,
        Department,
        raw(dept_id=ids, name=flat_text, parent_id=ids, from_union_org=bools),
    ),
    "contact": (
        _contact,
        ExternalContact,
        raw(
            userid=ids,
            name=flat_text,
            company_name=flat_text,
            follower_user_id=ids,
            share_dept_ids=id_lists,
            share_user_ids=id_lists,
        ),
    ),
    "leave_record": (
        _leave_record,
        LeaveRecord,
        raw(userId=ids, name=flat_text, leaveTime=timestamps, leaveReason=flat_text),
    ),
    "dimission": (
        _dimission,
        Dimission,
        raw(userId=ids, lastWorkDay=timestamps, status=ids, handoverUserId=ids),
    ),
}


def outcome(parser: Parser, raw: dict[str, Any]) -> BaseModel | Exception:
    try:
        return parser(raw)
    except Exception as exc:
        return exc


@THOROUGH
@given(data=st.data(), name=st.sampled_from(sorted(PARSERS)))
def test_a_parser_builds_its_model_or_raises_what_the_runner_catches(data: st.DataObject, name: str) -> None:
    parser, model, raws = PARSERS[name]
    result = outcome(parser, data.draw(raws, label="raw"))

    if isinstance(result, Exception):
        assert isinstance(result, CAUGHT), f"{type(result).__name__}: {result}"
    else:
        assert isinstance(result, model)


def run_section(collect: Callable[[], Any]) -> tuple[Section[Any], SectionRunner]:
    runner = SectionRunner(QuietProgress())

    async def area() -> Section[Any]:
        return Section.collected(collect())

    return asyncio.run(runner.run("area", area)), runner


@THOROUGH
@given(data=st.data(), name=st.sampled_from(sorted(PARSERS)))
def test_the_runner_turns_any_batch_of_answers_into_a_collected_or_failed_section(
    data: st.DataObject, name: str
) -> None:
    parser, model, raws = PARSERS[name]
    batch = data.draw(st.lists(raws, max_size=4), label="batch")

    section, runner = run_section(lambda: [parser(r) for r in batch])

    if section.status is SectionStatus.COLLECTED:
        assert section.data is not None and all(isinstance(m, model) for m in section.data)
    else:
        assert section.status is SectionStatus.FAILED and section.data is None
        assert section.reason is not None and one_line(section.reason)
        assert section.reason.startswith("DingTalk's answer for area could not be read: ")
    assert runner.fatal is None


def _validation_error(value: Any) -> ValidationError:
    try:
        User.model_validate(value)
    except ValidationError as error:
        return error
    raise AssertionError("validated")


any_message = st.text(max_size=30)  # line breaks included: the runner keeps the first line
parse_errors = st.one_of(
    any_message.map(ValueError),
    any_message.map(TypeError),
    any_message.map(KeyError),
    st.dictionaries(st.sampled_from(["name", "dept_ids", "hired_at", "x"]), junk, max_size=3).map(
        _validation_error
    ),
)


@THOROUGH
@given(error=parse_errors)
def test_the_runner_fails_a_section_on_each_parse_error_with_a_one_line_reason(error: Exception) -> None:
    def collect() -> Any:
        raise error

    section, runner = run_section(collect)

    assert section.status is SectionStatus.FAILED
    assert section.data is None
    assert section.reason is not None and one_line(section.reason)
    assert section.reason.startswith("DingTalk's answer for area could not be read: ")
    assert runner.fatal is None


ERROR_CLASSES = sorted(
    (c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, DingTalkError)),
    key=lambda c: c.__name__,
)
dingtalk_errors = st.builds(
    lambda cls, code, message: cls(code, message, endpoint=ep.USER_LIST),
    st.sampled_from(ERROR_CLASSES),
    flat_text,
    flat_text,
)


@FAST
@given(error=dingtalk_errors)
def test_the_runner_turns_a_dingtalk_error_into_its_reason(error: DingTalkError) -> None:
    def collect() -> Any:
        raise error

    section, runner = run_section(collect)

    expected = SectionStatus.NOT_APPLICABLE if isinstance(error, NotEnabled) else SectionStatus.FAILED
    assert section.status is expected
    assert section.reason == error.reason and one_line(section.reason)
    assert runner.fatal is (error if error.fatal else None)


# --- junk the parsers cannot read fails its section, never the scan ------------------------------


def _runner_outcome(parser: Parser, raw: Any) -> Section[Any]:
    async def collect_one() -> Section[Any]:
        return Section.collected(parser(raw))

    return asyncio.run(SectionRunner(QuietProgress()).run("area", collect_one))


@pytest.mark.parametrize(
    ("parser", "raw"),
    [
        pytest.param(_user, {"userid": "u1", "hired_date": 10**20}, id="user-hired_date-OSError"),
        pytest.param(_user, {"userid": "u1", "hired_date": 10**400}, id="user-hired_date-OverflowError"),
        pytest.param(_user, {"userid": "u1", "dept_id_list": [float("inf")]}, id="user-dept-Infinity"),
        pytest.param(_department, {"dept_id": float("inf")}, id="department-Infinity"),
        pytest.param(
            _leave_record, {"userId": "u1", "leaveTime": "9" * 400}, id="leave-digits-OverflowError"
        ),
        pytest.param(_dimission, {"userId": "u1", "lastWorkDay": 10**20}, id="dimission-OSError"),
        pytest.param(_contact, {"userid": "u1", "share_dept_ids": [float("-inf")]}, id="contact-Infinity"),
        pytest.param(_department, "not-an-object", id="department-not-an-object"),
        pytest.param(_dimission, "not-an-object", id="dimission-not-an-object"),
    ],
)
def test_unreadable_values_fail_their_section_with_a_one_line_reason(parser: Parser, raw: Any) -> None:
    section = _runner_outcome(parser, raw)
    assert section.status is SectionStatus.FAILED
    assert section.reason and "\n" not in section.reason and "could not be read" in section.reason


class _ListsSub:
    async def call(self, endpoint: Any, **_: Any) -> dict[str, Any]:
        return {"errcode": 0, "result": ["not-an-object"]}


def test_a_department_list_of_strings_fails_the_section_not_the_scan() -> None:
    async def run() -> Section[Any]:
        return await SectionRunner(QuietProgress()).run(
            "departments", lambda: collect_departments(_ListsSub())
        )

    assert asyncio.run(run()).status is SectionStatus.FAILED
