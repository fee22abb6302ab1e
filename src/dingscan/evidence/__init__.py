"""Evidence: recording scans into fixture bundles, verifying them, replaying them offline."""

from dingscan.evidence.bundle import (
    Bundle,
    BundleError,
    Manifest,
    read_bundle,
    verify_bundle,
    write_bundle,
)
from dingscan.evidence.recorder import RecordingTransport
from dingscan.evidence.replay import ReplayTransport

__all__ = [
    "Bundle",
    "BundleError",
    "Manifest",
    "RecordingTransport",
    "ReplayTransport",
    "read_bundle",
    "verify_bundle",
    "write_bundle",
]
