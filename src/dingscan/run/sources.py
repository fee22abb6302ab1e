"""What a run reads besides the tenant: recorded bundles, findings files, signing keys."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

from pydantic import ValidationError

from dingscan.errors import UsageError
from dingscan.evidence import Bundle, SigningError, read_bundle
from dingscan.evidence.bundle import SignatureCheck
from dingscan.findings import FindingsDocument


def signing_module() -> ModuleType:
    """The signing helpers; ``cryptography`` is an optional extra, imported only when needed."""
    try:
        from dingscan.evidence import signing
    except ImportError:
        raise SigningError(
            "signing needs the 'cryptography' package: pip install 'dingscan[signing]'"
        ) from None
    return signing


def signature_check(public_key: Path | None) -> SignatureCheck | None:
    """A check of a bundle's signature by the key in ``public_key`` (None: not required)."""
    if public_key is None:
        return None
    signing = signing_module()
    key = signing.load_public_key(public_key)
    return lambda data, signature: signing.signature_is_valid(key, data, signature)


def signer(private_key: Path | None) -> Callable[[bytes], bytes] | None:
    return signing_module().load_private_key(private_key).sign if private_key else None


def open_bundle(path: Path, public_key: Path | None = None, *, allow_unverified: bool = False) -> Bundle:
    return read_bundle(path, check_signature=signature_check(public_key), allow_unverified=allow_unverified)


def findings_document(text: str | bytes, origin: Path) -> FindingsDocument:
    """A findings document parsed from ``text``; anything else is one line naming ``origin``."""
    try:
        return FindingsDocument.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "document"
        raise UsageError(f"{origin}: not a dingscan findings document ({where}: {first['msg']})") from None


def report_document(source: Path, public_key: Path | None, *, allow_unverified: bool) -> FindingsDocument:
    """What ``report`` writes from: a findings file, or a bundle's recorded findings (named by
    the bundle and what its verification established)."""
    if not source.is_dir():
        return findings_document(source.read_bytes(), source)
    bundle = open_bundle(source, public_key, allow_unverified=allow_unverified)
    recorded = findings_document(bundle.findings_json, source / "findings.json")
    scan = recorded.scan.model_copy(update={"bundle": str(source), "bundle_integrity": bundle.integrity})
    return recorded.model_copy(update={"scan": scan})


def why_not_comparable(
    *, policy: Path | None, attestations: Path | None, exceptions: Path | None, checks: Sequence[Path]
) -> str | None:
    """Why a replay's findings cannot be compared with the recorded ones (None: they can)."""
    changed = [
        f"{what} ({option})"
        for what, option, given in (
            ("another policy", "--policy", policy),
            ("other attestations", "--attestations", attestations),
            ("other exceptions", "--exceptions", exceptions),
            ("extra checks", "--checks-dir", checks),
        )
        if given
    ]
    return f"judged with {' and '.join(changed)}" if changed else None


def findings_of(path: Path) -> FindingsDocument:
    """A findings document from a findings JSON file or a (verified) bundle folder."""
    if path.is_dir():
        return findings_document(read_bundle(path).findings_json, path / "findings.json")
    return findings_document(path.read_bytes(), path)
