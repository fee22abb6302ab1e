"""Reports in the reader's language: --lang, DINGSCAN_LANG and the locale; a language is a data file.

People's formats (summary, HTML, Markdown, CSV headers, checks, baseline, errors) follow the
language; the findings JSON and OCSF stay English, so machines and drift comparisons never see a
language switch.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from dingscan import i18n
from dingscan.catalogue import expected_messages
from dingscan.cli import main
from dingscan.engine import load_checks
from dingscan.exitcodes import ExitCode
from dingscan.findings import FindingsDocument
from dingscan.i18n import resolve_language, translator
from dingscan.report.base import localised
from dingscan.report.console import display_width, render_summary
from dingscan.report.csvtable import render_csv
from dingscan.report.html import render_html
from dingscan.report.markdown import render_markdown


@pytest.fixture
def zh(demo: FindingsDocument) -> FindingsDocument:
    return localised(demo, "zh-HK")


def test_titles_and_remediation_are_translated_and_verdicts_kept(
    demo: FindingsDocument, zh: FindingsDocument
) -> None:
    english = {f.control_id: f for f in demo.findings}
    prv1 = next(f for f in zh.findings if f.control_id == "DT.PRV.1")
    assert zh.lang == "zh-HK" and prv1.title == "主要管理員人數少，但不能為零"
    assert prv1.remediation.startswith("管理後台 > 「权限管理 > 管理员」：")
    assert prv1.message == english["DT.PRV.1"].message and prv1.uid == english["DT.PRV.1"].uid
    assert localised(demo, "en") is demo


def test_people_formats_speak_the_documents_language(zh: FindingsDocument) -> None:
    page = render_html(zh)
    assert '<html lang="zh-HK">' in page and "<h2>摘要</h2>" in page and "修正方法：" in page
    assert "<h3>香港《個人資料(私隱)條例》（第 486 章）保障資料原則（DPP1 至 DPP6）</h3>" in page
    markdown = render_markdown(zh)
    assert markdown.startswith("# dingscan 報告：") and "| 控制項 | 嚴重程度 | 狀態 | 結果 |" in markdown
    header = next(csv.reader(io.StringIO(render_csv(zh))))
    assert header[:3] == ["識別碼", "控制項編號", "標題"]
    summary = render_summary(zh)
    assert "覆蓋範圍：已收集" in summary and f"共 {len(zh.findings)} 個控制項：" in summary


def test_summary_columns_line_up_with_wide_characters(zh: FindingsDocument) -> None:
    lines = render_summary(zh).splitlines()
    header = next(line for line in lines if line.startswith("控制項"))
    row = next(line for line in lines if line.startswith("DT.PRV.1"))
    # "結果" (RESULT) starts in the terminal column where the verdict does: wide characters count twice.
    before = header.split("結果")[0]
    columns = display_width(before)
    assert columns == row.index(next(f.message for f in zh.findings if f.control_id == "DT.PRV.1"))


def test_json_and_ocsf_stay_english_whatever_the_language(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "demo",
                "--json",
                "--lang",
                "zh-HK",
                "--format",
                "ocsf",
                "--format",
                "html",
                "--output-dir",
                "zh",
            ]
        )
        == ExitCode.OK
    )
    findings = json.loads(capsys.readouterr().out)
    assert findings["lang"] == "en"
    assert next(f for f in findings["findings"] if f["control_id"] == "DT.PRV.1")["title"].startswith(
        "Primary"
    )
    [ocsf] = (workdir / "zh").glob("*.ocsf.jsonl")
    events = [json.loads(line) for line in ocsf.read_text(encoding="utf-8").splitlines()]
    assert {e["unmapped"]["lang"] for e in events} == {"en"}
    assert not any("主要管理員" in json.dumps(e, ensure_ascii=False) for e in events)
    [page] = (workdir / "zh").glob("*.html")
    assert "主要管理員人數少，但不能為零" in page.read_text(encoding="utf-8")


def test_language_comes_from_option_then_environment_then_locale() -> None:
    assert resolve_language("zh-HK", {"DINGSCAN_LANG": "en"}) == "zh-HK"
    assert resolve_language(None, {"DINGSCAN_LANG": "zh_hk", "LANG": "en_US.UTF-8"}) == "zh-HK"
    assert resolve_language(None, {"LANG": "zh_HK.UTF-8"}) == "zh-HK"
    assert resolve_language(None, {"LC_ALL": "en_GB.UTF-8", "LANG": "zh_HK.UTF-8"}) == "en"
    assert resolve_language(None, {"LANG": "zh_CN.UTF-8"}) == "en"  # no Simplified catalogue: not zh-HK
    assert resolve_language(None, {"LANG": "C.UTF-8"}) == "en"
    assert resolve_language(None, {}) == "en"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        resolve_language(None, {"DINGSCAN_LANG": "fr"})


def test_an_unknown_language_is_a_one_line_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checks", "--lang", "klingon"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err == "dingscan: error: unknown language 'klingon'; available: en, zh-HK\n"


def test_commands_for_people_follow_the_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert main(["--lang", "zh-HK", "checks"]) == ExitCode.OK
    listing = capsys.readouterr().out
    assert listing.startswith(
        "DT.IDN.1   critical      所有在職成員均須經公司身份提供者以單一登入（SSO）登入\n"
    )
    assert "           讀取          attestations, users\n" in listing and listing.endswith(
        f"\n共 {len(load_checks(plugins=False))} 項檢查\n"
    )
    monkeypatch.setenv("DINGSCAN_LANG", "zh-HK")
    assert main(["report", str(tmp_path / "missing.json"), "--format", "html"]) == ExitCode.USAGE
    assert capsys.readouterr().err.startswith("dingscan：錯誤：")


@pytest.fixture
def fake_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A third language made of data only: a catalogue file beside the real ones, nothing else."""
    locales = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES, locales)
    catalog = Catalog(locale=None)
    for message in expected_messages(load_checks(plugins=False)):
        catalog.add(message, f"⟪{message}⟫")
    with (locales / "x-fake.po").open("wb") as stream:
        write_po(stream, catalog)
    monkeypatch.setattr(i18n, "LOCALES", locales)
    translator.cache_clear()
    yield "x-fake"
    translator.cache_clear()


def test_a_new_language_is_one_catalogue_file(
    fake_language: str, demo: FindingsDocument, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fake_language in i18n.languages()
    assert main(["demo", "--lang", fake_language]) == ExitCode.OK
    summary = capsys.readouterr().out
    assert "⟪CONTROL⟫" in summary and "⟪coverage: 13 of 17 areas collected⟫" in summary
    page = render_html(localised(demo, fake_language))
    assert '<html lang="x-fake">' in page and "⟪Primary administrators are few, but more than none⟫" in page
    assert main(["baseline", "--lang", fake_language]) == ExitCode.OK
    assert "## ⟪Identity and sign-in⟫" in capsys.readouterr().out


def test_exception_lines_and_acceptance_tags_speak_the_documents_language(zh: FindingsDocument) -> None:
    summary = render_summary(zh)
    assert "例外情況：1 已套用, 1 已過期, 0 已失效, 0 未套用" in summary
    assert "  HF-RISK-001 (DT.LCM.2): 已過期 - " in summary
    assert "[由 Chan Tai Man, Managing Director 接受至 2027-02-28：HF-RISK-003]" in summary
