"""Proactive rate limiting: stay under DingTalk's per-app, per-API limit instead of provoking it.

DingTalk allows 20 calls a second per app and API on the standard edition (60 with the paid
add-on) and answers ``90018`` beyond that, counting over a sliding second. A token bucket would
allow a burst of 20 and then trip that window, so each API path is *paced* instead: calls leave
at least ``1/rate`` seconds apart (with a small safety margin for network jitter). Different APIs
are paced independently and proceed concurrently, which is what lets a scan take about as long
as its busiest API rather than the sum of all of them.
"""

from __future__ import annotations

import asyncio

SAFETY_MARGIN = 0.95  # pace at 95% of the documented limit


class Pacer:
    """Hands out send slots ``interval`` seconds apart; waiting happens outside the lock."""

    def __init__(self, interval: float) -> None:
        self._interval = interval
        self._next_slot = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        loop = asyncio.get_running_loop()
        async with self._lock:
            now = loop.time()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self._interval
        if slot > now:
            await asyncio.sleep(slot - now)


class PerApiRateLimiter:
    """One pacer per API path, created on first use. ``None`` rate means no pacing (replay)."""

    def __init__(self, calls_per_second: float | None) -> None:
        if calls_per_second is not None and calls_per_second <= 0:
            raise ValueError("calls_per_second must be positive")
        self._interval = 0.0 if calls_per_second is None else 1.0 / (calls_per_second * SAFETY_MARGIN)
        self._pacers: dict[str, Pacer] = {}

    async def wait(self, api_path: str) -> None:
        if self._interval == 0.0:
            return
        if api_path not in self._pacers:
            self._pacers[api_path] = Pacer(self._interval)
        await self._pacers[api_path].wait()
