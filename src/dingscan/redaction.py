"""Keep secrets inside the process.

Every secret dingscan learns at run time (the app secret, each access token) is registered here,
and every line of log output, every error message shown to a person and every recorded exchange
is passed through :meth:`SecretRegistry.scrub` before it leaves. The registry is the second line
of defence: the first is that code never puts a secret into those places.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any
from urllib.parse import quote, quote_plus

REDACTED = "***"


class SecretRegistry:
    """A set of secret strings, and a function that blanks them out of any text."""

    def __init__(self) -> None:
        self._secrets: dict[str, re.Pattern[str]] = {}
        self._lock = threading.Lock()

    def register(self, secret: str) -> None:
        # Very short values would blank ordinary words; DingTalk secrets and tokens are long.
        if len(secret) >= 6:
            with self._lock:
                if secret not in self._secrets:
                    self._secrets[secret] = _any_percent_encoding(secret)

    def scrub_bytes(self, data: bytes) -> bytes:
        """Like :meth:`scrub` for bodies that are not UTF-8 text (kept byte for byte otherwise)."""
        for form in self._forms():
            data = data.replace(form.encode("utf-8"), REDACTED.encode("ascii"))
        return data

    def _snapshot(self) -> list[str]:
        with self._lock:
            return sorted(self._secrets, key=len, reverse=True)

    def _forms(self) -> list[str]:
        """Each secret as written plainly and percent-encoded (in a URL or a form body)."""
        return [
            form
            for secret in self._snapshot()
            for form in dict.fromkeys((secret, quote(secret, safe=""), quote_plus(secret, safe="")))
        ]

    def scrub(self, text: str) -> str:
        for form in self._forms():
            if form in text:
                text = text.replace(form, REDACTED)
        if "%" in text:  # a server may echo it encoded its own way: lower-case hex, letters escaped
            with self._lock:
                patterns = [self._secrets[s] for s in sorted(self._secrets, key=len, reverse=True)]
            for pattern in patterns:
                text = pattern.sub(REDACTED, text)
        return text

    def scrub_json(self, text: str) -> str:
        """Like :meth:`scrub` for text that may be JSON, where a secret can also hide behind
        escapes (``\\u0064...``): JSON whose strings hold a secret is written again, scrubbed
        (so it stays valid JSON); other text is scrubbed as text.

        Python's ``json`` also reads ``NaN`` and ``Infinity``, which are not JSON: such text is
        scrubbed as text, since a secret spelt ``Infinity`` is not a string inside it (and ``NaN``
        never equals itself, so the answer would be rewritten every time). The result is scrubbed
        as text once more, for a secret written outside a string (a number, say)."""
        try:
            value = json.loads(text, parse_constant=_not_json)
        except (ValueError, RecursionError):
            return self.scrub(text)
        scrubbed = _map_strings(value, self.scrub)
        return self.scrub(text if scrubbed == value else json.dumps(scrubbed, ensure_ascii=False))


def _not_json(constant: str) -> Any:
    """``parse_constant`` for :func:`json.loads`: ``NaN``, ``Infinity`` and ``-Infinity`` are refused."""
    raise ValueError(f"{constant} is not JSON")


def _any_percent_encoding(secret: str) -> re.Pattern[str]:
    """``secret`` with each character as written or percent-encoded (hex digits in either case,
    a space also as ``+``): every way a URL or form body can spell it."""
    parts = []
    for char in secret:
        encoded = "".join(
            "%" + "".join(f"[{d}{d.lower()}]" if d.isalpha() else d for d in f"{byte:02X}")
            for byte in char.encode("utf-8")
        )
        spellings = [re.escape(char), encoded, *([r"\+"] if char == " " else [])]
        parts.append(f"(?:{'|'.join(spellings)})")
    return re.compile("".join(parts))


def _map_strings(value: Any, change: Any) -> Any:
    """``value`` (parsed JSON) with ``change`` applied to every string, keys included; iterative,
    so hostile nesting cannot exhaust the stack."""
    root: list[Any] = [value]
    pending: list[tuple[Any, Any, Any]] = [(root, 0, value)]  # (parent, key in parent, node)
    while pending:
        parent, key, node = pending.pop()
        if isinstance(node, str):
            parent[key] = change(node)
        elif isinstance(node, list):
            items = list(node)
            parent[key] = items
            pending.extend((items, i, item) for i, item in enumerate(items))
        elif isinstance(node, dict):
            fields = {change(k): v for k, v in node.items()}
            parent[key] = fields
            pending.extend((fields, k, v) for k, v in fields.items())
    return root[0]


#: The process-wide registry: secrets are process-wide too.
SECRETS = SecretRegistry()
