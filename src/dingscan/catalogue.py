"""Every text dingscan shows people, gathered from where it is written: what a catalogue must hold.

Interface texts are found by Babel's extractors (``tr("...")``/``N_("...")`` in the code,
``_("...")`` in the report templates); control texts (title, rationale, remediation) and area names
come from the checks' metadata, framework titles from ``frameworks/*.yaml``, and report column names from the findings model, so none of them
is listed twice. ``scripts/update_catalogue.py`` writes the result into each ``locales/*.po`` and
the completeness test compares each catalogue with it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from dingscan.check import AREAS, Check
from dingscan.frameworks import builtin_frameworks
from dingscan.i18n import LOCALES
from dingscan.report.base import finding_field_names
from dingscan.report.csvtable import RESOURCE_COLUMNS

PACKAGE = Path(__file__).parent
_METHODS = [("**.py", "python"), ("**/templates/**.j2", "jinja2.ext:babel_extract")]
_KEYWORDS = {"tr": None, "N_": None, "_": None}
_HEADER = """\
# dingscan's texts in {lang}. The message ids are the English texts; translate msgstr only.
# Keep {{placeholders}} as they are. Mark a DingTalk console label ⟦like this⟧: it keeps the
# console's own wording and is shown in 「」. Update with: python scripts/update_catalogue.py"""


def expected_messages(checks: Sequence[Check]) -> dict[str, list[str]]:
    """Each message id with where it comes from (``cli.py``, ``DT.PRV.1 title``), in a stable order."""
    found: dict[str, list[str]] = {}
    for message, where in _sources(checks):
        if where not in found.setdefault(message, []):
            found[message].append(where)
    return found


def _sources(checks: Sequence[Check]) -> Iterator[tuple[str, str]]:
    for filename, _line, message, _comments, _context in extract_from_dir(
        PACKAGE, _METHODS, keywords=_KEYWORDS, strip_comment_tags=True
    ):
        if isinstance(message, str) and message:
            yield message, filename
    for area, name in AREAS.items():
        yield name, f"area {area}"
    for framework in builtin_frameworks():
        yield framework.title, f"framework {framework.id}"
    for name in (*finding_field_names(), "references", *RESOURCE_COLUMNS):
        yield name, "report column"
    for check in checks:
        meta = check.metadata
        for field in ("title", "rationale", "remediation"):
            yield getattr(meta, field), f"{meta.control_id} {field}"


def update(lang: str, checks: Sequence[Check]) -> Path:
    """Bring ``locales/<lang>.po`` in line with the messages: keep translations, add new ids empty, drop gone ones."""
    path = LOCALES / f"{lang}.po"
    old = Catalog()
    if path.exists():
        with path.open("rb") as stream:
            old = read_po(stream)
    catalog = Catalog(
        locale=None,
        header_comment=_HEADER.format(lang=lang),
        project="dingscan",
        msgid_bugs_address="https://github.com/dingscan/dingscan/issues",
        creation_date=old.creation_date,
        fuzzy=False,
    )
    catalog.language_team = lang
    for message, where in expected_messages(checks).items():
        known = old.get(message)
        catalog.add(message, known.string if known else "", auto_comments=where)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=False, no_location=True)
    path.write_bytes(buffer.getvalue())
    return path
