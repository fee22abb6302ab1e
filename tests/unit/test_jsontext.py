"""JSON text that line splitters cannot break: the escapes and the reader."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dingscan.jsontext import dumps, json_lines, line_safe


@pytest.mark.hostile
@settings(max_examples=200, deadline=None, database=None)
@given(values=st.lists(st.dictionaries(st.text(), st.text() | st.integers()), min_size=1, max_size=5))
def test_json_lines_split_into_their_records_by_any_line_splitter(values: list[dict[str, object]]) -> None:
    text = "".join(dumps(value) + "\n" for value in values)

    assert [json.loads(line) for line in text.splitlines()] == values
    assert [json.loads(line) for line in json_lines(text)] == values


def test_line_safe_escapes_only_what_json_leaves_raw() -> None:
    assert line_safe(json.dumps("a\u2028b\u2029c\x85d\x7fe\x9ff", ensure_ascii=False)) == (
        r'"a\u2028b\u2029c\u0085d\u007fe\u009ff"'
    )
    assert line_safe('{"名前": "陳大文 👍"}') == '{"名前": "陳大文 👍"}'


@pytest.mark.hostile
def test_a_file_written_with_raw_separators_is_still_read_line_by_line() -> None:
    older = json.dumps({"name": "a\u2028b"}, ensure_ascii=False) + "\n\n" + json.dumps({"n": 1}) + "\n"

    assert [json.loads(line) for line in json_lines(older)] == [{"name": "a\u2028b"}, {"n": 1}]
