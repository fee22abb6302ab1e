"""Rate limits and the monthly call quota (dingtalk-api.md §12.1).

Per app and per API path at most ``qps`` calls in any sliding one-second window (20 on the
standard edition). Separately, calls to non-basic APIs use up the organisation's monthly quota;
calls rejected for throttling never reach the quota.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from fnmatch import fnmatchcase

# Paths that consume the monthly quota; every contact, role, leaver and HR call is exempt.
COUNTED_PATHS: tuple[str, ...] = (
    "/v1.0/microApp/*",
    "/v1.0/exclusive/*",
    "/topapi/union/cooperate/*",
    "/auth/scopes",
    "/chat/get",
)


def is_counted(path: str) -> bool:
    return any(fnmatchcase(path, pattern) for pattern in COUNTED_PATHS)


class QpsLimiter:
    """Sliding one-second windows keyed by (app, path); ``qps=None`` admits everything."""

    def __init__(self, qps: int | None) -> None:
        self.qps = qps
        self._windows: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, app_key: str, path: str) -> bool:
        if self.qps is None:
            return True
        now = time.monotonic()
        with self._lock:
            window = self._windows.setdefault((app_key, path), deque())
            while window and window[0] <= now - 1.0:
                window.popleft()
            if len(window) >= self.qps:
                return False
            window.append(now)
            return True


class MonthlyQuota:
    """Counts quota-consuming calls; refuses them once ``limit`` is used (None = unlimited)."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self._used = 0
        self._lock = threading.Lock()

    @property
    def used(self) -> int:
        with self._lock:
            return self._used

    def consume(self) -> bool:
        with self._lock:
            if self.limit is not None and self._used >= self.limit:
                return False
            self._used += 1
            return True
