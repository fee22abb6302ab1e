"""The translation catalogues: complete, placeholder-exact, and in Hong Kong Traditional Chinese.

Every text dingscan shows people (interface strings found in the code and report template, and each
control's title, rationale and remediation) must be translated in every catalogue, with exactly the
English text's ``{placeholders}``. In zh-HK, DingTalk console labels are marked ``⟦…⟧`` and keep the
console's Simplified wording; everything else must be free of Simplified-only characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hanzidentifier
import pytest
import yaml

import dingscan
from dingscan.catalogue import expected_messages
from dingscan.engine import load_checks
from dingscan.i18n import CONSOLE_LABEL, SOURCE_LANGUAGE, catalogue, languages, starter_text

TRANSLATED = [lang for lang in languages() if lang != SOURCE_LANGUAGE]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@pytest.fixture(scope="module")
def expected() -> dict[str, list[str]]:
    return expected_messages(load_checks(plugins=False))


def test_there_is_a_chinese_catalogue_and_it_covers_every_control_text(
    expected: dict[str, list[str]],
) -> None:
    assert "zh-HK" in TRANSLATED
    controls = [where for wheres in expected.values() for where in wheres if where.startswith("DT.")]
    assert len(controls) == len(load_checks(plugins=False)) * 3  # title, rationale, remediation


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_nothing_else_is(lang: str, expected: dict[str, list[str]]) -> None:
    translated = catalogue(lang)
    missing = [f"{', '.join(expected[m])}: {m[:60]!r}" for m in expected if m not in translated]
    assert not missing, (
        f"untranslated in {lang} (run scripts/update_catalogue.py, then translate):\n" + "\n".join(missing)
    )
    assert not set(translated) - set(expected), "obsolete entries: run scripts/update_catalogue.py"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_have_exactly_the_english_placeholders(lang: str) -> None:
    wrong = {
        message: text
        for message, text in catalogue(lang).items()
        if sorted(PLACEHOLDER.findall(message)) != sorted(PLACEHOLDER.findall(text))
    }
    assert not wrong


def simplified_only(text: str) -> list[str]:
    """Characters of ``text`` outside console labels that exist only in Simplified Chinese."""
    prose = CONSOLE_LABEL.sub("", text)
    return [c for c in prose if hanzidentifier.is_simplified(c) and not hanzidentifier.is_traditional(c)]


def zh_hk() -> Iterator[tuple[str, str]]:
    yield from catalogue("zh-HK").items()


def test_the_script_check_tells_the_two_scripts_apart() -> None:
    assert simplified_only("检查通讯录") == ["检", "讯", "录"]
    assert simplified_only("管理後台 > ⟦通讯录 > 成员管理⟧：檢查成員") == []
    assert simplified_only("⟦通讯录⟧ 与 ⟦成员管理⟧") == ["与"]


@pytest.mark.parametrize(("message", "text"), list(zh_hk()), ids=lambda value: value[:30])
def test_zh_hk_is_traditional_outside_console_labels(message: str, text: str) -> None:
    assert not simplified_only(text), "Simplified characters outside ⟦console labels⟧"


def test_zh_hk_console_labels_are_the_consoles_own_words() -> None:
    """A ⟦label⟧ must appear verbatim in the English text: the marks exempt labels, not prose."""
    labels = {
        label: message
        for message, text in zh_hk()
        for label in CONSOLE_LABEL.findall(text)
        if label not in message
    }
    assert not labels
    assert sum(len(CONSOLE_LABEL.findall(text)) for _, text in zh_hk()) >= 40


def test_every_console_label_in_the_english_control_texts_is_kept_in_zh_hk() -> None:
    """Each Simplified run in an English text (a console label) comes back marked in the translation."""
    for message, text in zh_hk():
        for label in re.findall(r"[\u4e00-\u9fff]+", message):
            assert any(label in kept for kept in CONSOLE_LABEL.findall(text)), (label, message[:60])


TEMPLATES = Path(dingscan.__file__).parent / "templates"


@pytest.mark.parametrize("name", ["policy.yaml", "attestations.yaml", "exceptions.yaml"])
@pytest.mark.parametrize("lang", TRANSLATED)
def test_starter_files_in_each_language_match_the_english_ones(lang: str, name: str) -> None:
    """Same keys set, same keys shown commented out; only the comments and example names differ."""
    english, translated = (
        (TEMPLATES / name).read_text(encoding="utf-8"),
        starter_text(f"templates/{name}", lang),
    )
    assert _key_tree(yaml.safe_load(translated)) == _key_tree(yaml.safe_load(english))
    assert _commented_keys(translated) == _commented_keys(english)
    assert "⟦" not in translated


def test_zh_hk_starter_files_are_traditional_outside_console_labels() -> None:
    for template in (TEMPLATES / "zh-HK").iterdir():
        assert not simplified_only(template.read_text(encoding="utf-8")), template.name


def _key_tree(value: Any) -> Any:
    return {k: _key_tree(v) for k, v in value.items()} if isinstance(value, dict) else None


def _commented_keys(text: str) -> list[str]:
    return re.findall(r"^#\s+(?:- )?(\w+):", text, re.MULTILINE)
