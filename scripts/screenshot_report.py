"""Screenshot of the demo's HTML report for the README (docs/report-demo.png).

Run from the project root: python scripts/screenshot_report.py
Renders the demo bundle's replay as HTML, opens it in Debian's headless Chromium (tests/chromium.py),
filters to FAIL, opens one control and its offenders, and captures the top of the page.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from chromium import chromium  # noqa: E402
from dingscan.cli import main  # noqa: E402

TARGET = ROOT / "docs" / "report-demo.png"


def screenshot() -> int:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "demo.html"
        os.chdir(ROOT)  # the demo bundle by its relative path, as `dingscan demo` replays it
        with contextlib.redirect_stdout(io.StringIO()):  # only the report is wanted, not the summary
            main(["replay", "fixtures/demo", "--format", "html", "--output", str(report)])
        with chromium() as context:
            page = context.new_page()
            page.set_viewport_size({"width": 1280, "height": 1600})
            page.goto(report.as_uri())
            page.click("label[for=st-FAIL]")
            page.click("[id='control-DT.PRV.4'] > summary")
            page.screenshot(path=str(TARGET), full_page=False)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(screenshot())
