"""专属钉钉 (Exclusive DingTalk) evidence: how far back the audit logs reach, external groups.

These endpoints exist only on the exclusive edition and count against the monthly quota, so
they are collected last (after the essential areas) and only as supporting evidence. On another
edition DingTalk answers permission denied, which here means "not applicable", not "failed":
the controls they support then rest on the attestation file alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar

from dingscan.client import endpoints as ep
from dingscan.client.errors import NotEnabled, PermissionDenied
from dingscan.client.paging import Caller, items_at
from dingscan.snapshot import AuditLogProbe, ExternalGroup, Section

T = TypeVar("T")
RETENTION_TARGET = timedelta(days=90)
PROBE_WIDTH = timedelta(days=7)  # a week, so one quiet day does not look like a gap
PAGE = 100


async def exclusive_only(collect: Callable[[], Awaitable[T]]) -> T:
    """Run ``collect``; permission denied on an exclusive endpoint means "not this edition"."""
    try:
        return await collect()
    except PermissionDenied as error:
        raise NotEnabled(
            error.code,
            "专属钉钉 only (or the app lacks its Custom.* permission); supporting evidence skipped",
            endpoint=error.endpoint,
        ) from error


async def collect_audit_log_probe(client: Caller, as_of: datetime) -> Section[AuditLogProbe]:
    end = as_of - RETENTION_TARGET
    start = end - PROBE_WIDTH
    window = {"start": int(start.timestamp() * 1000), "end": int(end.timestamp() * 1000)}
    admin_log = await exclusive_only(
        lambda: client.call(
            ep.ADMIN_OPERATION_LOGS,
            body={"startTime": window["start"], "endTime": window["end"], "pageNumber": 1, "pageSize": PAGE},
        )
    )
    file_log = await exclusive_only(
        lambda: client.call(
            ep.FILE_AUDIT_LOGS,
            params={"startDate": window["start"], "endDate": window["end"], "pageSize": PAGE},
        )
    )
    return Section.collected(
        AuditLogProbe(
            window_start=start,
            window_end=end,
            admin_log_records=len(items_at(admin_log, "data", endpoint=ep.ADMIN_OPERATION_LOGS)),
            file_log_records=len(items_at(file_log, "list", endpoint=ep.FILE_AUDIT_LOGS)),
        )
    )


async def collect_external_groups(client: Caller) -> Section[list[ExternalGroup]]:
    groups: list[ExternalGroup] = []
    for number in range(1, 1000):
        query = {"pageNumber": number, "pageSize": PAGE}
        answer = await exclusive_only(lambda: client.call(ep.EXTERNAL_AUDIT_GROUPS, body=query))  # noqa: B023
        listed = items_at(answer, "responseBody", "groupList", endpoint=ep.EXTERNAL_AUDIT_GROUPS)
        groups += [ExternalGroup(group_id=str(g["openConversationId"])) for g in listed]
        if len(listed) < PAGE:
            break
    return Section.collected(groups)
