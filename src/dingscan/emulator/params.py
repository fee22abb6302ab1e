"""Typed, lenient reads of request parameters, as DingTalk parses them.

Docs and real clients send numbers and booleans both as JSON values and as strings (form
bodies, query strings), so ``"100"`` and ``100`` are the same size and ``"true"`` is true. What
is out of range or missing becomes the endpoint's documented bad-request error, built by the
``invalid`` callback each host supplies.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from dingscan.emulator.errors import DingTalkError

Invalid = Callable[[str, str], DingTalkError]
REQUIRED: Any = object()
_TRUE, _FALSE = ("true", "1"), ("false", "0")


class Params:
    def __init__(self, values: Mapping[str, Any], invalid: Invalid) -> None:
        self._values = values
        self._invalid = invalid

    def has(self, name: str) -> bool:
        return self._values.get(name) not in (None, "")

    def _raw(self, name: str, default: Any) -> Any:
        if self.has(name):
            return self._values[name]
        if default is REQUIRED:
            raise self._invalid(name, "is required")
        return default

    def integer(
        self, name: str, default: int = REQUIRED, *, lo: int | None = None, hi: int | None = None
    ) -> int:
        raw = self._raw(name, default)
        if isinstance(raw, bool):
            raise self._invalid(name, "must be an integer")
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise self._invalid(name, "must be an integer") from None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise self._invalid(name, f"must be between {lo} and {hi}")
        return value

    def boolean(self, name: str, default: bool = REQUIRED) -> bool:
        raw = self._raw(name, default)
        text = str(raw).lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise self._invalid(name, "must be true or false")

    def text(self, name: str, default: str = REQUIRED) -> str:
        return str(self._raw(name, default))

    def strings(self, name: str, default: list[str] = REQUIRED) -> list[str]:
        """A list sent as a JSON array, a JSON-array string (the SDK's ``userIdList=["a"]``) or
        a comma-separated string."""
        raw = self._raw(name, default)
        if isinstance(raw, str) and raw.strip().startswith("["):
            try:
                raw = json.loads(raw)
            except ValueError:
                raise self._invalid(name, "is not a valid JSON array") from None
        if isinstance(raw, str):
            raw = [part for part in raw.split(",") if part.strip()]
        if not isinstance(raw, list):
            raise self._invalid(name, "must be a list")
        return [str(item).strip() for item in raw]

    def integers(self, name: str) -> list[int]:
        """An optional list of integers (absent means empty)."""
        try:
            return [int(item) for item in self.strings(name, [])]
        except ValueError:
            raise self._invalid(name, "must be a list of integers") from None
