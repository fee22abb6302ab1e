"""The monthly call quota: counted calls are known, reported and can be budgeted."""

from __future__ import annotations

from e2e_support import judged_by, settings_for

from dingscan.emulator import Emulator, Tenant
from dingscan.engine import load_checks
from dingscan.findings import Status
from dingscan.policy import Policy
from dingscan.scan import scan_live
from dingscan.snapshot import SectionStatus

INPUTS = judged_by(Policy(corporate_domains=["example.hk"]))


async def test_counted_calls_never_undercount_what_the_server_charged(
    emulator: Emulator, tenant: Tenant
) -> None:
    result = await scan_live(settings_for(emulator, tenant), inputs=INPUTS, checks=load_checks())
    usage = result.document.scan.api_usage
    assert usage is not None
    # DingTalk documents only throttled calls as free; dingscan also charges refused calls (here
    # the two 专属钉钉 probes a standard tenant denies), so a budget errs on the safe side.
    refused = sum(1 for call in emulator.calls if call.path.startswith("/v1.0/exclusive/"))
    assert usage.counted == emulator.counted_calls + refused


async def test_budget_skips_counted_calls_with_a_clear_error(emulator: Emulator, tenant: Tenant) -> None:
    settings = settings_for(emulator, tenant, max_counted_calls=1)
    result = await scan_live(settings, inputs=INPUTS, checks=load_checks())
    usage = result.document.scan.api_usage
    assert usage is not None and usage.counted == 1 and emulator.counted_calls == 1
    skipped = [c for c in result.document.coverage.values() if "--max-counted-calls" in (c.reason or "")]
    assert skipped and all(c.status == SectionStatus.FAILED for c in skipped)
    app_checks = [f for f in result.document.findings if f.control_id in ("DT.APP.1", "DT.APP.2")]
    assert all(f.status is Status.ERROR and "budget of 1 counted calls" in f.message for f in app_checks)
    # Quota-exempt areas are untouched by the budget.
    assert result.document.coverage["users"].status == SectionStatus.COLLECTED
