"""Pseudonymised bundles: nobody named, yet replay gives the same findings up to the pseudonyms."""

from __future__ import annotations

from pathlib import Path

from conftest import judged_by, settings_for

from dingscan.emulator import Emulator, Tenant
from dingscan.engine import load_checks
from dingscan.evidence import Pseudonymiser, read_bundle
from dingscan.findings import Finding
from dingscan.policy import Policy
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
    assert compare_with_recording(bundle, replayed.document) == []
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
