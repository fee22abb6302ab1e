"""Adaptive pacing, throttled calls retried within the time budget, and every wait bounded."""

from __future__ import annotations

import asyncio
import itertools

import pytest
import respx
from dingtalk_fakes import MakeClient, oapi_fail, oapi_ok, url_of

from dingscan.client import endpoints as ep
from dingscan.client.errors import OutOfTime, RateLimited
from dingscan.client.limits import GRID_TOLERANCE, MAX_INTERVAL, SLOWDOWN, Pacer, PastDeadline

INTERVAL = 0.01


async def test_a_burst_of_throttle_answers_slows_the_pacer_once() -> None:
    pacer = Pacer(INTERVAL)
    sent = [await pacer.wait() for _ in range(3)]

    for sent_at in sent:  # three calls of the same burst answer 90018
        pacer.throttled(sent_at)

    assert pacer.interval == INTERVAL * SLOWDOWN
    pacer.throttled(await pacer.wait())  # a call sent at the slower pace is throttled too
    assert pacer.interval == INTERVAL * SLOWDOWN**2


async def test_the_pacer_never_waits_longer_than_its_ceiling() -> None:
    pacer = Pacer(INTERVAL)
    for _ in range(60):
        pacer.throttled(asyncio.get_running_loop().time())
    assert pacer.interval == MAX_INTERVAL


async def test_clean_answers_win_the_pace_back_but_never_beyond_the_configured_rate() -> None:
    pacer = Pacer(INTERVAL)
    pacer.throttled(await pacer.wait())
    slowed = pacer.interval

    pacer.succeeded()  # too soon: a second of clean answers has not passed
    assert pacer.interval == slowed
    pacer._clean_since -= 1.0  # a clean second later
    pacer.succeeded()
    assert INTERVAL < pacer.interval < slowed
    for _ in range(200):
        pacer._clean_since -= 1.0
        pacer.succeeded()
    assert pacer.interval == INTERVAL


async def test_calls_leave_an_interval_apart_even_after_the_loop_stalled() -> None:
    pacer = Pacer(0.05)
    await pacer.wait()
    waiting = [asyncio.ensure_future(pacer.wait()) for _ in range(3)]
    await asyncio.sleep(0)
    await asyncio.sleep(0.2)  # stalled past every slot: the overdue calls must not leave together

    sent = await asyncio.gather(*waiting)

    gaps = [b - a for a, b in itertools.pairwise(sent)]
    assert min(gaps) >= 0.05 - GRID_TOLERANCE  # lateness within the tolerance keeps the grid


async def test_a_wait_that_would_end_after_the_deadline_is_refused() -> None:
    pacer = Pacer(1.0)
    loop = asyncio.get_running_loop()
    await pacer.wait()
    with pytest.raises(PastDeadline):
        await pacer.wait(deadline=loop.time() + 0.1)


async def test_throttled_calls_are_retried_beyond_the_attempts_within_the_time_budget(
    dingtalk: respx.MockRouter, make_client: MakeClient
) -> None:
    client = make_client(time_budget=60.0)  # four attempts for other transient errors
    throttles = 7
    dingtalk.post(url_of(ep.ADMIN_LIST)).mock(
        side_effect=[oapi_fail(90018, "app qps limit")] * throttles + [oapi_ok(result=[])]
    )

    assert (await client.call(ep.ADMIN_LIST))["result"] == []
    assert client.stats.throttled == throttles
    assert client.stats.retries == throttles


async def test_without_a_time_budget_throttled_calls_get_the_usual_attempts(
    dingtalk: respx.MockRouter, make_client: MakeClient
) -> None:
    client = make_client()
    dingtalk.post(url_of(ep.ADMIN_LIST)).mock(return_value=oapi_fail(90018, "app qps limit"))

    with pytest.raises(RateLimited):
        await client.call(ep.ADMIN_LIST)
    assert client.stats.throttled == 4


async def test_a_call_after_the_time_budget_is_not_sent(
    dingtalk: respx.MockRouter, make_client: MakeClient
) -> None:
    client = make_client(time_budget=0.2)
    admins = dingtalk.post(url_of(ep.ADMIN_LIST)).mock(return_value=oapi_ok(result=[]))
    await client.call(ep.ADMIN_LIST)
    await asyncio.sleep(0.3)

    with pytest.raises(OutOfTime) as raised:
        await client.call(ep.ADMIN_LIST)

    assert admins.call_count == 1
    assert raised.value.reason == (
        "/topapi/user/listadmin skipped: the scan's time budget of 0.2 s (scan_timeout) ran out"
    )
