"""What reaches outside the organisation: external contacts, partner orgs, installed apps
(dingtalk-api.md §9.5, §9.6, §10.1)."""

from __future__ import annotations

from dingscan.emulator.routing import Context, Route, oapi_params, page
from dingscan.emulator.tenant import ExternalContact
from dingscan.emulator.wire import JsonObject, Request

MAX_CONTACT_PAGE = 100
_CONTACT_TEXT = ("mobile", "state_code", "email", "company_name", "title", "address", "remark")


def _contact(contact: ExternalContact) -> JsonObject:
    fields: JsonObject = {
        "userid": contact.userid,
        "name": contact.name,
        "follower_user_id": contact.follower_user_id,
        "share_user_ids": list(contact.share_user_ids),
        "share_dept_ids": list(contact.share_dept_ids),
        "label_ids": list(contact.label_ids),
    }
    fields.update((name, getattr(contact, name)) for name in _CONTACT_TEXT if getattr(contact, name))
    return fields


def list_external_contacts(ctx: Context, request: Request) -> JsonObject:
    """Top-level ``results`` and no ``has_more``: a short page is the only end signal."""
    params = oapi_params(request, offset=40068, size=40069)
    offset = params.integer("offset", 0, lo=0)
    size = params.integer("size", 20, lo=1, hi=MAX_CONTACT_PAGE)
    contacts, _ = page(ctx.org.tenant.external_contacts, offset, size)
    return {"results": [_contact(contact) for contact in contacts]}


def list_joined_partner_orgs(ctx: Context, request: Request) -> JsonObject:
    status = oapi_params(request).integer("status", lo=0, hi=1)
    return {
        "result": [
            {
                "corp_id": org.corp_id,
                "org_name": org.org_name,
                "belong_corp_id": org.belong_corp_id or org.corp_id,
                "belong_org_name": org.belong_org_name or org.org_name,
            }
            for org in ctx.org.tenant.partner_orgs
            if org.status == status
        ]
    }


def list_all_apps(ctx: Context, request: Request) -> JsonObject:
    return {
        "appList": [
            {
                "agentId": app.agent_id,
                "name": app.name,
                "desc": app.desc,
                "icon": "",
                "homepageLink": app.homepage_link,
                "pcHomepageLink": app.homepage_link,
                "ompLink": "",
                "appId": app.app_id,
                "appStatus": app.app_status,
                "developType": app.develop_type,
            }
            for app in ctx.org.tenant.apps
        ]
    }


ROUTES = (
    Route("oapi", "POST", "/topapi/extcontact/list", list_external_contacts, "qyapi_ext_read"),
    Route(
        "oapi",
        "POST",
        "/topapi/union/cooperate/joined/list",
        list_joined_partner_orgs,
        "qyapi_related_org_read",
    ),
    Route("api", "GET", "/v1.0/microApp/allApps", list_all_apps, "qyapi_get_microapp_list"),
)
