"""dingscan: security posture scanner for DingTalk (钉钉) tenants.

The public surface for embedding dingscan (a scheduler, a SOAR playbook, a notebook)::

    from dingscan import JudgementInputs, Settings, load_checks, scan_live
    result = asyncio.run(scan_live(Settings(), inputs=JudgementInputs.load(), checks=load_checks()))
    for finding in result.document.findings: ...

and for writing checks: :class:`Check`, :class:`RuleCheck`, :class:`AttestedCheck`.
"""

from dingscan.__version__ import __version__
from dingscan.attestations import Attestations
from dingscan.attested import AttestedCheck, RecurringTaskCheck
from dingscan.check import Check, CheckMetadata, Outcome, RuleCheck
from dingscan.engine import load_checks, run_checks
from dingscan.evidence import read_bundle
from dingscan.findings import Finding, FindingsDocument, Severity, Status
from dingscan.inputs import JudgementInputs
from dingscan.policy import Policy
from dingscan.scan import ScanResult, replay_bundle, scan_live
from dingscan.settings import Settings, load_settings
from dingscan.snapshot import SectionName, Snapshot

__all__ = [
    "Attestations",
    "AttestedCheck",
    "Check",
    "CheckMetadata",
    "Finding",
    "FindingsDocument",
    "JudgementInputs",
    "Outcome",
    "Policy",
    "RecurringTaskCheck",
    "RuleCheck",
    "ScanResult",
    "SectionName",
    "Settings",
    "Severity",
    "Snapshot",
    "Status",
    "__version__",
    "load_checks",
    "load_settings",
    "read_bundle",
    "replay_bundle",
    "run_checks",
    "scan_live",
]
