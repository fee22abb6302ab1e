"""The HTML report as a file: self-contained, its own CSP matches its style, long lists capped."""

from __future__ import annotations

import base64
import hashlib
import html
import re

from dingscan.findings import FindingsDocument, Resource, Status
from dingscan.report.html import OFFENDERS_SHOWN, render_html


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
