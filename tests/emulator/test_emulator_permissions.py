"""Permission points, field permissions and the contact scope (dingtalk-api.md §4.1, §10.4, §12)."""

from __future__ import annotations

from emulator_support import Serve
from raw_dingtalk import RawDingTalk, demo_tenant, with_changes, with_permissions

WITHOUT_EMAIL = ("jobnumber", "name", "department", "userid", "mobile")


def _user(dt: RawDingTalk, userid: str) -> dict[str, object]:
    result: dict[str, object] = dt.result("/topapi/v2/user/get", {"userid": userid})
    return result


def test_email_fields_are_omitted_without_the_email_permission(serve: Serve) -> None:
    dt = serve(with_permissions(demo_tenant(), auth_user_field=WITHOUT_EMAIL))
    listed = dt.result("/topapi/v2/user/list", {"dept_id": 2, "cursor": 0, "size": 10})["list"]
    assert listed and all("email" not in u and "org_email" not in u for u in listed)
    assert "email" not in _user(dt, "chan.taiman")
    assert all(u["mobile"] for u in listed)
    assert "email" not in dt.ok("/auth/scopes")["auth_user_field"]


def test_mobile_fields_are_omitted_without_the_mobile_permission(serve: Serve) -> None:
    dt = serve(with_permissions(demo_tenant(), auth_user_field=("userid", "name", "email")))
    user = _user(dt, "chan.taiman")
    assert "mobile" not in user and "state_code" not in user
    assert user["email"] == "chan.taiman@harbourfintech.hk"


def test_empty_fields_are_omitted_even_with_the_permission(dt: RawDingTalk) -> None:
    assert "email" in dt.ok("/auth/scopes")["auth_user_field"]
    user = _user(dt, "kwok.manho")
    assert user["email"] == "kwok.manho@apexconsulting.com.hk"
    assert "org_email" not in user


def test_departments_outside_the_authorised_scope_are_50004(serve: Serve) -> None:
    dt = serve(with_permissions(demo_tenant(), authed_dept=(3,)))
    assert dt.ok("/auth/scopes")["auth_org_scopes"]["authed_dept"] == [3]
    assert dt.result("/topapi/v2/user/list", {"dept_id": 3, "cursor": 0, "size": 100})["list"]
    for path, body in [
        ("/topapi/v2/user/list", {"dept_id": 4, "cursor": 0, "size": 100}),
        ("/topapi/v2/department/listsub", {"dept_id": 1}),
        ("/topapi/v2/department/get", {"dept_id": 4}),
        ("/topapi/user/listid", {"dept_id": 4}),
    ]:
        assert dt.oapi(path, body).json()["errcode"] == 50004, path
    assert dt.oapi("/topapi/v2/user/get", {"userid": "lee.siuming"}).json()["errcode"] == 50002
    # listsubid is documented to ignore the contact scope.
    assert dt.result("/topapi/v2/department/listsubid", {"dept_id": 1})["dept_id_list"] == [2, 3, 4, 5, 6, 7]


def test_a_denied_permission_point_is_88_60011_or_403(serve: Serve) -> None:
    dt = serve(with_permissions(demo_tenant(), denied=("qyapi_ext_read", "qyapi_get_microapp_list")))
    old = dt.oapi("/topapi/extcontact/list", {"offset": 0, "size": 10}).json()
    assert old["errcode"] == 88 and old["sub_code"] == "60011" and "subcode=60011" in old["errmsg"]
    new = dt.api("GET", "/v1.0/microApp/allApps")
    assert (
        new.status_code == 403 and new.json()["code"] == "Forbidden.AccessDenied.AccessTokenPermissionDenied"
    )
    assert dt.oapi("/topapi/user/listadmin").json()["errcode"] == 0


def test_only_granted_points_are_usable_when_granted_is_a_list(serve: Serve) -> None:
    dt = serve(with_permissions(demo_tenant(), granted=("qyapi_get_member",)))
    assert dt.oapi("/topapi/user/listadmin").json()["errcode"] == 0
    assert dt.oapi("/topapi/role/list", {"offset": 0, "size": 20}).json()["errcode"] == 88


def test_exclusive_endpoints_are_403_unless_the_edition_is_exclusive(serve: Serve) -> None:
    params = {"startDate": 0, "endDate": 2**42, "pageSize": 10}
    standard = serve()
    denied = standard.api("GET", "/v1.0/exclusive/fileAuditLogs", params=params)
    assert (
        denied.status_code == 403
        and denied.json()["code"] == "Forbidden.AccessDenied.AccessTokenPermissionDenied"
    )
    exclusive = serve(with_changes(demo_tenant(), edition="exclusive"))
    assert exclusive.api("GET", "/v1.0/exclusive/fileAuditLogs", params=params).json() == {"list": []}


def test_hr_endpoints_need_the_hr_app(serve: Serve) -> None:
    dt = serve(with_changes(demo_tenant(), hr_app_enabled=False))
    answer = dt.api("GET", "/v1.0/hrm/employees/dimissionInfos", params={"userIdList": '["mak.waiyee"]'})
    assert answer.status_code == 400 and answer.json()["code"] == "corpNotOpenHrm"


def test_dismission_info_carries_the_handover(dt: RawDingTalk) -> None:
    answer = dt.api(
        "GET", "/v1.0/hrm/employees/dimissionInfos", params={"userIdList": '["mak.waiyee","nobody"]'}
    )
    (info,) = answer.json()["result"]
    assert info["userId"] == "mak.waiyee" and info["handoverUserId"] == "poon.wailun"
    assert info["deptList"] == [{"dept_id": 4, "dept_path": "Harbour Fintech Ltd-Finance"}]
