"""Any text a tenant's members and admins choose survives record -> replay -> report.

Display names, titles, department, app and partner names are typed by people in the tenant, so
they may hold any Unicode: line and paragraph separators (U+2028, U+2029, U+0085), controls,
bidirectional marks. A scan of the emulator holding such text is recorded, read back, replayed and
rendered in every format; each JSON(-lines) output must still split into its records for a reader
that splits lines the way ``str.splitlines`` does.
"""

from __future__ import annotations

import json
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from prop_strategies import LINE_BREAKS

from dingscan.emulator import Emulator, Tenant, generate_tenant
from dingscan.engine import load_checks
from dingscan.evidence import read_bundle
from dingscan.evidence.bundle import EXCHANGES, FINDINGS, MANIFEST
from dingscan.inputs import InputFile, JudgementInputs
from dingscan.policy import Policy
from dingscan.report.formats import FORMATS
from dingscan.report.ocsf import render_ocsf
from dingscan.scan import compare_with_recording, replay_bundle, scan_live

BASE = generate_tenant(members=12, seed=3)
POLICY = Policy(corporate_domains=["corp3.example.com"])
INPUTS = JudgementInputs(POLICY, InputFile("test policy", POLICY.to_yaml()), None, None)
#: Any Unicode scalar value (UTF-8 has no surrogates), line breaks and controls made likely.
tenant_text = st.text(
    st.characters(codec="utf-8") | st.sampled_from(LINE_BREAKS + "\x00\x1b\x7f\u202e"),
    min_size=1,
    max_size=12,
)


def with_text(names: list[str]) -> Tenant:
    """``BASE`` with ``names`` (cycled) as the org's, a department's, members', apps' and partners' names."""

    def name(n: int) -> str:
        return names[n % len(names)]

    users = tuple(
        u.model_copy(update={"name": name(i), "title": name(i + 1)}) if i < 3 else u
        for i, u in enumerate(BASE.users)
    )
    departments = tuple(
        d.model_copy(update={"name": name(i)}) if d.id != 1 else d for i, d in enumerate(BASE.departments)
    )
    apps = tuple(a.model_copy(update={"name": name(i)}) for i, a in enumerate(BASE.apps))
    partners = tuple(p.model_copy(update={"org_name": name(i)}) for i, p in enumerate(BASE.partner_orgs))
    return BASE.model_copy(
        update={
            "org": BASE.org.model_copy(update={"name": name(0)}),
            "users": users,
            "departments": departments,
            "apps": apps,
            "partner_orgs": partners,
        }
    )


def json_records(text: str) -> list[object]:
    """The JSON values of a JSON-lines text, split as a careless reader would."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.hostile
@settings(max_examples=12, deadline=None, database=None)
@given(names=st.lists(tenant_text, min_size=1, max_size=4))
@example(names=["a\u2028b", "c\u2029d", "e\x85f", "\x00\x07\x1b[31m"])
async def test_any_tenant_text_survives_record_replay_and_report(names: list[str]) -> None:
    tenant = with_text(names)
    with TemporaryDirectory() as folder, Emulator(tenant, qps=None) as emu:
        bundle_path = Path(folder) / "b"
        settings_ = emu.scanner_settings(corp_id=tenant.corp_id, qps=1000.0, timeout=5.0)
        live = await scan_live(settings_, inputs=INPUTS, checks=load_checks(), record_to=bundle_path)
        bundle = read_bundle(bundle_path)
        exchanges = (bundle_path / EXCHANGES).read_text("utf-8")
        for name in (FINDINGS, MANIFEST):
            json.loads("\n".join((bundle_path / name).read_text("utf-8").splitlines()))

    assert len(json_records(exchanges)) == len(bundle.exchanges) == bundle.manifest.exchanges
    replayed = await replay_bundle(bundle, inputs=bundle.judged_against(), checks=load_checks())
    assert compare_with_recording(bundle, replayed.document).result == "identical"
    assert replayed.document.findings == live.document.findings
    assert len(json_records(render_ocsf(replayed.document))) == render_ocsf(replayed.document).count("\n")
    for fmt in FORMATS.values():
        assert fmt.render(replayed.document)
    assert json.loads(FORMATS["json"].render(replayed.document).replace("\n", "")) == json.loads(
        "".join(FORMATS["json"].render(replayed.document).splitlines())
    )
