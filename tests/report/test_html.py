"""The HTML report as a file: self-contained, its own CSP matches its style, long lists capped."""

from __future__ import annotations

import base64
import hashlib
import html
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dingscan.findings import Finding, FindingsDocument, Resource, Severity, Status
from dingscan.report.html import OFFENDERS_SHOWN, render_html
from factories import findings_document


def test_the_page_loads_nothing_and_its_csp_allows_only_its_own_style(demo: FindingsDocument) -> None:
    page = render_html(demo)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    policy = html.unescape(csp.group(1))
    assert "default-src 'none'" in policy
    [style] = re.findall(r"<style>(.*?)</style>", page, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in policy
    assert "<script" not in page and "http://" not in page.split("<main>")[0] + style


def test_tenant_values_are_escaped(hostile: FindingsDocument) -> None:
    page = render_html(hostile)
    assert "<script>window.__pwned" not in page and "&lt;script&gt;window.__pwned" in page
    assert "<img src=x" not in page
    assert "&lt;/title&gt;&lt;script&gt;" in page


def test_long_offender_lists_are_capped_and_say_so(demo: FindingsDocument) -> None:
    finding = next(f for f in demo.findings if f.status is Status.FAIL)
    many = [
        Resource(type="user", id=f"user{n}", name=f"成员{n}", detail="dormant")
        for n in range(OFFENDERS_SHOWN + 50)
    ]
    crowded = finding.model_copy(update={"resources": many})
    document = demo.model_copy(update={"findings": [crowded]})
    page = render_html(document)
    assert f"user{OFFENDERS_SHOWN - 1}<" in page and f"user{OFFENDERS_SHOWN}<" not in page
    assert f"first {OFFENDERS_SHOWN} shown" in page


#: What an HTML file must not carry raw: C0 controls but tab and line breaks, DEL, C1 controls.
RAW_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@pytest.mark.hostile
@settings(max_examples=100, deadline=None, database=None)
@given(name=st.text(st.characters(codec="utf-8") | st.sampled_from("\x00\x07\x1b\x7f\x85\x9b"), min_size=1))
@example(name="Chan\x00Tai\x07Man\x1b[2J")
def test_control_characters_in_tenant_text_are_shown_never_written_raw(name: str) -> None:
    offender = Resource(type="user", id=f"u-{name}", name=name, detail=f"detail {name}", evidence={"n": name})
    finding = Finding(
        uid="x", control_id="DT.PRV.1", title="t", severity=Severity.HIGH, status=Status.FAIL,
        message=f"1 offender {name}", evidence_source="api", resources=[offender], remediation="r",
        evidence={"name": name},
    )  # fmt: skip
    page = render_html(findings_document(finding, org_name=name))
    assert not RAW_CONTROLS.search(page), RAW_CONTROLS.findall(page)
    if "\x1b" in name:
        assert "\\x1b" in page or "\\u001b" in page
