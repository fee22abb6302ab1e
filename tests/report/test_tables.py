"""CSV for spreadsheets and Markdown for tickets: right shape, and tenant data stays text."""

from __future__ import annotations

import csv
import io

from markdown_it import MarkdownIt

from dingscan.findings import FindingsDocument, Status
from dingscan.report.base import finding_field_names
from dingscan.report.csvtable import render_csv
from dingscan.report.markdown import OFFENDERS_SHOWN, escape, render_markdown


def rows_of(document: FindingsDocument) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(render_csv(document), newline="")))


def test_csv_has_one_row_per_control_and_resource(demo: FindingsDocument) -> None:
    rows = rows_of(demo)
    assert len(rows) == sum(len(f.resources) or 1 for f in demo.findings)
    failing = next(f for f in demo.findings if len(f.resources) > 1)
    mine = [r for r in rows if r["control_id"] == failing.control_id]
    assert [r["resource_id"] for r in mine] == [r.id for r in failing.resources]
    assert all(r["status"] == "FAIL" for r in mine)


def test_csv_columns_follow_the_findings_model(demo: FindingsDocument) -> None:
    header = next(csv.reader(io.StringIO(render_csv(demo))))
    assert header[: len(finding_field_names())] == finding_field_names()
    assert "uid" in header and "resources" not in header


def test_csv_neutralises_formulas_and_keeps_names(hostile: FindingsDocument) -> None:
    rows = rows_of(hostile)
    names = [r["resource_name"] for r in rows if r["resource_name"]]
    assert any(n.startswith("'=HYPERLINK(") for n in names)
    assert not any(n.startswith(("=", "+", "-", "@")) for n in names)
    assert any(n.startswith("<script>") for n in names)


def test_markdown_parses_to_the_summary_tables(demo: FindingsDocument) -> None:
    tokens = MarkdownIt("commonmark").enable("table").parse(render_markdown(demo))
    tables = [t for t in tokens if t.type == "table_open"]
    rows = sum(t.type == "tr_open" for t in tokens)
    assert len(tables) == 2
    assert rows == (1 + len(Status)) + (1 + len(demo.findings))
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    failing = [f for f in demo.findings if f.status is Status.FAIL]
    assert len(headings) == 2 + len(failing)


def test_markdown_keeps_hostile_names_as_text(hostile: FindingsDocument) -> None:
    text = render_markdown(hostile)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    inline = [child for t in tokens if t.children for child in t.children]
    assert not [t for t in inline if t.type in ("html_inline", "link_open", "image")]
    assert not [t for t in tokens if t.type == "html_block"]
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered
    assert "\u202e" not in text
    assert text.count("more (see the HTML, CSV or JSON report)") == sum(
        len(f.resources) > OFFENDERS_SHOWN for f in hostile.findings
    )


def test_escape_makes_table_cells_safe() -> None:
    assert escape("a | b") == "a \\| b"
    assert escape("[x](http://e)") == "\\[x\\](http://e)"
    assert escape("<b>\n") == "&lt;b> "
