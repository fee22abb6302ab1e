"""Proactive rate limiting: stay under DingTalk's per-app, per-API limit instead of provoking it.

DingTalk allows 20 calls a second per app and API on the standard edition (60 with the paid
add-on) and answers ``90018`` beyond that, counting over a sliding second. A token bucket would
allow a burst of 20 and then trip that window, so each API path is *paced* instead: calls leave
on a grid ``1/rate`` seconds apart (with a small safety margin for network jitter). A call that
leaves a little late (timer jitter) keeps the grid, or the lateness would add up to a slower
rate; one that leaves much later (a stalled event loop) starts a new grid from its departure,
so overdue calls never leave in a bunch. Different APIs are paced independently and proceed
concurrently, which is what lets a scan take about as long as its busiest API.

Some APIs allow fewer calls than the edition's figure (limits differ by API and are not all
documented), so each pacer also adapts: a throttle answer lengthens its interval by a quarter (once per
burst of such answers), and every second of clean answers shortens it by a tenth, never beyond
the configured rate. A lone throttle (network jitter) so costs a second or two at a slightly
slower pace, while an API allowing a fifth of the rate is matched within a few seconds.
"""

from __future__ import annotations

import asyncio

SAFETY_MARGIN = 0.95  # pace at 95% of the documented limit
SLOWDOWN = 1.25  # a throttle answer lengthens the interval by a quarter
RECOVERY = 0.9  # each clean second shortens it by a tenth, down to the configured interval
MAX_INTERVAL = 10.0  # seconds: however often throttled, an API is still tried this often
#: Lateness that keeps the grid: far below the margin's slack (n calls span 1.05 s, not 1 s).
GRID_TOLERANCE = 0.02


class PastDeadline(Exception):
    """A wait would end after the deadline it was given."""


class Pacer:
    """Releases one caller per ``interval`` seconds, in arrival order, never two closer together
    than ``interval - GRID_TOLERANCE``."""

    def __init__(self, interval: float) -> None:
        self.base_interval = interval
        self.interval = interval
        self._next_slot = 0.0
        self._slowed_at = 0.0
        self._clean_since = 0.0
        self._lock = asyncio.Lock()

    async def wait(self, deadline: float | None = None) -> float:
        """Wait for this caller's turn; returns the moment it left. Raises :class:`PastDeadline`
        rather than wait past ``deadline`` (loop time)."""
        loop = asyncio.get_running_loop()
        async with self._lock:  # FIFO: callers leave in turn, each at least one interval apart
            now = loop.time()
            if deadline is not None and self._next_slot > deadline:
                raise PastDeadline
            if self._next_slot > now:
                await asyncio.sleep(self._next_slot - now)
                now = loop.time()
            on_grid = now - self._next_slot <= GRID_TOLERANCE
            self._next_slot = (self._next_slot if on_grid else now) + self.interval
            return now

    def throttled(self, sent_at: float) -> None:
        """A call that left at ``sent_at`` was throttled: slow down, once per burst of answers
        (calls sent before the last slowdown already went out at the old pace)."""
        if sent_at < self._slowed_at:
            return
        loop = asyncio.get_running_loop()
        self.interval = min(self.interval * SLOWDOWN, MAX_INTERVAL)
        self._slowed_at = self._clean_since = loop.time()
        self._next_slot = max(self._next_slot, self._slowed_at + self.interval)

    def succeeded(self) -> None:
        if self.interval <= self.base_interval:
            return
        now = asyncio.get_running_loop().time()
        if now - self._clean_since >= 1.0:
            self.interval = max(self.base_interval, self.interval * RECOVERY)
            self._clean_since = now


class PerApiRateLimiter:
    """One pacer per API path, created on first use. ``None`` rate means no pacing (replay)."""

    def __init__(self, calls_per_second: float | None) -> None:
        if calls_per_second is not None and calls_per_second <= 0:
            raise ValueError("calls_per_second must be positive")
        self._interval = 0.0 if calls_per_second is None else 1.0 / (calls_per_second * SAFETY_MARGIN)
        self._pacers: dict[str, Pacer] = {}

    async def wait(self, api_path: str, deadline: float | None = None) -> float:
        """Wait for the next send slot of ``api_path``; returns the moment it was taken."""
        if self._interval == 0.0:
            return asyncio.get_running_loop().time()
        return await self.pacer(api_path).wait(deadline)

    def pacer(self, api_path: str) -> Pacer:
        if api_path not in self._pacers:
            self._pacers[api_path] = Pacer(self._interval)
        return self._pacers[api_path]

    def throttled(self, api_path: str, sent_at: float) -> None:
        if self._interval:
            self.pacer(api_path).throttled(sent_at)

    def succeeded(self, api_path: str) -> None:
        if self._interval:
            self.pacer(api_path).succeeded()
