"""Access tokens, shared by both hosts (a token from either token endpoint works on both).

DingTalk returns the same token when asked again inside its validity window and extends it;
after expiry a new one is issued (dingtalk-api.md §2.3). Lifetimes run on the monotonic clock:
the emulator's ``now`` is a frozen calendar date for tenant data, not a timer.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from enum import Enum


class TokenState(Enum):
    VALID = "valid"
    MISSING = "missing"
    UNKNOWN = "unknown"
    EXPIRED = "expired"


@dataclass
class _Token:
    app_key: str
    expires_at: float


class TokenStore:
    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._tokens: dict[str, _Token] = {}
        self._lock = threading.Lock()

    def issue(self, app_key: str) -> str:
        """The app's current token, extended; a new one when none is valid."""
        now = time.monotonic()
        with self._lock:
            for value, token in self._tokens.items():
                if token.app_key == app_key and token.expires_at > now:
                    token.expires_at = now + self.ttl
                    return value
            value = secrets.token_hex(16)
            self._tokens[value] = _Token(app_key, now + self.ttl)
            return value

    def check(self, value: str | None) -> tuple[TokenState, str | None]:
        """The token's state and, when valid, the app it was issued to."""
        if not value:
            return TokenState.MISSING, None
        with self._lock:
            token = self._tokens.get(value)
            if token is None:
                return TokenState.UNKNOWN, None
            if token.expires_at <= time.monotonic():
                return TokenState.EXPIRED, None
            return TokenState.VALID, token.app_key

    def expire_all(self) -> None:
        with self._lock:
            for token in self._tokens.values():
                token.expires_at = 0.0
