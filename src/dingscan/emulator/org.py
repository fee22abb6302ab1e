"""The tenant resolved against the emulator's clock: the indices and facts handlers share.

Built once per emulator and read-only afterwards (apart from one memo, behind its own lock), so
request threads need no locking. Dates
follow DingTalk's own day boundary, Asia/Shanghai (UTC+8, no daylight saving).
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta, timezone

from dingscan.emulator.roles import RoleCatalogue
from dingscan.emulator.tenant import Admin, Department, Tenant, User

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
# Inactivity data for day D is published at 09:00 on D+1 and kept for about a month.
INACTIVE_DATA_READY = time(9, 0)
INACTIVE_DATA_DAYS = 31


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class Org:
    def __init__(self, tenant: Tenant, now: datetime) -> None:
        self.tenant = tenant
        self.now = now.astimezone(UTC)
        self.today = now.astimezone(SHANGHAI).date()
        self.departments: dict[int, Department] = {d.id: d for d in tenant.departments}
        self.children: dict[int, list[Department]] = {dept_id: [] for dept_id in self.departments}
        for dept in sorted(tenant.departments, key=lambda d: (d.order, d.id)):
            if dept.parent is not None:
                self.children[dept.parent].append(dept)
        self.users: dict[str, User] = {u.userid: u for u in tenant.users}
        self.members: dict[int, list[User]] = {dept_id: [] for dept_id in self.departments}
        for user in tenant.users:
            for dept_id in user.departments:
                self.members[dept_id].append(user)
        self.admins: dict[str, Admin] = {a.userid: a for a in tenant.admins}
        self.roles = RoleCatalogue(tenant)
        self._in_scope = {d for root in tenant.permissions.authed_dept for d in self.subtree(root)}
        self._activity: dict[tuple[date, bool], list[str]] = {}
        self._activity_lock = threading.Lock()

    def days_ago(self, days: int) -> datetime:
        return self.now - timedelta(days=days)

    def subtree(self, dept_id: int) -> list[int]:
        """The department and all its descendants, parents first."""
        found, index = [dept_id], 0
        while index < len(found):
            found.extend(child.id for child in self.children[found[index]])
            index += 1
        return found

    def subtree_users(self, dept_id: int) -> list[User]:
        seen: dict[str, User] = {}
        for dept in self.subtree(dept_id):
            seen.update((user.userid, user) for user in self.members[dept])
        return list(seen.values())

    def dept_in_scope(self, dept_id: int) -> bool:
        return dept_id in self._in_scope

    def user_in_scope(self, user: User) -> bool:
        authed_user = self.tenant.permissions.authed_user
        return user.userid in authed_user or any(map(self.dept_in_scope, user.departments))

    def field_granted(self, field: str) -> bool:
        """Field permissions, read from ``auth_user_field`` so /auth/scopes never disagrees."""
        return field in self.tenant.permissions.auth_user_field

    def logged_in_on(self, user: User, day: date) -> bool:
        if user.last_login_days_ago is None:
            return False
        return day <= self.today - timedelta(days=user.last_login_days_ago)

    def activity(self, day: date, *, active: bool) -> list[str]:
        """Every userid that did (or did not) log in on ``day``, in directory order. Memoised: a
        large tenant is asked for the same day page by page, and a past day never changes."""
        with self._activity_lock:
            if (day, active) not in self._activity:
                users = self.users.values()
                self._activity[day, active] = [u.userid for u in users if self.logged_in_on(u, day) == active]
            return self._activity[day, active]

    def inactive_data_problem(self, day: date) -> str | None:
        """Why the per-day activity data for ``day`` cannot be served yet (or any more)."""
        if day < self.today - timedelta(days=INACTIVE_DATA_DAYS):
            return "query_date must be within the last month"
        ready = datetime.combine(day + timedelta(days=1), INACTIVE_DATA_READY, SHANGHAI)
        if self.now < ready:
            return "data for query_date is not ready (published 09:00 the next day)"
        return None
