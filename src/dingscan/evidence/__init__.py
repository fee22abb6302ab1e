"""Evidence: recording scans into fixture bundles, verifying them, replaying them offline."""

from dingscan.evidence.bundle import Bundle, Manifest, read_bundle, verify_bundle, write_bundle
from dingscan.evidence.errors import BundleError, SigningError
from dingscan.evidence.pseudonymise import Pseudonymiser
from dingscan.evidence.recorder import RecordingTransport
from dingscan.evidence.replay import ReplayTransport

__all__ = [
    "Bundle",
    "BundleError",
    "Manifest",
    "Pseudonymiser",
    "RecordingTransport",
    "ReplayTransport",
    "SigningError",
    "read_bundle",
    "verify_bundle",
    "write_bundle",
]
