"""Fixture bundles: a recorded scan an auditor can replay offline and check for tampering.

A bundle is a folder::

    manifest.json     format, tool version, recording time, tenant, SHA-256 of every other file
    exchanges.jsonl   every HTTP exchange, one per line, credentials removed
    policy.yaml       the baseline parameters the recorded scan was judged against
    attestations.yaml the attestation file it was judged against (when one was given)
    findings.json     the recorded scan's findings, for comparison with a replay

It is staged in a private temporary folder and renamed into place only when complete, so an
interrupted recording never leaves a bundle that looks whole.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from dingscan import __version__
from dingscan.evidence.exchange import Exchange
from dingscan.fsutil import atomic_directory, atomic_write_bytes
from dingscan.inputs import InputFile, JudgementInputs

MANIFEST = "manifest.json"
EXCHANGES = "exchanges.jsonl"
FINDINGS = "findings.json"
INPUT_FILES = {"policy": "policy.yaml", "attestations": "attestations.yaml"}
FORMAT_VERSION = 1


class BundleError(ValueError):
    """A bundle that cannot be replayed as it is; one line saying why."""


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


@dataclass(frozen=True)
class Bundle:
    path: Path
    manifest: Manifest
    exchanges: list[Exchange]
    inputs: dict[str, InputFile]
    findings_json: str

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
    )
    with atomic_directory(path) as staging:
        for name, data in files.items():
            atomic_write_bytes(staging / name, data)
        atomic_write_bytes(staging / MANIFEST, manifest.model_dump_json(indent=2).encode())
    return manifest


def verify_bundle(path: Path) -> Manifest:
    """The manifest, after checking every file against its SHA-256; the first mismatch raises."""
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
    return manifest


def read_bundle(path: Path) -> Bundle:
    manifest = verify_bundle(path)
    try:
        lines = (path / EXCHANGES).read_text(encoding="utf-8").splitlines()
        exchanges = [Exchange.model_validate_json(line) for line in lines if line.strip()]
    except (ValidationError, UnicodeDecodeError) as exc:
        raise BundleError(
            f"{path}: {EXCHANGES} is not a list of exchanges: {str(exc).splitlines()[0]}"
        ) from None
    inputs = {
        name: InputFile(source, (path / INPUT_FILES[name]).read_text(encoding="utf-8"))
        for name, source in manifest.inputs.items()
        if name in INPUT_FILES
    }
    if "policy" not in inputs:
        raise BundleError(f"{path}: the manifest names no policy file")
    return Bundle(
        path=path,
        manifest=manifest,
        exchanges=exchanges,
        inputs=inputs,
        findings_json=(path / FINDINGS).read_text(encoding="utf-8"),
    )


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
