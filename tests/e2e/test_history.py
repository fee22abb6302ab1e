"""Scan history end to end: two scans of an emulated tenant that changed in between.

Between the scans an administrator is added, a leaver is removed and an app is disabled; the
second scan's ``changes`` (from the state) and ``dingscan diff`` (from the two findings files)
must both name exactly those offenders, and offenders untouched keep the first scan's time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dingscan.cli import main
from dingscan.emulator import Emulator, Tenant, load_tenant
from dingscan.emulator.tenant import Admin
from dingscan.exitcodes import ExitCode
from dingscan.resources import packaged_path

TENANTS = packaged_path("fixtures/tenants")
INPUTS = [
    "--policy",
    str(TENANTS / "demo-policy.yaml"),
    "--attestations",
    str(TENANTS / "demo-attestations.yaml"),
]


def changed(tenant: Tenant) -> Tenant:
    """The demo tenant a day later: a new sub-admin over the whole org, a leaver gone, an app disabled."""
    apps = tuple(a.model_copy(update={"app_status": 0}) if a.app_id == 88231 else a for a in tenant.apps)
    return tenant.model_copy(
        update={
            "admins": (*tenant.admins, Admin(userid="lam.chiho", sys_level=2, dept_ids=(1,))),
            "users": tuple(u for u in tenant.users if u.userid != "mak.waiyee"),
            "apps": apps,
        }
    )


def scan(tenant: Tenant, state: Path | str, output: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    with Emulator(tenant, qps=None) as emu:
        for key, value in {
            "DINGSCAN_APP_KEY": emu.app_key,
            "DINGSCAN_APP_SECRET": emu.app_secret,
            "DINGSCAN_CORP_ID": tenant.corp_id,
            "DINGSCAN_OAPI_URL": emu.oapi_url,
            "DINGSCAN_API_URL": emu.api_url,
            "DINGSCAN_QPS": "500",
        }.items():
            monkeypatch.setenv(key, value)
        assert main(["scan", "--quiet", "--state", str(state), "--output", str(output), *INPUTS]) == 1
    document: dict[str, Any] = json.loads(output.read_text())
    return document


def moves(document: dict[str, Any], kind: str) -> set[tuple[str, str, str]]:
    return {
        (f["control_id"], r["type"], r["id"])
        for f in document["findings"]
        if f["changes"]
        for r in f["changes"][kind]
    }


EXPECTED_NEW = {("DT.PRV.3", "admin", "lam.chiho"), ("DT.APP.2", "app", "88231")}
EXPECTED_RESOLVED = {("DT.LCM.1", "user", "mak.waiyee"), ("DT.APP.1", "app", "88231")}


def test_second_scan_names_exactly_what_changed(
    tmp_path: Path,
    state_target: Path | str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tenant = load_tenant(TENANTS / "demo.yaml")
    state = state_target  # a directory, then a PostgreSQL database
    first = scan(tenant, state, tmp_path / "first.json", monkeypatch)
    assert all(f["changes"] is None for f in first["findings"])  # nothing to compare with yet
    capsys.readouterr()
    second = scan(changed(tenant), state, tmp_path / "second.json", monkeypatch)
    summary = capsys.readouterr().out
    assert summary.startswith("since ") and "2 new failures, 2 resolved, DT.LCM.1 FAIL -> PASS" in summary
    assert "- lam.chiho (Lam Chi Ho): sub-administrator" in summary and "[new]" in summary

    assert moves(second, "new") == EXPECTED_NEW
    assert moves(second, "resolved") == EXPECTED_RESOLVED
    statuses = {f["control_id"]: (f["changes"]["previous_status"], f["status"]) for f in second["findings"]}
    assert statuses["DT.APP.1"] == ("FAIL", "PASS") and statuses["DT.LCM.1"] == ("FAIL", "PASS")
    first_time, second_time = first["scan"]["as_of"], second["scan"]["as_of"]
    for finding in second["findings"]:
        for resource in finding["resources"]:
            new = (finding["control_id"], resource["type"], resource["id"]) in EXPECTED_NEW
            assert resource["first_seen"] == (second_time if new else first_time), (
                finding["control_id"],
                resource,
            )

    # dingscan diff on the two files says the same, without the state.
    assert main(["diff", str(tmp_path / "first.json"), str(tmp_path / "second.json"), "--json"]) == 1
    diffed = json.loads(capsys.readouterr().out)
    assert moves(diffed, "new") == EXPECTED_NEW
    assert moves(diffed, "resolved") == EXPECTED_RESOLVED
    assert main(["diff", str(tmp_path / "first.json"), str(tmp_path / "second.json")]) == 1
    text = capsys.readouterr().out
    assert text.startswith("since ") and "2 new failures, 2 resolved" in text
    assert "DT.APP.1 FAIL -> PASS" in text and "+ admin lam.chiho (Lam Chi Ho)" in text

    assert main(["history", "--state", str(state)]) == ExitCode.OK
    history = capsys.readouterr().out
    assert "DT.APP.1   FP" in history and "DT.APP.2   FF" in history
    assert "DT.PRV.3   admin lam.chiho (Lam Chi Ho): open 0 days" in history
