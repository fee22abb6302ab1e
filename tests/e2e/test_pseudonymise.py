"""Pseudonymised bundles: nobody named, yet replay gives the same findings up to the pseudonyms."""

from __future__ import annotations

from pathlib import Path

import pytest
from e2e_support import judged_by, settings_for

from dingscan.client.endpoints import Host
from dingscan.emulator import Emulator, Tenant, load_tenant
from dingscan.engine import load_checks
from dingscan.evidence import Pseudonymiser, read_bundle
from dingscan.evidence.exchange import Exchange, RecordedRequest, RecordedResponse
from dingscan.findings import Finding, Status
from dingscan.inputs import JudgementInputs
from dingscan.policy import Policy
from dingscan.resources import packaged_path
from dingscan.scan import compare_with_recording, replay_bundle, scan_live

INPUTS = judged_by(Policy(corporate_domains=["example.hk"]))


def comparable(finding: Finding, mapping: dict[str, str] | None = None) -> dict[str, object]:
    """The finding with every original value replaced by its pseudonym (when a mapping is given);
    resources in id order, since pseudonyms sort differently from the ids they replace."""
    text = finding.model_dump_json()
    for original in sorted(mapping or {}, key=len, reverse=True):
        text = text.replace(original, (mapping or {})[original])
    dumped = Finding.model_validate_json(text).model_dump()
    dumped["resources"] = sorted(dumped["resources"], key=lambda r: (r["type"], r["id"]))
    return dumped


async def test_pseudonymised_replay_equals_original_up_to_pseudonyms(
    emulator: Emulator, tenant: Tenant, tmp_path: Path
) -> None:
    pseudonymiser = Pseudonymiser(b"test-key-0123456789")
    live = await scan_live(
        settings_for(emulator, tenant),
        inputs=INPUTS,
        checks=load_checks(),
        record_to=tmp_path / "b",
        pseudonymiser=pseudonymiser,
    )
    bundle = read_bundle(tmp_path / "b")
    assert bundle.manifest.pseudonymised
    replayed = await replay_bundle(bundle, inputs=INPUTS, checks=load_checks())
    assert compare_with_recording(bundle, replayed.document).result == "identical"
    for original, pseudo in zip(live.document.findings, replayed.document.findings, strict=True):
        assert pseudo.status is original.status, original.control_id
        assert comparable(pseudo) == comparable(original, pseudonymiser.mapping), original.control_id
    assert any(f.resources for f in replayed.document.findings), "the comparison must cover named resources"


async def test_pseudonymised_bundle_names_nobody(emulator: Emulator, tenant: Tenant, tmp_path: Path) -> None:
    await scan_live(
        settings_for(emulator, tenant),
        inputs=INPUTS,
        checks=load_checks(),
        record_to=tmp_path / "b",
        pseudonymiser=Pseudonymiser(),
    )
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "b").iterdir())
    for user in tenant.users:
        assert f'"{user.userid}"' not in text
        assert user.name not in text
        if user.mobile:
            assert user.mobile not in text
        for address in (user.email, user.org_email):
            if address:
                assert address not in text
                assert "@" + address.rpartition("@")[2] in text  # domains are kept for the domain checks


DEMO_TENANTS = packaged_path("fixtures/tenants")


async def test_pseudonymised_demo_keeps_every_verdict_and_names_nobody_anywhere(tmp_path: Path) -> None:
    """The demo's inputs name people too (break-glass accounts, a temporary grant, signatories,
    accepted risks): pseudonymised with the same key as the answers, every control keeps its live
    status and every exception its effect."""
    tenant = load_tenant(DEMO_TENANTS / "demo.yaml")
    inputs = JudgementInputs.load(
        DEMO_TENANTS / "demo-policy.yaml",
        DEMO_TENANTS / "demo-attestations.yaml",
        DEMO_TENANTS / "demo-exceptions.yaml",
    )
    with Emulator(tenant, qps=None) as emu:
        live = await scan_live(
            settings_for(emu, tenant),
            inputs=inputs,
            checks=load_checks(),
            record_to=tmp_path / "b",
            pseudonymiser=Pseudonymiser(),
        )
    bundle = read_bundle(tmp_path / "b")
    replayed = await replay_bundle(bundle, inputs=bundle.judged_against(), checks=load_checks())
    assert compare_with_recording(bundle, replayed.document).result == "identical"
    statuses = {f.control_id: f.status for f in live.document.findings}
    assert {f.control_id: f.status for f in replayed.document.findings} == statuses
    assert statuses["DT.PRV.7"] is Status.FAIL  # judged on the temporary-access register
    assert statuses["DT.EXT.3"] is Status.ACCEPTED  # the accepted partner org keeps its exception
    assert [e.state for e in replayed.document.exceptions] == [e.state for e in live.document.exceptions]

    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "b").iterdir())
    files = [file.text for file in (inputs.attestations_file, inputs.exceptions_file) if file]
    signatories = {line.split(":", 1)[1].split(",")[0].strip() for line in "\n".join(files).splitlines()
                   if line.strip().startswith(("attested_by:", "approved_by:", "owner:"))}  # fmt: skip
    assert signatories and not [s for s in signatories if s in text]
    for user in tenant.users:
        assert user.userid not in text
        assert user.name not in text
        if user.mobile:
            assert user.mobile not in text
        if user.job_number:
            assert user.job_number not in text
        for address in (user.email, user.org_email):
            if address:
                assert address.rpartition("@")[0] + "@" not in text
    org = tenant.org
    registration = (org.registration_num, org.unified_social_credit, org.organization_code, org.legal_person)
    assert not [value for value in registration if value and value in text]


def _user_list_answer(text: str) -> Exchange:
    return Exchange(
        seq=0,
        request=RecordedRequest(host=Host.OAPI, method="POST", path="/topapi/v2/user/list", query={}),
        response=RecordedResponse(status=200, content_type="application/json", text=text),
    )


@pytest.mark.parametrize("depth", [600, 5000])
def test_pseudonymiser_survives_hostile_nesting_and_never_keeps_what_it_cannot_read(depth: int) -> None:
    """600 levels of objects: walked, where a recursive walk needs twice the recursion limit;
    deeper than any JSON reader goes: withheld."""
    nested = '{"x": ' * depth + '{"userid": "bob", "name": "Bob"}' + "}" * depth
    answer = Pseudonymiser(b"k").exchange(_user_list_answer('{"userid": "alice", "x": ' + nested + "}"))
    assert answer.response is not None and answer.response.text is not None
    assert not {"alice", "bob", "Bob"} & set(answer.response.text.replace('"', " ").split())
