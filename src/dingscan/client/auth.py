"""The app's access token: fetched once, cached for its lifetime, refreshed once when rejected.

DingTalk returns the same token (and extends it) when asked again inside its 7,200 s lifetime and
rate-limits the token endpoint itself, so one cached token per app serves every concurrent call.
A refresh is guarded by a lock and by the identity of the token that failed: when ten calls see
the same expired token at once, only the first fetches a new one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from dingscan.redaction import SECRETS

#: Refresh this long before DingTalk's stated expiry, as its calling guide recommends.
REFRESH_MARGIN_S = 600.0


@dataclass(frozen=True)
class IssuedToken:
    value: str
    expires_in: float

    def __repr__(self) -> str:  # never show the token, whatever prints this object
        return f"IssuedToken(expires_in={self.expires_in})"


TokenFetcher = Callable[[], Awaitable[IssuedToken]]


class AccessTokenCache:
    def __init__(self, fetch: TokenFetcher, clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch = fetch
        self._clock = clock
        self._token: str | None = None
        self._refresh_at = 0.0
        self._lock = asyncio.Lock()

    async def get(self) -> str:
        async with self._lock:
            if self._token is None or self._clock() >= self._refresh_at:
                return await self._renew()
            return self._token

    async def refresh(self, rejected: str) -> str:
        """A fresh token after DingTalk rejected ``rejected``; reuses one already renewed."""
        async with self._lock:
            if self._token is None or self._token == rejected:
                return await self._renew()
            return self._token

    async def _renew(self) -> str:
        issued = await self._fetch()
        SECRETS.register(issued.value)
        self._token = issued.value
        self._refresh_at = self._clock() + max(issued.expires_in - REFRESH_MARGIN_S, issued.expires_in / 2)
        return issued.value
