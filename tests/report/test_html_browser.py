"""The HTML report opened in a real browser (Debian's headless Chromium): counts, filters, no script, no network.

Runs wherever /usr/bin/chromium exists; in CI (CI=true) a missing browser fails instead of skipping.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page
from report_support import HOSTILE_ORG

from chromium import chromium, require_chromium
from dingscan.findings import FindingsDocument, Status
from dingscan.report.html import render_html


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserContext]:
    require_chromium()
    with chromium() as context:
        yield context


class Opened:
    """A report loaded from disk, with every request and dialog the page attempted."""

    def __init__(self, context: BrowserContext, document: FindingsDocument, path: Path) -> None:
        path.write_text(render_html(document), encoding="utf-8")
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page: Page = context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")
        self.uri = path.as_uri()

    def visible_controls(self, status: str | None = None) -> int:
        selector = "details.ctl" + (f".st-{status}" if status else "")
        return int(self.page.eval_on_selector_all(selector, "els => els.filter(e => e.offsetParent).length"))

    def network(self) -> list[str]:
        return [url for url in self.requests if url != self.uri]


def test_demo_report_shows_the_counts_and_filters_by_status(
    browser: BrowserContext, demo: FindingsDocument, tmp_path: Path
) -> None:
    opened = Opened(browser, demo, tmp_path / "demo.html")
    page = opened.page
    for status in Status:
        assert page.text_content(f"#count-{status.value}") == str(demo.summary[status])
    assert opened.visible_controls() == len(demo.findings)

    page.click("label[for=st-FAIL]")
    assert opened.visible_controls() == demo.summary[Status.FAIL]
    assert opened.visible_controls("PASS") == 0
    page.click("label[for=ar-IDN]")  # both filters at once: failing identity controls
    failing_idn = [f for f in demo.findings if f.status is Status.FAIL and ".IDN." in f.control_id]
    assert opened.visible_controls() == len(failing_idn)
    page.click("label[for=st-all]")
    page.click("label[for=ar-all]")
    assert opened.visible_controls() == len(demo.findings)

    first = next(f for f in demo.findings if f.resources)
    control = f"[id='control-{first.control_id}']"
    assert not page.is_visible(f"{control} .offender-table")
    page.click(f"{control} > summary")
    assert page.is_visible(f"{control} .offender-table")
    assert page.locator(f"{control} .offender-table tr").count() == 1 + len(first.resources)
    assert opened.network() == [] and opened.dialogs == []


def test_hostile_names_render_as_text_and_nothing_runs(
    browser: BrowserContext, hostile: FindingsDocument, tmp_path: Path
) -> None:
    opened = Opened(browser, hostile, tmp_path / "hostile.html")
    page = opened.page
    page.click("label[for=st-FAIL]")
    for details in page.query_selector_all("details"):
        details.evaluate("d => d.open = true")
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.scripts.length") == 0
    assert page.query_selector_all("main img, main style, body script") == []
    body = page.inner_text("main")
    assert "<script>window.__pwned = 1; alert('xss')</script>" in body
    assert '"><img src=x onerror="window.__pwned=2">' in body
    assert page.inner_text("h1") == f"dingscan report: {HOSTILE_ORG}"
    assert page.is_visible("body")
    assert opened.dialogs == [] and opened.network() == []
