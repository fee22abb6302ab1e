"""Keep secrets inside the process.

Every secret dingscan learns at run time (the app secret, each access token) is registered here,
and every line of log output, every error message shown to a person and every recorded exchange
is passed through :meth:`SecretRegistry.scrub` before it leaves. The registry is the second line
of defence: the first is that code never puts a secret into those places.
"""

from __future__ import annotations

import threading

REDACTED = "***"


class SecretRegistry:
    """A set of secret strings, and a function that blanks them out of any text."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def register(self, secret: str) -> None:
        # Very short values would blank ordinary words; DingTalk secrets and tokens are long.
        if len(secret) >= 6:
            with self._lock:
                self._secrets.add(secret)

    def scrub_bytes(self, data: bytes) -> bytes:
        """Like :meth:`scrub` for bodies that are not UTF-8 text (kept byte for byte otherwise)."""
        for secret in self._snapshot():
            data = data.replace(secret.encode("utf-8"), REDACTED.encode("ascii"))
        return data

    def _snapshot(self) -> list[str]:
        with self._lock:
            return sorted(self._secrets, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        for secret in self._snapshot():
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text


#: The process-wide registry: secrets are process-wide too.
SECRETS = SecretRegistry()
