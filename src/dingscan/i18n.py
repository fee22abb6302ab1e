"""Human-facing text in the reader's language: gettext catalogues, English texts as message ids.

Every translatable text is written in English where it is used (a check's title, rationale and
remediation; a report's headings) and looked up in ``locales/<lang>.po``, a standard gettext
catalogue a translator edits in any PO editor without reading Python. A text missing from the
catalogue stays English, and the completeness test names it; a changed English text therefore
shows up as untranslated instead of silently keeping a stale translation. A language is a file:
dropping ``locales/zh-CN.po`` in adds Simplified Chinese, with no code change.

DingTalk console labels inside a translation are written ``⟦通讯录 > 成员管理⟧``: they keep the
console's own (Simplified) wording, which is what the user must click, and the explicit marks let
the script test exempt exactly them. They are shown as 「通讯录 > 成员管理」.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

LOCALES = Path(__file__).parent / "locales"
SOURCE_LANGUAGE = "en"
#: A DingTalk console label inside a translation, kept exactly as the console shows it.
CONSOLE_LABEL = re.compile(r"⟦([^⟦⟧]+)⟧")
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def languages() -> list[str]:
    """English, then every language with a catalogue, as BCP 47 tags (file names: ``zh-HK.po``)."""
    return [SOURCE_LANGUAGE, *sorted(path.stem for path in LOCALES.glob("*.po"))]


def resolve_language(requested: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``--lang``, else ``DINGSCAN_LANG``, else the POSIX locale if a catalogue matches it, else English.

    A language asked for by name must exist (ValueError otherwise); the locale is only a hint.
    """
    environ = os.environ if environ is None else environ
    if wanted := requested or environ.get("DINGSCAN_LANG"):
        if (found := _match(wanted)) is None:
            raise ValueError(f"unknown language {wanted!r}; available: {', '.join(languages())}")
        return found
    for variable in _LOCALE_VARIABLES:
        if value := environ.get(variable):
            return _match(value) or SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def _match(tag: str) -> str | None:
    """'zh-HK', 'zh_HK.UTF-8' -> 'zh-HK'; 'en_GB' -> 'en' (a bare language matches its regions)."""
    wanted = tag.split(".")[0].split("@")[0].replace("_", "-").lower()
    available = {lang.lower(): lang for lang in languages()}
    return available.get(wanted) or available.get(wanted.split("-")[0])


def N_(message: str) -> str:  # noqa: N802  (gettext's conventional name, known to extractors)
    """Mark a text defined here but translated where it is shown (for the catalogue's extraction)."""
    return message


@dataclass(frozen=True)
class Translator:
    """``tr("{count} controls", count=3)``: the text in :attr:`lang`, placeholders filled in."""

    lang: str
    messages: Mapping[str, str] = field(default_factory=dict)

    def __call__(self, message: str, /, **params: Any) -> str:
        text = self.messages.get(message, message)
        return text.format(**params) if params else text


def starter_text(template: str, lang: str) -> str:
    """A starter file (``templates/policy.yaml``) in ``lang`` where one exists (``templates/zh-HK/...``).

    Console labels are marked in the file like in the catalogues and written out bare: in YAML a
    quote mark would become part of an example value.
    """
    base = Path(__file__).parent / template
    localised = base.parent / lang / base.name
    text = (localised if localised.is_file() else base).read_text(encoding="utf-8")
    return CONSOLE_LABEL.sub(r"\1", text)


@cache
def translator(lang: str = SOURCE_LANGUAGE) -> Translator:
    """The translator for one language (English needs no catalogue: its texts are the ids)."""
    if lang == SOURCE_LANGUAGE:
        return Translator(lang)
    return Translator(lang, {k: CONSOLE_LABEL.sub(r"「\1」", v) for k, v in catalogue(lang).items()})


def catalogue(lang: str) -> dict[str, str]:
    """A language's translations as written in its catalogue (console-label marks kept)."""
    path = LOCALES / f"{lang}.po"
    if lang not in languages():
        raise ValueError(f"unknown language {lang!r}; available: {', '.join(languages())}")
    with path.open("rb") as stream:
        messages = read_po(stream, locale=None)
    return {
        m.id: m.string
        for m in messages
        if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string and not m.fuzzy
    }
