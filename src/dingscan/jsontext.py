"""JSON text that any line splitter reads back as the lines it was written as.

JSON escapes the C0 controls (``\\n`` among them) inside strings, but leaves U+0085 (NEL),
U+2028 and U+2029 raw, and Python's ``str.splitlines`` (like many log shippers and JavaScript
before ES2019) ends a line at each of them. Tenant members choose their own display names, so one
such character would split a JSON-lines record in two for such a reader. Every JSON file dingscan
writes passes through :func:`line_safe`, which writes them, and the other C1 controls and DEL, as
``\\uXXXX`` escapes; outside strings JSON allows only space, tab, CR and LF, so the replacement
never changes what the text means. Readers split on ``\\n`` alone (:func:`json_lines`).
"""

from __future__ import annotations

import json
from typing import Any

#: Characters JSON leaves raw that a reader may act on: DEL, the C1 controls (U+0085 NEL among
#: them) and the Unicode line and paragraph separators.
_ESCAPES = {code: f"\\u{code:04x}" for code in (*range(0x7F, 0xA0), 0x2028, 0x2029)}


def line_safe(json_text: str) -> str:
    """``json_text`` with every character of :data:`_ESCAPES` written as a ``\\u`` escape."""
    return json_text.translate(_ESCAPES)


def dumps(value: Any, **options: Any) -> str:
    """:func:`json.dumps` (UTF-8 text, not ``\\u`` escapes, for people) made :func:`line_safe`."""
    return line_safe(json.dumps(value, ensure_ascii=False, **options))


def json_lines(text: str) -> list[str]:
    """The non-blank lines of a JSON-lines text, split on ``\\n`` only (a raw U+2028 written by an
    older dingscan stays inside its string)."""
    return [line for line in text.split("\n") if line.strip(" \t\r")]
