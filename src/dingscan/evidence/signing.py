"""Ed25519 signatures over a bundle's manifest, so an auditor can prove where a bundle came from.

The manifest already pins every file by SHA-256; signing the manifest therefore signs the whole
bundle. Keys are PEM files (the private key owner-only). ``cryptography`` is an optional extra
(``pip install 'dingscan[signing]'``): import this module through :func:`signing_module`, which
turns its absence into a one-line error.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from dingscan.evidence.errors import SigningError
from dingscan.fsutil import atomic_write_bytes


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise SigningError(f"{path}: not a readable unencrypted PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(f"{path}: not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError, TypeError) as exc:
        raise SigningError(f"{path}: not a readable PEM public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningError(f"{path}: not an Ed25519 public key")
    return key


def signature_is_valid(key: Ed25519PublicKey, data: bytes, signature: bytes) -> bool:
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def generate_key_pair(directory: Path) -> tuple[Path, Path]:
    """A new key pair: ``signing-key.pem`` (owner-only) and ``signing-key.pub.pem`` to share."""
    private_path, public_path = directory / "signing-key.pem", directory / "signing-key.pub.pem"
    if private_path.exists() or public_path.exists():
        raise FileExistsError(f"{private_path} or {public_path} already exists; not overwriting")
    key = Ed25519PrivateKey.generate()
    pem, pkcs8 = serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8
    atomic_write_bytes(private_path, key.private_bytes(pem, pkcs8, serialization.NoEncryption()))
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    atomic_write_bytes(public_path, key.public_key().public_bytes(pem, spki))
    return private_path, public_path
