"""The organisation's identity (``organizations/authInfos``): name and verification level."""

from __future__ import annotations

from dingscan.client import endpoints as ep
from dingscan.client.paging import Caller
from dingscan.snapshot import OrgInfo, Section


async def collect_org(client: Caller, corp_id: str | None) -> Section[OrgInfo]:
    if not corp_id:
        return Section[OrgInfo].failed("corp_id is not configured (DINGSCAN_CORP_ID / --corp-id)")
    answer = await client.call(ep.ORG_AUTH_INFO, params={"targetCorpId": corp_id})
    level = answer.get("authLevel")
    return Section.collected(
        OrgInfo(
            org_name=str(answer["orgName"]),
            auth_level=int(level) if level is not None else None,
            license_org_name=answer.get("licenseOrgName"),
        )
    )
