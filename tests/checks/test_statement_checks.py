"""Every control proven by a yes/no attestation statement, judged the same way.

The controls that use :class:`AttestedCheck`'s default judgement (DT.DAT.2, DT.DAT.3, DT.GOV.2,
DT.GOV.3, DT.GOV.6, and any added later) are found by introspection, so a new one is tested
without a new test file: attested yes passes with the evidence shown, attested no fails, missing
and expired statements are MANUAL, an attestation file that was not loaded is ERROR.
"""

from __future__ import annotations

import pytest

from dingscan.attestations import Attestations, Statement
from dingscan.attested import AttestedCheck
from dingscan.engine import load_checks
from dingscan.findings import Status
from factories import attestations, attested, evaluate, failed, snapshot

STATEMENT_CHECKS = [
    check
    for check in load_checks(plugins=False)
    if isinstance(check, AttestedCheck)
    and type(check).evaluate is AttestedCheck.evaluate
    and type(check).judge is AttestedCheck.judge
]
IDS = [c.metadata.control_id for c in STATEMENT_CHECKS]


def test_the_yes_no_controls_are_found() -> None:
    assert {"DT.DAT.2", "DT.DAT.3", "DT.GOV.2", "DT.GOV.3", "DT.GOV.6"} <= set(IDS)
    for check in STATEMENT_CHECKS:
        annotation = Attestations.model_fields[check.attestation].annotation
        assert Statement in getattr(annotation, "__args__", ()), check.attestation


@pytest.mark.parametrize("check", STATEMENT_CHECKS, ids=IDS)
def test_attested_yes_passes_showing_who_and_the_evidence(check: AttestedCheck) -> None:
    statement = attested(answer=True, details="document HF-42, effective 2026-03-01")
    finding = evaluate(
        check.metadata.control_id, snapshot(attestations=attestations(**{check.attestation: statement}))
    )
    assert finding.status is Status.PASS
    assert (
        "attested by Jane Chan, IT Security on 2026-10-25" in finding.message and "HF-42" in finding.message
    )
    assert finding.evidence["evidence"] == "ISMS-042" and finding.evidence["valid_until"] == "2027-10-25"


@pytest.mark.parametrize("check", STATEMENT_CHECKS, ids=IDS)
def test_attested_no_fails(check: AttestedCheck) -> None:
    snap = snapshot(attestations=attestations(**{check.attestation: attested(answer=False)}))
    finding = evaluate(check.metadata.control_id, snap)
    assert finding.status is Status.FAIL and "NOT in place" in finding.message


@pytest.mark.parametrize("check", STATEMENT_CHECKS, ids=IDS)
def test_missing_statement_is_manual(check: AttestedCheck) -> None:
    finding = evaluate(check.metadata.control_id, snapshot(attestations=attestations()))
    assert finding.status is Status.MANUAL and f"'{check.attestation}'" in finding.message


@pytest.mark.parametrize("check", STATEMENT_CHECKS, ids=IDS)
def test_expired_statement_is_manual(check: AttestedCheck) -> None:
    statement = attested(answer=True, attested_on="2025-10-01")
    finding = evaluate(
        check.metadata.control_id, snapshot(attestations=attestations(**{check.attestation: statement}))
    )
    assert finding.status is Status.MANUAL and "expired on 2026-10-01" in finding.message


@pytest.mark.parametrize("check", STATEMENT_CHECKS, ids=IDS)
def test_attestation_file_not_loaded_is_error(check: AttestedCheck) -> None:
    finding = evaluate(check.metadata.control_id, snapshot(attestations=failed("no attestation file")))
    assert finding.status is Status.ERROR


@pytest.mark.parametrize("check", STATEMENT_CHECKS, ids=IDS)
def test_an_explicit_expiry_date_wins_over_the_default_validity(check: AttestedCheck) -> None:
    statement = attested(answer=True, expires_on="2026-11-01")
    finding = evaluate(
        check.metadata.control_id, snapshot(attestations=attestations(**{check.attestation: statement}))
    )
    assert finding.status is Status.MANUAL and "expired on 2026-11-01" in finding.message
