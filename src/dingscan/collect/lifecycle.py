"""Account lifecycle evidence: who left in the last year, and who has not logged in for a month.

``empLeaveRecords`` accepts a window of at most 365 days ending now. The inactivity API answers
one day at a time ("who did not log in on D"), only for days within the last month, and only
from 09:00 China time the next day, so dormancy is the intersection over the 30 most recent days
whose data is ready.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from dingscan.client import endpoints as ep
from dingscan.client.paging import Caller, items_at, next_token_pages, offset_pages
from dingscan.collect.base import from_epoch_ms
from dingscan.snapshot import Dimission, Dormancy, LeaveRecord, LeaveRecords, Section

LEAVER_LOOKBACK = timedelta(days=365)
HR_BATCH = 50  # dismissions maxResults and dimissionInfos userIdList are capped at 50
DORMANCY_DAYS = 30
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


async def collect_dormancy(client: Caller, as_of: datetime) -> Section[Dormancy]:
    first, last = dormancy_window(as_of)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    inactive_each_day = await asyncio.gather(*(_inactive_on(client, day) for day in days))
    dormant = set.intersection(*inactive_each_day) if inactive_each_day else set()
    return Section.collected(Dormancy(first_day=first, last_day=last, dormant_userids=sorted(dormant)))


async def _inactive_on(client: Caller, day: date) -> set[str]:
    body = {"is_active": False, "query_date": day.strftime("%Y%m%d")}
    pages = offset_pages(client, ep.INACTIVE_USERS, body, size=100)
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
