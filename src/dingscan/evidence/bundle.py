"""Fixture bundles: a recorded scan an auditor can replay offline and check for tampering.

A bundle is a folder::

    manifest.json     format, tool version, recording time, tenant, SHA-256 of every other file
    exchanges.jsonl   every HTTP exchange, one per line, credentials removed
    policy.yaml       the baseline parameters the recorded scan was judged against
    attestations.yaml the attestation file it was judged against (when one was given)
    findings.json     the recorded scan's findings, for comparison with a replay
    manifest.sig      optional Ed25519 signature of manifest.json (which pins every other file)

It is staged in a private temporary folder and renamed into place only when complete, so an
interrupted recording never leaves a bundle that looks whole.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from dingscan import __version__
from dingscan.evidence.errors import BundleError
from dingscan.evidence.exchange import Exchange
from dingscan.fsutil import atomic_directory, atomic_write_bytes
from dingscan.inputs import InputFile, JudgementInputs

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
EXCHANGES = "exchanges.jsonl"
FINDINGS = "findings.json"
INPUT_FILES = {"policy": "policy.yaml", "attestations": "attestations.yaml"}
FORMAT_VERSION = 1

#: (manifest bytes, signature) -> valid?  Supplied by the signing module when a key is given.
SignatureCheck = Callable[[bytes, bytes], bool]


class Manifest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["dingscan-bundle"] = "dingscan-bundle"
    format_version: int = FORMAT_VERSION
    tool_version: str = __version__
    recorded_at: datetime
    corp_id: str | None
    org_name: str | None
    exchanges: int
    files: dict[str, str]  # file name -> SHA-256 hex
    inputs: dict[str, str] = {}  # "policy"/"attestations" -> where the file came from when recorded
    pseudonymised: bool = False


@dataclass(frozen=True)
class Bundle:
    path: Path
    manifest: Manifest
    exchanges: list[Exchange]
    inputs: dict[str, InputFile]
    findings_json: str
    integrity: str  # what verification established, shown in the replay's findings

    def judged_against(self) -> JudgementInputs:
        """The policy and attestations the recorded scan was judged against."""
        return JudgementInputs.from_texts(self.inputs["policy"], self.inputs.get("attestations"))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_bundle(
    path: Path,
    *,
    exchanges: list[Exchange],
    recorded_at: datetime,
    corp_id: str | None,
    org_name: str | None,
    inputs: dict[str, InputFile],
    findings_json: str,
    pseudonymised: bool = False,
    sign: Callable[[bytes], bytes] | None = None,
) -> Manifest:
    exchange_lines = "".join(e.model_dump_json() + "\n" for e in sorted(exchanges, key=lambda e: e.seq))
    files = {EXCHANGES: exchange_lines.encode(), FINDINGS: findings_json.encode()}
    files |= {INPUT_FILES[name]: file.text.encode() for name, file in inputs.items()}
    manifest = Manifest(
        recorded_at=recorded_at,
        corp_id=corp_id,
        org_name=org_name,
        exchanges=len(exchanges),
        files={name: sha256(data) for name, data in files.items()},
        inputs={name: file.source for name, file in inputs.items()},
        pseudonymised=pseudonymised,
    )
    manifest_bytes = manifest.model_dump_json(indent=2).encode()
    with atomic_directory(path) as staging:
        for name, data in files.items():
            atomic_write_bytes(staging / name, data)
        atomic_write_bytes(staging / MANIFEST, manifest_bytes)
        if sign is not None:
            atomic_write_bytes(staging / SIGNATURE, base64.b64encode(sign(manifest_bytes)) + b"\n")
    return manifest


def verify_bundle(path: Path, check_signature: SignatureCheck | None = None) -> tuple[Manifest, str]:
    """The manifest and what was established, after checking every file against its SHA-256
    (and the signature, given a checker); the first mismatch raises :class:`BundleError`."""
    manifest = _read_manifest(path)
    for name, expected in sorted(manifest.files.items()):
        try:
            actual = sha256((path / name).read_bytes())
        except FileNotFoundError:
            raise BundleError(f"{path}: {name} is missing") from None
        if actual != expected:
            raise BundleError(
                f"{path}: {name} does not match its SHA-256 in the manifest (modified or truncated)"
            )
    signature_file = path / SIGNATURE
    if check_signature is None:
        signed = (
            "signed, signature not checked (no public key given)" if signature_file.exists() else "unsigned"
        )
        return manifest, f"verified: every file matches the manifest; {signed}"
    if not signature_file.exists():
        raise BundleError(f"{path}: not signed (no {SIGNATURE}), but a signature was required")
    try:
        signature = base64.b64decode(signature_file.read_bytes().strip(), validate=True)
    except ValueError:
        raise BundleError(f"{path}: {SIGNATURE} is not a base64 signature") from None
    if not check_signature((path / MANIFEST).read_bytes(), signature):
        raise BundleError(f"{path}: the manifest signature does not verify with the given public key")
    return manifest, "verified: every file matches the manifest; Ed25519 signature valid"


def read_bundle(
    path: Path, *, check_signature: SignatureCheck | None = None, allow_unverified: bool = False
) -> Bundle:
    """A verified bundle; with ``allow_unverified``, a failed verification is recorded, not fatal."""
    try:
        manifest, integrity = verify_bundle(path, check_signature)
    except BundleError as error:
        if not allow_unverified:
            raise BundleError(f"{error} (use --allow-unverified to replay it anyway)") from None
        manifest, integrity = _read_manifest(path), f"UNVERIFIED: {error}"
    try:
        lines = (path / EXCHANGES).read_text(encoding="utf-8").splitlines()
        exchanges = [Exchange.model_validate_json(line) for line in lines if line.strip()]
        inputs = {
            name: InputFile(source, (path / INPUT_FILES[name]).read_text(encoding="utf-8"))
            for name, source in manifest.inputs.items()
            if name in INPUT_FILES
        }
        findings_json = (path / FINDINGS).read_text(encoding="utf-8")
    except (ValidationError, UnicodeDecodeError, OSError) as exc:
        raise BundleError(f"{path}: unreadable bundle file: {str(exc).splitlines()[0]}") from None
    if "policy" not in inputs:
        raise BundleError(f"{path}: the manifest names no policy file")
    return Bundle(path, manifest, exchanges, inputs, findings_json, integrity)


def _read_manifest(path: Path) -> Manifest:
    if not path.is_dir():
        raise BundleError(f"{path}: not a bundle folder")
    try:
        return Manifest.model_validate(json.loads((path / MANIFEST).read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise BundleError(
            f"{path}: no {MANIFEST} (not a dingscan bundle, or an interrupted recording)"
        ) from None
    except (ValueError, ValidationError) as exc:
        raise BundleError(f"{path}: {MANIFEST} is not a valid manifest: {str(exc).splitlines()[0]}") from None
