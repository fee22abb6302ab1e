"""Text bound for a terminal, made unable to drive it.

Names, messages and reasons come from DingTalk, bundles and input files: a member called
``"\\x1b[2K\\rDT.PRV.1 high PASS"`` would erase a line of the summary and print a fake verdict,
``"\\x1b]0;...\\x07"`` would set the window title, and a right-to-left override would reorder what
follows it. :func:`for_terminal` shows every such character as a visible escape instead, and is
applied once, where text is written to a terminal (the summary, progress lines, log lines and
error messages). The JSON outputs escape these characters by themselves.
"""

from __future__ import annotations

import re

#: C0 and C1 control characters (ESC, BEL, CR, backspace, CSI ...), DEL, and the Unicode
#: characters that reorder or hide text: bidirectional marks, embeddings, overrides and isolates,
#: line and paragraph separators, zero-width characters.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def for_terminal(text: str) -> str:
    """``text`` with every character that could move the cursor, recolour, retitle or reorder the
    terminal shown as a visible escape (``\\x1b``, ``\\u202e``); other text, Chinese included, as is."""
    return _UNSAFE.sub(_visible, text)


#: Control characters an HTML page would carry raw (NUL, BEL, ESC, DEL, C1): a browser ignores
#: most, but a log shipper, ``grep`` or a terminal showing the file does not. Tab and line breaks
#: are text in HTML; bidirectional marks are contained by ``<bdi>``.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def for_html(text: str) -> str:
    """``text`` with every control character but tab and line breaks shown as a visible escape."""
    return _CONTROLS.sub(_visible, text)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
