"""External collaboration: external contacts and the partner organisations (关联组织) joined."""

from __future__ import annotations

from typing import Any

from dingscan.client import endpoints as ep
from dingscan.client.paging import Caller, items_at, offset_pages
from dingscan.collect.base import id_list
from dingscan.snapshot import ExternalContact, PartnerOrg, Section

JOINED = 1  # union/cooperate status: 0 applying, 1 joined


async def collect_external_contacts(client: Caller) -> Section[list[ExternalContact]]:
    # extcontact/list has no has_more flag: a short page is the last one.
    pages = offset_pages(client, ep.EXTERNAL_CONTACTS, {}, size=100, items=("results",), flag_in=())
    return Section.collected([_contact(raw) async for page in pages for raw in page])


async def collect_partner_orgs(client: Caller) -> Section[list[PartnerOrg]]:
    """Joined partner orgs. The documented example answers one org as an object, not a list; its
    ids in stray quotes (``"\"ding…\""``) are kept as found: a corp_id never holds a quote, so
    such a value is reported for a person to look at, never trimmed into a match."""
    answer = await client.call(ep.PARTNER_ORGS, body={"status": JOINED})
    return Section.collected(
        [
            PartnerOrg(corp_id=str(raw["corp_id"]), org_name=str(raw.get("org_name", "")))
            for raw in items_at(answer, "result", endpoint=ep.PARTNER_ORGS, single=True)
        ]
    )


def _contact(raw: dict[str, Any]) -> ExternalContact:
    return ExternalContact(
        userid=str(raw["userid"]),
        name=str(raw.get("name", "")),
        company_name=raw.get("company_name"),
        follower_user_id=raw.get("follower_user_id"),
        share_dept_ids=id_list(raw.get("share_dept_ids"), "share_dept_ids"),
        share_user_ids=[str(u) for u in raw.get("share_user_ids") or []],
    )
