"""Proactive pacing per API path, measured on the real clock.

These check the *rate*, not performance: lower bounds are exact to within a small tolerance,
upper bounds are generous so that a busy CI machine does not fail them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable

import httpx
import pytest
import respx
from dingtalk_fakes import MakeClient, api_fail, api_ok, oapi_ok, url_of

from dingscan.client import endpoints as ep
from dingscan.client.errors import BudgetExhausted
from dingscan.client.limits import SAFETY_MARGIN, PerApiRateLimiter

RATE = 50.0
CALLS = 30
TOLERANCE = 0.03  # seconds: timer granularity, not slack in the rate
PACED = (CALLS - 1) / (RATE * SAFETY_MARGIN)  # about 0.61 s


async def timed(*waits: Awaitable[None]) -> float:
    start = time.monotonic()
    await asyncio.gather(*waits)
    return time.monotonic() - start


async def test_calls_to_one_api_path_are_paced_under_the_rate() -> None:
    limiter = PerApiRateLimiter(RATE)

    elapsed = await timed(*(limiter.wait("/topapi/v2/user/list") for _ in range(CALLS)))

    assert elapsed >= PACED - TOLERANCE
    assert elapsed < PACED + 1.0


async def test_different_api_paths_are_paced_independently_and_concurrently() -> None:
    limiter = PerApiRateLimiter(RATE)
    paths = ["/topapi/v2/user/list", "/topapi/v2/department/listsub"]

    elapsed = await timed(*(limiter.wait(path) for _ in range(CALLS) for path in paths))

    assert elapsed >= PACED - TOLERANCE
    assert elapsed < 1.5 * PACED  # one path's time, clearly not the sum of both (2 * PACED)


async def test_no_rate_means_no_pacing() -> None:
    limiter = PerApiRateLimiter(None)

    elapsed = await timed(*(limiter.wait("/topapi/v2/user/list") for _ in range(500)))

    assert elapsed < 0.2


@pytest.mark.parametrize("rate", [0, -1.0])
def test_a_rate_that_is_not_positive_is_refused(rate: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        PerApiRateLimiter(rate)


async def test_client_paces_the_requests_it_sends_to_one_endpoint(
    dingtalk: respx.MockRouter, make_client: MakeClient
) -> None:
    client = make_client(calls_per_second=RATE)
    sent_at: list[float] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent_at.append(time.monotonic())
        return oapi_ok(result=[])

    dingtalk.post(url_of(ep.ADMIN_LIST)).mock(side_effect=record)
    calls = 15

    await asyncio.gather(*(client.call(ep.ADMIN_LIST) for _ in range(calls)))

    assert len(sent_at) == calls
    assert sent_at[-1] - sent_at[0] >= (calls - 1) / (RATE * SAFETY_MARGIN) - TOLERANCE


# --- the operator's budget of counted calls (--max-counted-calls) -----------------------------


async def test_counted_budget_stops_counted_calls_before_they_are_sent(
    dingtalk: respx.MockRouter, make_client: MakeClient
) -> None:
    client = make_client(counted_budget=1)
    apps = dingtalk.get(url_of(ep.ALL_APPS)).mock(return_value=api_ok(appList=[]))
    admins = dingtalk.post(url_of(ep.ADMIN_LIST)).mock(return_value=oapi_ok(result=[]))

    await client.call(ep.ALL_APPS)
    with pytest.raises(BudgetExhausted) as raised:
        await client.call(ep.ALL_APPS)
    await client.call(ep.ADMIN_LIST)  # not counted, so not budgeted

    assert apps.call_count == 1
    assert admins.call_count == 1
    assert client.stats.counted == 1
    assert "budget of 1 counted calls" in raised.value.reason


async def test_throttled_calls_do_not_use_up_the_counted_budget(
    dingtalk: respx.MockRouter, make_client: MakeClient
) -> None:
    client = make_client(counted_budget=1)
    dingtalk.get(url_of(ep.ALL_APPS)).mock(
        side_effect=[api_fail(403, "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi"), api_ok(appList=[])]
    )

    assert await client.call(ep.ALL_APPS) == {"appList": []}
    assert client.stats.counted == 1


async def test_calls_that_never_connected_do_not_use_up_the_counted_budget(
    dingtalk: respx.MockRouter, make_client: MakeClient
) -> None:
    client = make_client(counted_budget=1)
    dingtalk.get(url_of(ep.ALL_APPS)).mock(
        side_effect=[httpx.ConnectError("[Errno 111] Connection refused"), api_ok(appList=[])]
    )

    assert await client.call(ep.ALL_APPS) == {"appList": []}
    assert client.stats.counted == 1
