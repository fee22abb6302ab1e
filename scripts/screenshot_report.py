"""Screenshots of the demo for the README: the HTML report, and the terminal summary in a language.

Run from the project root:

    python scripts/screenshot_report.py            # docs/report-demo.png
    python scripts/screenshot_report.py zh-HK      # docs/report-demo.zh-HK.png, docs/summary-demo.zh-HK.png

Renders the demo bundle's replay as HTML, opens it in Debian's headless Chromium (tests/chromium.py),
filters to FAIL, opens one control and its offenders, and captures the top of the page. The terminal
summary is the text `dingscan demo` prints, set in a monospaced CJK font (WenQuanYi Micro Hei Mono,
Debian's fonts-wqy-microhei: one Chinese character is two columns, as in a terminal) and captured
the same way.
"""

from __future__ import annotations

import contextlib
import html
import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from chromium import chromium  # noqa: E402
from dingscan.cli import main  # noqa: E402

TERMINAL = """<!DOCTYPE html><meta charset="utf-8"><style>
body {{ margin: 0; background: #1e1e1e; }}
pre {{ margin: 0; padding: 16px; color: #d4d4d4; font: 14px/1.35 "WenQuanYi Micro Hei Mono", monospace;
       white-space: pre-wrap; word-break: break-all; }}
</style><pre>{text}</pre>"""


def suffix(lang: str) -> str:
    return "" if lang == "en" else f".{lang}"


def screenshot(lang: str) -> None:
    target = ROOT / "docs" / f"report-demo{suffix(lang)}.png"
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "demo.html"
        os.chdir(ROOT)  # the demo bundle by its relative path, as `dingscan demo` replays it
        with contextlib.redirect_stdout(io.StringIO()):  # only the report is wanted, not the summary
            main(["replay", "fixtures/demo", "--lang", lang, "--format", "html", "--output", str(report)])
        with chromium() as context:
            page = context.new_page()
            page.set_viewport_size({"width": 1280, "height": 1600})
            page.goto(report.as_uri())
            page.click("label[for=st-FAIL]")
            page.click("[id='control-DT.PRV.4'] > summary")
            page.screenshot(path=str(target), full_page=False)
    print(f"wrote {target.relative_to(ROOT)}")


def terminal(lang: str) -> None:
    target = ROOT / "docs" / f"summary-demo{suffix(lang)}.png"
    summary = io.StringIO()
    os.chdir(ROOT)
    with contextlib.redirect_stdout(summary), contextlib.redirect_stderr(io.StringIO()):
        main(["demo", "--lang", lang])
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "summary.html"
        page_file.write_text(TERMINAL.format(text=html.escape(summary.getvalue())), encoding="utf-8")
        with chromium() as context:
            page = context.new_page()
            page.set_viewport_size({"width": 1500, "height": 400})
            page.goto(page_file.as_uri())
            page.locator("pre").screenshot(path=str(target))
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    language = sys.argv[1] if len(sys.argv) > 1 else "en"
    screenshot(language)
    if language != "en":
        terminal(language)
