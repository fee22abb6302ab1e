"""Account lifecycle evidence: who left in the last year, and who has not logged in for a month.

``empLeaveRecords`` accepts a window of at most 365 days ending now. The inactivity API answers
one day at a time, only for days within the last month, and only from 09:00 China time the next
day, so dormancy is the intersection over the ``dormant_days`` (at most 30) most recent days
whose data is ready.

Each day has two lists, who did not log in (``is_active`` false) and who did; each is the
other's complement, so only the smaller is fetched. A probe page at the middle of the
organisation (``user/count``) tells which: if the inactive list goes on past it, the active list
is the smaller. The oldest day is always fetched as the inactive list, so the result never rests
on the directory: the dormant are those on every inactive list fetched and on no active list.

With a :class:`~dingscan.activity.DayCache` (a state directory, or a bundle's recorded days), a
day already held is taken from it instead of DingTalk, except an oldest day held only as its
active list, which is fetched as the inactive one as above; every day fetched is added to it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import structlog

from dingscan.activity import DayCache, DayList
from dingscan.client import endpoints as ep
from dingscan.client.errors import DingTalkError
from dingscan.client.paging import Caller, has_more, items_at, next_token_pages, offset_pages, result_of
from dingscan.collect.base import from_epoch_ms
from dingscan.snapshot import Dimission, Dormancy, LeaveRecord, LeaveRecords, Section

LEAVER_LOOKBACK = timedelta(days=365)
log = structlog.get_logger(__name__)
HR_BATCH = 50  # dismissions maxResults and dimissionInfos userIdList are capped at 50
DORMANCY_DAYS = 30  # DingTalk keeps a month of daily activity
ACTIVITY_PAGE = 100  # inactive/user/v2/get answers at most 100 userids a page
CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")
DATA_READY_HOUR = 9


async def collect_leave_records(client: Caller, as_of: datetime) -> Section[LeaveRecords]:
    since = as_of - LEAVER_LOOKBACK
    params = {"startTime": _iso(since), "endTime": _iso(as_of)}
    pages = next_token_pages(client, ep.LEAVE_RECORDS, params, items="records", max_results=50)
    records = [_leave_record(raw) async for page in pages for raw in page]
    return Section.collected(LeaveRecords(since=since, records=records))


async def collect_dimissions(client: Caller) -> Section[list[Dimission]]:
    """智能人事 resignation records; ``corpNotOpenHrm`` (no HR app) makes this not applicable."""
    pages = next_token_pages(client, ep.HR_DISMISSIONS, {}, items="userIdList", max_results=HR_BATCH)
    userids = [str(u) async for page in pages for u in page]
    batches = [userids[i : i + HR_BATCH] for i in range(0, len(userids), HR_BATCH)]
    answers = await asyncio.gather(
        *(client.call(ep.HR_DIMISSION_INFOS, params={"userIdList": batch}) for batch in batches)
    )
    return Section.collected(
        [
            _dimission(raw)
            for answer in answers
            for raw in items_at(answer, "result", endpoint=ep.HR_DIMISSION_INFOS)
        ]
    )


def dormancy_window(as_of: datetime, days: int = DORMANCY_DAYS) -> tuple[date, date]:
    local = as_of.astimezone(CHINA)
    last = local.date() - timedelta(days=1 if local.hour >= DATA_READY_HOUR else 2)
    return last - timedelta(days=days - 1), last


async def collect_dormancy(
    client: Caller, as_of: datetime, days: int = DORMANCY_DAYS, cache: DayCache | None = None
) -> Section[Dormancy]:
    first, last = dormancy_window(as_of, days)
    held = cache.held if cache is not None else {}
    activity = _Activity()
    missing = []
    for day in (first + timedelta(days=n) for n in range((last - first).days + 1)):
        known = held.get(day)
        if known is None or (day == first and known.active):  # the oldest: an inactive list
            missing.append(day)
            continue
        activity.add(set(known.userids), active=known.active)
        if cache is not None:
            cache.used.append(known)
    members = await _member_count(client) if missing else None
    await asyncio.gather(
        *(_fetch_day(client, day, None if day == first else members, activity, cache) for day in missing)
    )
    return Section.collected(Dormancy(first_day=first, last_day=last, dormant_userids=activity.dormant()))


@dataclass
class _Activity:
    """The days' lists folded as they arrive, so a large tenant never holds thirty of them."""

    inactive_every_day: set[str] | None = None
    active_some_day: set[str] = field(default_factory=set)

    def add(self, userids: set[str], *, active: bool) -> None:
        if active:
            self.active_some_day |= userids
        elif self.inactive_every_day is None:
            self.inactive_every_day = userids
        else:
            self.inactive_every_day &= userids

    def dormant(self) -> list[str]:
        return sorted((self.inactive_every_day or set()) - self.active_some_day)


async def _member_count(client: Caller) -> int | None:
    """The organisation's size, which only steers which list is fetched (None: the inactive)."""
    try:
        answer = await client.call(ep.USER_COUNT, body={"only_active": False})
        return int(result_of(answer, ep.USER_COUNT)["count"])
    except DingTalkError as error:
        if error.fatal:
            raise
        log.info("member count unavailable; fetching inactive lists", reason=error.reason)
    except (KeyError, TypeError, ValueError) as error:
        log.info("member count unreadable; fetching inactive lists", error=repr(error))
    return None


async def _fetch_day(
    client: Caller, day: date, members: int | None, activity: _Activity, cache: DayCache | None
) -> None:
    userids, active = await _day_list(client, day, members)
    if cache is not None:  # before folding, which may narrow the set in place
        cache.fetched.append(DayList(day=day, active=active, userids=tuple(sorted(userids))))
    activity.add(userids, active=active)


async def _day_list(client: Caller, day: date, members: int | None) -> tuple[set[str], bool]:
    """The smaller of the day's two lists, and whether it is the active one."""
    query = {"query_date": day.strftime("%Y%m%d")}
    if members is None or members < 2 * ACTIVITY_PAGE:
        return await _userids(client, {**query, "is_active": False}), False
    middle = members // 2 // ACTIVITY_PAGE * ACTIVITY_PAGE
    body = {**query, "is_active": False, "offset": middle, "size": ACTIVITY_PAGE}
    probe = await client.call(ep.INACTIVE_USERS, body=body)
    tail = items_at(probe, "result", "list", endpoint=ep.INACTIVE_USERS)
    if has_more(probe, tail, size=ACTIVITY_PAGE, flag_in=("result",)):
        return await _userids(client, {**query, "is_active": True}), True
    head = await _userids(client, {**query, "is_active": False}, stop=middle)
    return head | {str(userid) for userid in tail}, False


async def _userids(client: Caller, body: dict[str, Any], *, stop: int | None = None) -> set[str]:
    pages = offset_pages(client, ep.INACTIVE_USERS, body, size=ACTIVITY_PAGE, stop=stop)
    return {str(userid) async for page in pages for userid in page}


def _dimission(raw: dict[str, Any]) -> Dimission:
    last_day = raw.get("lastWorkDay")
    return Dimission(
        userid=str(raw["userId"]),
        last_work_day=_timestamp(last_day) if last_day not in (None, "") else None,
        status=int(raw["status"]) if raw.get("status") is not None else None,
        handover_userid=raw.get("handoverUserId") or None,
    )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _leave_record(raw: dict[str, Any]) -> LeaveRecord:
    return LeaveRecord(
        userid=str(raw["userId"]),
        name=str(raw.get("name", "")),
        leave_time=_timestamp(raw["leaveTime"]),
        leave_reason=raw.get("leaveReason"),
    )


def _timestamp(value: Any) -> datetime:
    """``leaveTime`` is documented as a time; accept ISO-8601 text or epoch milliseconds."""
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        moment = from_epoch_ms(value)
        if moment is None:
            raise ValueError("empty time")
        return moment
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
