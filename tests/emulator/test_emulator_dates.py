"""Relative dates in the tenant resolve against the emulator's clock (``now``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from emulator_support import Serve
from raw_dingtalk import NOW, RawDingTalk, demo_tenant

from dingscan.emulator import Emulator

INACTIVE = "/topapi/inactive/user/v2/get"


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@pytest.mark.parametrize("now", [NOW, NOW - timedelta(days=400)])
def test_hired_date_is_hired_days_ago_before_now(serve: Serve, now: datetime) -> None:
    dt = serve(now=now)
    user = dt.result("/topapi/v2/user/get", {"userid": "ng.hoiyan"})
    assert user["hired_date"] == _ms(now - timedelta(days=90))
    assert user["active"] is False


def test_leave_time_is_leave_days_ago_before_now(dt: RawDingTalk) -> None:
    params = {"startTime": "2026-10-01T00:00:00Z", "maxResults": 50}
    (record,) = dt.api("GET", "/v1.0/contact/empLeaveRecords", params=params).json()["records"]
    assert record["userId"] == "mak.waiyee"
    assert record["leaveTime"] == (NOW - timedelta(days=20)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _inactive(dt: RawDingTalk, day: str, *, is_active: bool = False) -> dict[str, object]:
    return dict(
        dt.oapi(INACTIVE, {"is_active": is_active, "query_date": day, "offset": 0, "size": 100}).json()
    )


def test_a_user_is_inactive_on_every_day_after_their_last_login(dt: RawDingTalk) -> None:
    def inactive_on(day: str) -> set[str]:
        answer = _inactive(dt, day)
        assert answer["errcode"] == 0, answer
        return set(answer["result"]["list"])  # type: ignore[index]

    # siu.chunkit last logged in 10 days ago (2026-11-15), lam.chiho yesterday.
    assert {"siu.chunkit", "tsang.yeeman", "ng.hoiyan"} <= inactive_on("20261116")
    assert "lam.chiho" not in inactive_on("20261124")
    assert "siu.chunkit" not in inactive_on("20261115")
    active = _inactive(dt, "20261115", is_active=True)["result"]["list"]  # type: ignore[index]
    assert "siu.chunkit" in active and "tsang.yeeman" not in active


def test_a_days_activity_is_published_at_nine_the_next_morning_shanghai_time(serve: Serve) -> None:
    before_nine = serve(now=datetime(2026, 11, 25, 0, 30, tzinfo=UTC))  # 08:30 in Shanghai
    assert _inactive(before_nine, "20261124")["errcode"] == 400002
    assert _inactive(before_nine, "20261123")["errcode"] == 0
    after_nine = serve(now=datetime(2026, 11, 25, 1, 30, tzinfo=UTC))  # 09:30 in Shanghai
    assert _inactive(after_nine, "20261124")["errcode"] == 0


@pytest.mark.parametrize("day", ["20261020", "20261125", "2026-11-24", "2026112"])
def test_query_dates_outside_the_last_month_or_malformed_are_400002(dt: RawDingTalk, day: str) -> None:
    assert _inactive(dt, day)["errcode"] == 400002


def test_now_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Emulator(demo_tenant(), now=datetime(2026, 11, 25))


def test_now_defaults_to_the_real_clock() -> None:
    emulator = Emulator(demo_tenant())
    assert abs(emulator.now - datetime.now(UTC)) < timedelta(seconds=5)
