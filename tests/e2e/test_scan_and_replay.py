"""A live scan of the loopback emulator, recorded, then replayed offline."""

from __future__ import annotations

import json
from pathlib import Path

from e2e_support import CANARY_SECRET, judged_by, settings_for

from dingscan.emulator import Emulator, Fault, Tenant
from dingscan.engine import load_checks
from dingscan.evidence import read_bundle
from dingscan.findings import Status
from dingscan.policy import Policy
from dingscan.scan import compare_with_recording, replay_bundle, scan_live
from dingscan.snapshot import SectionStatus

INPUTS = judged_by(Policy(corporate_domains=["example.hk"]))


async def test_live_scan_collects_every_section(emulator: Emulator, tenant: Tenant) -> None:
    result = await scan_live(settings_for(emulator, tenant), inputs=INPUTS, checks=load_checks())
    coverage = result.document.coverage
    edition_specific = {"dimissions", "audit_log_probe", "external_groups"}  # HR app / 专属钉钉 only
    assert all(c.status == SectionStatus.COLLECTED for n, c in coverage.items() if n not in edition_specific)
    assert all(coverage[n].status == SectionStatus.NOT_APPLICABLE for n in edition_specific), coverage
    assert coverage["users"].records == len(tenant.users)
    assert result.document.scan.api_usage is not None and result.document.scan.api_usage.counted >= 3


async def test_recorded_scan_replays_to_identical_findings(
    emulator: Emulator, tenant: Tenant, tmp_path: Path
) -> None:
    live = await scan_live(
        settings_for(emulator, tenant), inputs=INPUTS, checks=load_checks(), record_to=tmp_path / "bundle"
    )
    bundle = read_bundle(tmp_path / "bundle")
    replayed = await replay_bundle(bundle, inputs=bundle.judged_against(), checks=load_checks())
    assert compare_with_recording(bundle, replayed.document).result == "identical"
    assert [f.model_dump() for f in replayed.document.findings] == [
        f.model_dump() for f in live.document.findings
    ]
    assert replayed.document.scan.mode == "replay"
    assert replayed.document.scan.as_of == live.document.scan.as_of


async def test_replay_reproduces_retries_of_transient_faults(tenant: Tenant, tmp_path: Path) -> None:
    faults = [
        Fault("http_503", path="/topapi/v2/user/list", times=2),
        Fault("throttle_app", path="/topapi/role/list"),
    ]
    with Emulator(tenant, qps=None, faults=faults) as emu:
        live = await scan_live(
            settings_for(emu, tenant), inputs=INPUTS, checks=load_checks(), record_to=tmp_path / "b"
        )
    assert live.document.scan.api_usage is not None and live.document.scan.api_usage.retries >= 3
    assert all(c.status != SectionStatus.FAILED for c in live.document.coverage.values())
    bundle = read_bundle(tmp_path / "b")
    replayed = await replay_bundle(bundle, inputs=INPUTS, checks=load_checks())
    assert compare_with_recording(bundle, replayed.document).result == "identical"


async def test_request_missing_from_recording_fails_only_its_section(
    emulator: Emulator, tenant: Tenant, tmp_path: Path
) -> None:
    await scan_live(
        settings_for(emulator, tenant), inputs=INPUTS, checks=load_checks(), record_to=tmp_path / "b"
    )
    bundle = read_bundle(tmp_path / "b")
    kept = [e for e in bundle.exchanges if e.request.path != "/topapi/user/listadmin"]
    trimmed = bundle.__class__(**{**bundle.__dict__, "exchanges": kept})
    replayed = await replay_bundle(trimmed, inputs=INPUTS, checks=load_checks())
    admins = replayed.document.coverage["admins"]
    assert admins.status == SectionStatus.FAILED
    assert admins.reason == "/topapi/user/listadmin is not in the recording"
    by_control = {f.control_id: f for f in replayed.document.findings}
    assert by_control["DT.PRV.1"].status is Status.ERROR
    assert by_control["DT.LCM.1"].status is not Status.ERROR


async def test_missing_permission_fails_closed_with_the_permission_named(tenant: Tenant) -> None:
    denied = tenant.model_copy(
        update={"permissions": tenant.permissions.model_copy(update={"denied": ("qyapi_get_member",)})}
    )
    with Emulator(denied, qps=None) as emu:
        result = await scan_live(settings_for(emu, denied), inputs=INPUTS, checks=load_checks())
    admins = result.document.coverage["admins"]
    assert admins.status == SectionStatus.FAILED
    assert "qyapi_get_member" in (admins.reason or "")
    prv1 = next(f for f in result.document.findings if f.control_id == "DT.PRV.1")
    assert prv1.status is Status.ERROR and "qyapi_get_member" in prv1.message


async def test_canary_secret_appears_in_no_output(
    emulator: Emulator, tenant: Tenant, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    from dingscan.logs import configure_logging

    configure_logging("debug", "json")
    emulator.expire_tokens()
    result = await scan_live(
        settings_for(emulator, tenant), inputs=INPUTS, checks=load_checks(), record_to=tmp_path / "b"
    )
    emulator.expire_tokens()  # a refresh mid-way too
    captured = capsys.readouterr()
    outputs = [captured.out, captured.err, result.document.model_dump_json(), repr(result)]
    outputs += [f.read_text() for f in (tmp_path / "b").iterdir()]
    tokens = {
        json.loads(e.response.text)["accessToken"]
        for e in read_bundle(tmp_path / "b").exchanges
        if e.request.path == "/v1.0/oauth2/accessToken" and e.response and e.response.text
    }
    assert tokens == {"***"}
    for text in outputs:
        assert CANARY_SECRET not in text
    assert "debug" in captured.err or "info" in captured.err  # logging really was on
