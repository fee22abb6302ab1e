"""Bundles an auditor can trust: verification, signatures, refusal of tampered bundles."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from e2e_support import judged_by, settings_for

from dingscan.cli import main
from dingscan.emulator import Emulator, Tenant
from dingscan.engine import load_checks
from dingscan.evidence.signing import generate_key_pair, load_private_key
from dingscan.exitcodes import ExitCode
from dingscan.policy import Policy
from dingscan.scan import scan_live

INPUTS = judged_by(Policy(corporate_domains=["example.hk"]))


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    return generate_key_pair(tmp_path)


@pytest.fixture
async def signed_bundle(emulator: Emulator, tenant: Tenant, tmp_path: Path, keys: tuple[Path, Path]) -> Path:
    sign = load_private_key(keys[0]).sign
    bundle = tmp_path / "signed"
    await scan_live(
        settings_for(emulator, tenant), inputs=INPUTS, checks=load_checks(), record_to=bundle, sign=sign
    )
    return bundle


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_private_key_is_owner_only(keys: tuple[Path, Path]) -> None:
    assert stat.S_IMODE(keys[0].stat().st_mode) == 0o600


def test_signed_bundle_verifies_with_the_public_key(
    signed_bundle: Path, keys: tuple[Path, Path], capsys
) -> None:  # type: ignore[no-untyped-def]
    assert main(["verify", str(signed_bundle), "--public-key", str(keys[1])]) == ExitCode.OK
    assert "Ed25519 signature valid" in capsys.readouterr().out


def test_signature_by_another_key_is_rejected(signed_bundle: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other"
    other.mkdir()
    _, other_public = generate_key_pair(other)
    assert main(["verify", str(signed_bundle), "--public-key", str(other_public)]) == ExitCode.USAGE
    assert "signature does not verify" in one_line(capsys.readouterr().err)


def test_tampered_bundle_is_refused_then_replayed_only_when_forced(signed_bundle: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    exchanges = signed_bundle / "exchanges.jsonl"
    exchanges.chmod(0o600)
    exchanges.write_text(exchanges.read_text().replace("listadmin", "listadmim"))  # one letter
    assert main(["verify", str(signed_bundle)]) == ExitCode.USAGE
    assert "exchanges.jsonl does not match its SHA-256" in one_line(capsys.readouterr().err)
    assert main(["replay", str(signed_bundle)]) == ExitCode.USAGE
    assert "--allow-unverified" in one_line(capsys.readouterr().err)
    code = main(["replay", str(signed_bundle), "--allow-unverified", "--json"])
    captured = capsys.readouterr()
    scan = json.loads(captured.out)["scan"]
    assert scan["bundle_integrity"].startswith("UNVERIFIED: ")
    assert "warning: UNVERIFIED" in captured.err
    # The listadmin answer is no longer found: the verdict, the JSON and the exit code say so.
    assert code == ExitCode.REPLAY_DIFFERENT
    assert scan["replay"]["result"] == "different" and "DT.PRV.1" in scan["replay"]["differing_controls"]
    assert "findings DIFFERENT from the recorded scan (" in captured.err


def test_verify_without_a_public_key_warns_that_the_signature_was_not_checked(
    signed_bundle: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    assert main(["verify", str(signed_bundle)]) == ExitCode.OK
    captured = capsys.readouterr()
    assert "signature was NOT verified" in captured.out
    warning = one_line(captured.err)
    assert (
        warning.startswith("dingscan: warning: ")
        and f"dingscan verify {signed_bundle} --public-key" in warning
    )


def test_a_replay_judged_against_other_inputs_says_why_it_was_not_compared(
    signed_bundle: Path, keys: tuple[Path, Path], tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    policy = tmp_path / "other-policy.yaml"
    policy.write_text("admins:\n  primary_max: 10\n")
    main(["replay", str(signed_bundle), "--public-key", str(keys[1]), "--policy", str(policy)])
    out = capsys.readouterr().out
    assert (
        "replay: findings not compared with the recorded scan: judged with another policy (--policy)" in out
    )
    assert "bundle: verified: every file matches the manifest; Ed25519 signature valid" in out
    main(["replay", str(signed_bundle), "--public-key", str(keys[1]), "--policy", str(policy), "--json"])
    verdict = json.loads(capsys.readouterr().out)["scan"]["replay"]
    assert verdict == {
        "result": "not_compared",
        "differing_controls": [],
        "reason": "judged with another policy (--policy)",
    }


def test_replay_of_an_intact_bundle_records_its_verification(
    signed_bundle: Path, keys: tuple[Path, Path], capsys
) -> None:  # type: ignore[no-untyped-def]
    main(["replay", str(signed_bundle), "--public-key", str(keys[1]), "--json"])
    document = json.loads(capsys.readouterr().out)
    assert document["scan"]["bundle_integrity"].endswith("Ed25519 signature valid")


def test_unsigned_bundle_fails_when_a_signature_is_required(
    emulator: Emulator, tenant: Tenant, tmp_path: Path, keys: tuple[Path, Path], capsys
) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    bundle = tmp_path / "unsigned"
    asyncio.run(
        scan_live(settings_for(emulator, tenant), inputs=INPUTS, checks=load_checks(), record_to=bundle)
    )
    assert main(["verify", str(bundle), "--public-key", str(keys[1])]) == ExitCode.USAGE
    assert "not signed" in one_line(capsys.readouterr().err)


def test_findings_output_is_owner_only(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "findings.json"
    main(["demo", "--output", str(out)])
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
