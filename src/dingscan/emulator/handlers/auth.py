"""Tokens, the app's own scope and the organisation's identity (dingtalk-api.md §2, §7.1, §10.4)."""

from __future__ import annotations

import hmac

from dingscan.emulator.errors import DingTalkError
from dingscan.emulator.routing import Context, Route, api_params
from dingscan.emulator.wire import JsonObject, Request


def _credentials_match(ctx: Context, app_key: str | None, app_secret: str | None) -> bool:
    app = ctx.org.tenant.app
    return app_key == app.app_key and hmac.compare_digest(app_secret or "", app.app_secret)


def get_token(ctx: Context, request: Request) -> JsonObject:
    if not _credentials_match(ctx, request.query.get("appkey"), request.query.get("appsecret")):
        raise DingTalkError.oapi(40089)
    token = ctx.tokens.issue(ctx.org.tenant.app.app_key)
    return {"access_token": token, "expires_in": int(ctx.tokens.ttl)}


def access_token(ctx: Context, request: Request) -> JsonObject:
    """JSON body only: a form body is answered ``Missingbody`` like the real endpoint."""
    if request.body_kind != "json":
        raise DingTalkError.api(400, "Missingbody", "body is mandatory for this action.")
    for name in ("appKey", "appSecret"):
        if not request.params.get(name):
            raise DingTalkError.api(400, f"Missing{name}", f"{name} is mandatory for this action.")
    if not _credentials_match(ctx, request.params["appKey"], request.params["appSecret"]):
        raise DingTalkError.api(400, "invalidClientIdOrSecret", "无效的clientId或者clientSecret")
    token = ctx.tokens.issue(ctx.org.tenant.app.app_key)
    return {"accessToken": token, "expireIn": int(ctx.tokens.ttl)}


def auth_scopes(ctx: Context, request: Request) -> JsonObject:
    permissions = ctx.org.tenant.permissions
    return {
        "auth_user_field": list(permissions.auth_user_field),
        "condition_field": [],
        "auth_org_scopes": {
            "authed_user": list(permissions.authed_user),
            "authed_dept": list(permissions.authed_dept),
        },
    }


def org_auth_info(ctx: Context, request: Request) -> JsonObject:
    tenant = ctx.org.tenant
    target = api_params(request).text("targetCorpId", tenant.corp_id)
    if target != tenant.corp_id:
        raise DingTalkError.api(400, "permission.denied", "无权限访问该组织的认证信息")
    org = tenant.org
    if org.auth_level == 0:
        return {"orgName": org.name, "authLevel": 0}
    info = {
        "orgName": org.name,
        "licenseOrgName": org.license_org_name or org.name,
        "registrationNum": org.registration_num,
        "unifiedSocialCredit": org.unified_social_credit,
        "organizationCode": org.organization_code,
        "legalPerson": org.legal_person,
        "licenseUrl": org.license_url,
        "authLevel": org.auth_level,
    }
    return {key: value for key, value in info.items() if value is not None}


ROUTES = (
    Route("oapi", "GET", "/gettoken", get_token, None),
    Route("api", "POST", "/v1.0/oauth2/accessToken", access_token, None),
    Route("oapi", "GET", "/auth/scopes", auth_scopes, "qyapi_base"),
    Route("api", "GET", "/v1.0/contact/organizations/authInfos", org_auth_info, "Contact.Org.Read"),
)
