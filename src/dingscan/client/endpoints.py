"""The DingTalk Open API endpoints dingscan may call: one catalogue, one source of truth.

The catalogue is also the scanner's safety guarantee: the transport refuses any request that
does not match an entry here, and every entry is a read. So whatever a bug or a plugin asks for,
dingscan can never change a tenant.

Facts (paths, permission points, which calls count against the monthly quota) come from
DingTalk's documentation as summarised in the project's API notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

#: Largest answer (bytes on the wire, and again after decompression) an endpoint may send. A page
#: of 100 members is about 200 KB; the cap leaves forty times that, and bounds memory per call.
DEFAULT_MAX_BODY = 8 * 1024 * 1024


class Host(StrEnum):
    """The two API generations; each has its own base URL, auth placement and error envelope."""

    OAPI = "oapi"  # https://oapi.dingtalk.com: access_token in the query, errcode in a 200 body
    API = "api"  # https://api.dingtalk.com: token header, HTTP status + {"code": ...} errors


@dataclass(frozen=True)
class Endpoint:
    """One documented read endpoint.

    ``counted`` marks calls that consume the tenant's monthly call quota (5,000 a month on the
    standard edition), so the collector can report and budget them. ``permission`` is the
    permission point the app needs; it goes into the error a person reads when it is missing.
    """

    name: str
    host: Host
    method: str
    path: str
    permission: str
    counted: bool = False
    needs_token: bool = True
    max_body: int = DEFAULT_MAX_BODY
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\\\{[A-Za-z_]+\\\}", "[^/]+", re.escape(self.path))
        object.__setattr__(self, "_pattern", re.compile(f"^{regex}$"))

    def matches(self, host: Host, method: str, path: str) -> bool:
        return host is self.host and method == self.method and bool(self._pattern.match(path))

    def format_path(self, **params: str) -> str:
        return self.path.format(**params)


# --- tokens ---------------------------------------------------------------------------------
ACCESS_TOKEN = Endpoint(
    "accessToken",
    Host.API,
    "POST",
    "/v1.0/oauth2/accessToken",
    "qyapi_base",
    needs_token=False,
    max_body=64 * 1024,  # a token and its lifetime
)

# --- scanner's own scope, organisation ------------------------------------------------------
AUTH_SCOPES = Endpoint("auth/scopes", Host.OAPI, "GET", "/auth/scopes", "qyapi_base", counted=True)
ORG_AUTH_INFO = Endpoint(
    "organizations/authInfos",
    Host.API,
    "GET",
    "/v1.0/contact/organizations/authInfos",
    "Contact.Org.Read",
)

# --- directory ------------------------------------------------------------------------------
DEPARTMENT_LISTSUB = Endpoint(
    "department/listsub",
    Host.OAPI,
    "POST",
    "/topapi/v2/department/listsub",
    "qyapi_get_department_list",
)
DEPARTMENT_GET = Endpoint(
    "department/get", Host.OAPI, "POST", "/topapi/v2/department/get", "qyapi_get_department_list"
)
USER_LIST = Endpoint("user/list", Host.OAPI, "POST", "/topapi/v2/user/list", "qyapi_get_department_member")
USER_GET = Endpoint("user/get", Host.OAPI, "POST", "/topapi/v2/user/get", "qyapi_get_member")
USER_COUNT = Endpoint("user/count", Host.OAPI, "POST", "/topapi/user/count", "qyapi_get_department_member")

# --- administrators and roles ---------------------------------------------------------------
ADMIN_LIST = Endpoint("user/listadmin", Host.OAPI, "POST", "/topapi/user/listadmin", "qyapi_get_member")
ADMIN_SCOPE = Endpoint(
    "user/get_admin_scope", Host.OAPI, "POST", "/topapi/user/get_admin_scope", "qyapi_get_member"
)
ROLE_LIST = Endpoint("role/list", Host.OAPI, "POST", "/topapi/role/list", "qyapi_get_department_list")
ROLE_MEMBERS = Endpoint(
    "role/simplelist", Host.OAPI, "POST", "/topapi/role/simplelist", "qyapi_get_department_member"
)

# --- external collaboration -----------------------------------------------------------------
EXTERNAL_CONTACTS = Endpoint(
    "extcontact/list", Host.OAPI, "POST", "/topapi/extcontact/list", "qyapi_ext_read"
)
PARTNER_ORGS = Endpoint(
    "union/cooperate/joined/list",
    Host.OAPI,
    "POST",
    "/topapi/union/cooperate/joined/list",
    "qyapi_related_org_read",
    counted=True,
)

# --- apps -----------------------------------------------------------------------------------
ALL_APPS = Endpoint(
    "microApp/allApps",
    Host.API,
    "GET",
    "/v1.0/microApp/allApps",
    "qyapi_get_microapp_list",
    counted=True,
    max_body=32 * 1024 * 1024,  # every app of the tenant in one unpaged answer
)

# --- account lifecycle ----------------------------------------------------------------------
LEAVE_RECORDS = Endpoint(
    "contact/empLeaveRecords", Host.API, "GET", "/v1.0/contact/empLeaveRecords", "Contact.Common.Read"
)
INACTIVE_USERS = Endpoint(
    "inactive/user/v2/get",
    Host.OAPI,
    "POST",
    "/topapi/inactive/user/v2/get",
    "qyapi_liveness_base",
)

HR_DISMISSIONS = Endpoint(
    "hrm/employees/dismissions", Host.API, "GET", "/v1.0/hrm/employees/dismissions", "qyapi_hrm_read_user"
)
HR_DIMISSION_INFOS = Endpoint(
    "hrm/employees/dimissionInfos",
    Host.API,
    "GET",
    "/v1.0/hrm/employees/dimissionInfos",
    "qyapi_hrm_read_user",
)

# --- 专属钉钉 (Exclusive DingTalk) evidence: edition-dependent, counted, optional -------------
ADMIN_OPERATION_LOGS = Endpoint(
    "exclusive/oaOperatorLogs",
    Host.API,
    "POST",  # a query: POST with a body, still a read
    "/v1.0/exclusive/oaOperatorLogs/query",
    "Custom.* (专属钉钉 admin operation log)",
    counted=True,
)
FILE_AUDIT_LOGS = Endpoint(
    "exclusive/fileAuditLogs",
    Host.API,
    "GET",
    "/v1.0/exclusive/fileAuditLogs",
    "Custom.OpFileAudit.Read",
    counted=True,
)
EXTERNAL_AUDIT_GROUPS = Endpoint(
    "exclusive/audits/outsideGroups",
    Host.API,
    "POST",  # a query: POST with a body, still a read
    "/v1.0/exclusive/audits/outsideGroups/query",
    "Custom.* (专属钉钉 external group audit)",
    counted=True,
)

CATALOGUE: tuple[Endpoint, ...] = (
    ACCESS_TOKEN,
    AUTH_SCOPES,
    ORG_AUTH_INFO,
    DEPARTMENT_LISTSUB,
    DEPARTMENT_GET,
    USER_LIST,
    USER_GET,
    USER_COUNT,
    ADMIN_LIST,
    ADMIN_SCOPE,
    ROLE_LIST,
    ROLE_MEMBERS,
    EXTERNAL_CONTACTS,
    PARTNER_ORGS,
    ALL_APPS,
    LEAVE_RECORDS,
    INACTIVE_USERS,
    HR_DISMISSIONS,
    HR_DIMISSION_INFOS,
    ADMIN_OPERATION_LOGS,
    FILE_AUDIT_LOGS,
    EXTERNAL_AUDIT_GROUPS,
)


def find_endpoint(host: Host, method: str, path: str) -> Endpoint | None:
    """The catalogue entry a request is for, or None when it is not an allowed read."""
    return next((e for e in CATALOGUE if e.matches(host, method, path)), None)
