"""Fixture bundles: a recorded scan an auditor can replay offline and check for tampering.

A bundle is a folder::

    manifest.json     format, tool version, recording time, tenant, SHA-256 of every other file
    exchanges.jsonl   every HTTP exchange, one per line, credentials removed
    policy.yaml       the baseline parameters the recorded scan was judged against
    attestations.yaml the attestation file it was judged against (when one was given)
    exceptions.yaml   the exceptions file (accepted risks) it was judged against (when one was given)
    findings.json     the recorded scan's findings, for comparison with a replay
    cached_days.json  the days' activity lists the scan took from its state instead of DingTalk
                      (when it took any), so a replay needs no state
    manifest.sig      optional Ed25519 signature of manifest.json (which pins every other file)

It is staged in a private temporary folder and renamed into place only when complete, so an
interrupted recording never leaves a bundle that looks whole.

Bundles also arrive from others, so reading one trusts nothing in it: the signature is checked
over the manifest before any other file is opened; the manifest may pin only the file names
above (no paths), must pin the ones a replay reads, and may not repeat a JSON key; each file must
be a regular file inside the folder (no symlink, device or FIFO) within its size limit, and is
read once, hashed and parsed from the same bytes. ``--allow-unverified`` forgives a file whose
hash or signature does not match, never a name, a kind of file or a size outside these rules.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import json
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, Self, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from dingscan.__version__ import __version__
from dingscan.activity import DAY_LISTS, DayList
from dingscan.evidence.errors import BundleError, UnsafeBundle
from dingscan.evidence.exchange import Exchange
from dingscan.findings import FindingsDocument
from dingscan.fsutil import atomic_directory, atomic_write_bytes
from dingscan.inputs import InputFile, JudgementInputs
from dingscan.jsontext import json_lines, line_safe
from dingscan.yamlfile import MAX_INPUT_BYTES

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
EXCHANGES = "exchanges.jsonl"
FINDINGS = "findings.json"
CACHED_DAYS = "cached_days.json"
INPUT_FILES = {"policy": "policy.yaml", "attestations": "attestations.yaml", "exceptions": "exceptions.yaml"}
FORMAT_VERSION = 1
MiB = 1024 * 1024
#: Every file a bundle may hold, with its size limit: nothing else is ever opened.
MAX_BYTES = {
    MANIFEST: 1 * MiB,
    SIGNATURE: 4096,
    EXCHANGES: 1024 * MiB,
    FINDINGS: 64 * MiB,
    CACHED_DAYS: 1024 * MiB,
    **dict.fromkeys(INPUT_FILES.values(), MAX_INPUT_BYTES),
}
#: What a manifest must pin: every file a replay reads.
REQUIRED_FILES = frozenset({EXCHANGES, FINDINGS, INPUT_FILES["policy"]})

T = TypeVar("T")
#: The integrity of a signed bundle verified without a public key: the files match a manifest
#: that anyone could have rewritten, so the callers warn about it.
UNCHECKED_SIGNATURE = "signed, but the signature was NOT verified (no public key given)"

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
    inputs: dict[str, str] = {}  # "policy"/"attestations"/"exceptions" -> where the file came from
    pseudonymised: bool = False

    @model_validator(mode="after")
    def _pins_known_files_only(self) -> Self:
        if unknown := sorted(set(self.files) - set(MAX_BYTES) - {MANIFEST, SIGNATURE}):
            raise ValueError(f"names a file a bundle does not hold: {unknown[0]!r}")
        if unknown_inputs := sorted(set(self.inputs) - set(INPUT_FILES)):
            raise ValueError(f"names an unknown input {unknown_inputs[0]!r}")
        pinned = REQUIRED_FILES | {INPUT_FILES[name] for name in self.inputs}
        if unpinned := sorted(pinned - set(self.files)):
            raise ValueError(f"does not pin {unpinned[0]} (every file a replay reads must be pinned)")
        return self


@dataclass(frozen=True)
class Bundle:
    path: Path
    manifest: Manifest
    exchanges: list[Exchange]
    inputs: dict[str, InputFile]
    findings_json: str
    integrity: str  # what verification established, shown in the replay's findings
    recorded: FindingsDocument  # findings_json, parsed
    cached_days: list[DayList]  # taken from the state by the recorded scan, not in exchanges

    def judged_against(self) -> JudgementInputs:
        """The policy, attestations and exceptions the recorded scan was judged against."""
        return JudgementInputs.from_texts(
            self.inputs["policy"], self.inputs.get("attestations"), self.inputs.get("exceptions")
        )


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
    cached_days: Sequence[DayList] = (),
    pseudonymised: bool = False,
    sign: Callable[[bytes], bytes] | None = None,
) -> Manifest:
    exchange_lines = "".join(
        line_safe(e.model_dump_json()) + "\n" for e in sorted(exchanges, key=lambda e: e.seq)
    )
    files = {EXCHANGES: exchange_lines.encode(), FINDINGS: line_safe(findings_json).encode()}
    if cached_days:
        days = DAY_LISTS.dump_json(sorted(cached_days, key=lambda d: d.day), indent=2).decode()
        files[CACHED_DAYS] = line_safe(days).encode()
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
    manifest_bytes = line_safe(manifest.model_dump_json(indent=2)).encode()
    with atomic_directory(path) as staging:
        for name, data in files.items():
            atomic_write_bytes(staging / name, data)
        atomic_write_bytes(staging / MANIFEST, manifest_bytes)
        if sign is not None:
            atomic_write_bytes(staging / SIGNATURE, base64.b64encode(sign(manifest_bytes)) + b"\n")
    return manifest


def verify_bundle(path: Path, check_signature: SignatureCheck | None = None) -> tuple[Manifest, str]:
    """The manifest and what was established, after checking the signature (given a checker)
    and every file against its SHA-256; the first mismatch raises :class:`BundleError`."""
    manifest, _, integrity = _open(path, check_signature)
    if integrity.startswith("UNVERIFIED: "):
        raise BundleError(integrity.removeprefix("UNVERIFIED: "))
    return manifest, integrity


def read_bundle(
    path: Path, *, check_signature: SignatureCheck | None = None, allow_unverified: bool = False
) -> Bundle:
    """A verified bundle; with ``allow_unverified``, a failed verification is recorded, not fatal
    (an unsafe bundle, :class:`UnsafeBundle`, is refused regardless)."""
    manifest, files, integrity = _open(path, check_signature)
    if integrity.startswith("UNVERIFIED: ") and not allow_unverified:
        raise BundleError(
            f"{integrity.removeprefix('UNVERIFIED: ')} (use --allow-unverified to replay it anyway)"
        )
    exchanges = _parse(path, files, EXCHANGES, _exchanges)
    inputs = {
        name: InputFile(source, _parse(path, files, INPUT_FILES[name], str))
        for name, source in manifest.inputs.items()
    }
    findings_json = _parse(path, files, FINDINGS, str)
    recorded = _parse(path, files, FINDINGS, lambda text: FindingsDocument.model_validate(_strict_json(text)))
    cached_days = (
        _parse(path, files, CACHED_DAYS, lambda text: DAY_LISTS.validate_python(_strict_json(text)))
        if CACHED_DAYS in manifest.files
        else []
    )
    if "policy" not in inputs:
        raise BundleError(f"{path}: the manifest names no policy file")
    return Bundle(path, manifest, exchanges, inputs, findings_json, integrity, recorded, cached_days)


def _open(path: Path, check_signature: SignatureCheck | None) -> tuple[Manifest, dict[str, bytes], str]:
    """The manifest, the files it pins that could be read, and what verification established
    (``UNVERIFIED: <first problem>`` when a file or the signature does not match)."""
    if not path.exists():  # not a bundle at all: --allow-unverified could not help
        raise BundleError(f"{path}: no such folder")
    if not path.is_dir():
        raise BundleError(f"{path}: not a folder (a bundle is a folder with a {MANIFEST})")
    try:
        manifest_bytes = _read(path, MANIFEST)
    except FileNotFoundError:
        raise BundleError(
            f"{path}: no {MANIFEST} (not a dingscan bundle, or an interrupted recording)"
        ) from None
    try:
        manifest = Manifest.model_validate(_strict_json(manifest_bytes))
    except (ValueError, RecursionError) as exc:  # ValidationError is a ValueError
        raise UnsafeBundle(f"{path}: {MANIFEST} is not a valid manifest: {_describe(exc)}") from None
    problems = [] if check_signature is None else _signature_problems(path, manifest_bytes, check_signature)
    files: dict[str, bytes] = {}
    for name, expected in sorted(manifest.files.items()):  # only after the signature is known
        try:
            files[name] = _read(path, name)
        except FileNotFoundError:
            problems.append(f"{path}: {name} is missing")
            continue
        if sha256(files[name]) != expected:
            problems.append(
                f"{path}: {name} does not match its SHA-256 in the manifest (modified or truncated)"
            )
    if problems:
        return manifest, files, f"UNVERIFIED: {problems[0]}"
    if check_signature is not None:
        return manifest, files, "verified: every file matches the manifest; Ed25519 signature valid"
    try:
        _read(path, SIGNATURE)
        signed = UNCHECKED_SIGNATURE
    except FileNotFoundError:
        signed = "unsigned"
    return manifest, files, f"verified: every file matches the manifest; {signed}"


def _signature_problems(path: Path, manifest_bytes: bytes, check_signature: SignatureCheck) -> list[str]:
    try:
        encoded = _read(path, SIGNATURE)
    except FileNotFoundError:
        return [f"{path}: not signed (no {SIGNATURE}), but a signature was required"]
    try:
        signature = base64.b64decode(encoded.strip(), validate=True)
    except ValueError:
        return [f"{path}: {SIGNATURE} is not a base64 signature"]
    if not check_signature(manifest_bytes, signature):
        return [f"{path}: the manifest signature does not verify with the given public key"]
    return []


def _read(folder: Path, name: str) -> bytes:
    """A bundle file's bytes: a regular file directly in ``folder``, within its size limit.

    Opened without following a symlink and without blocking on a FIFO, then checked on the open
    descriptor, so nothing can be swapped in between; :class:`FileNotFoundError` when absent.
    """
    limit = MAX_BYTES.get(name)
    if limit is None or Path(name).name != name:  # the manifest's model already refuses these
        raise UnsafeBundle(f"{folder}: {name!r} is not a bundle file name")
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(folder / name, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeBundle(
                f"{folder}: {name} is a symbolic link; a bundle holds only regular files"
            ) from None
        if isinstance(exc, FileNotFoundError):
            raise
        raise BundleError(f"{folder}: {name}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeBundle(f"{folder}: {name} is not a regular file (a device, FIFO or folder)")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnsafeBundle(f"{folder}: {name} is larger than its limit of {limit:,} bytes")
    return data


def _parse(path: Path, files: dict[str, bytes], name: str, parse: Callable[[str], T]) -> T:
    """A bundle file read by ``parse``; anything unreadable in it is one line naming the file."""
    if name not in files:
        raise BundleError(f"{path}: {name} is missing")
    try:
        return parse(files[name].decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # ValidationError, UnicodeDecodeError are ValueErrors
        raise BundleError(f"{path}: {name} is unreadable: {_describe(exc)}") from None


def _exchanges(text: str) -> list[Exchange]:
    return [Exchange.model_validate(_strict_json(line)) for line in json_lines(text)]


def _strict_json(text: str | bytes) -> Any:
    """JSON that may not repeat a key in an object (which of two values counts is undefined)."""
    return json.loads(text, object_pairs_hook=_unique_keys)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, value in pairs:
        if key in fields:
            raise ValueError(f"duplicate JSON key {key!r}")
        fields[key] = value
    return fields


def _describe(error: Exception) -> str:
    """One line: a validation error's first problem and where, else the message's first line."""
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}".lstrip(": ").removeprefix("Value error, ")
    lines = str(error).splitlines()
    return lines[0] if lines else type(error).__name__
