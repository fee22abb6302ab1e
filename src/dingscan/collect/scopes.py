"""The scanner app's own reach (``/auth/scopes``): is the inventory it collects complete?

DingTalk silently leaves out what an app may not see: departments outside its contact scope, and
the email fields without the personal-information permission. This area turns that into
coverage statements the checks depend on, instead of letting "not visible" pass as "not there".
"""

from __future__ import annotations

from typing import Any

from dingscan.client import endpoints as ep
from dingscan.client.errors import MalformedResponse
from dingscan.client.paging import Caller
from dingscan.snapshot import AuthScopes, Section, SectionStatus, User

ROOT_DEPT = 1
#: ``auth_user_field`` names that grant the email fields. The doc's example lists the granted
#: fields by name; the email permission (邮箱等个人信息) shows up as ``email``.
EMAIL_FIELDS = frozenset({"email", "orgEmail", "org_email"})


async def collect_scopes(client: Caller) -> Section[AuthScopes]:
    answer = await client.call(ep.AUTH_SCOPES)
    org_scopes = answer.get("auth_org_scopes") or {}
    if not isinstance(org_scopes, dict):
        raise MalformedResponse("shape", "auth_org_scopes is not an object", endpoint=ep.AUTH_SCOPES)
    return Section.collected(
        AuthScopes(
            authed_dept=[int(d) for d in _listed(org_scopes, "authed_dept")],
            authed_user=[str(u) for u in _listed(org_scopes, "authed_user")],
            auth_user_field=[str(f) for f in _listed(answer, "auth_user_field")],
        )
    )


def _listed(answer: dict[str, Any], key: str) -> list[Any]:
    """A list field, absent meaning empty. Anything else is malformed: a string iterated as a list
    could turn "12" into departments [1, 2] and a partial inventory into a whole one."""
    value = answer.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedResponse("shape", f"{key} is not a list", endpoint=ep.AUTH_SCOPES)
    return value


def email_field_access(scopes: Section[AuthScopes]) -> Section[bool]:
    """Collected only when the app is known to receive members' email fields."""
    if scopes.status is not SectionStatus.COLLECTED or scopes.data is None:
        return Section[bool].failed(f"cannot tell whether email fields are visible: {scopes.reason}")
    if EMAIL_FIELDS.isdisjoint(scopes.data.auth_user_field):
        return Section[bool].failed(
            "app lacks the 邮箱等个人信息 field permission (auth_user_field has no email): "
            "DingTalk omits every member's email, so addresses cannot be judged"
        )
    return Section.collected(True)


def within_scope(users: Section[list[User]], scopes: Section[AuthScopes]) -> Section[list[User]]:
    """The users section, downgraded to partial when the app cannot see the whole organisation."""
    if users.data is None or users.status is not SectionStatus.COLLECTED:
        return users
    if scopes.data is None:
        return Section.partial(users.data, f"the app's contact scope could not be verified: {scopes.reason}")
    if ROOT_DEPT not in scopes.data.authed_dept:
        return Section.partial(
            users.data,
            f"the app's contact scope is departments {scopes.data.authed_dept}, not the whole "
            "organisation (authed_dept lacks 1); members outside it are invisible",
        )
    return users
