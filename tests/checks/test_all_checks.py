"""Properties every check in the built-in pack must have, whoever wrote it."""

from __future__ import annotations

import pytest

from dingscan.check import Check
from dingscan.engine import load_checks, run_check
from dingscan.findings import Status
from dingscan.frameworks import references_for
from dingscan.policy import Policy
from factories import builtin_check, evaluate, failed, only_required, snapshot

CHECKS = load_checks(plugins=False)
IDS = [c.metadata.control_id for c in CHECKS]


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_metadata_is_complete(check: Check) -> None:
    meta = check.metadata
    assert meta.title and meta.rationale and meta.remediation and meta.evidence
    references = references_for(meta.control_id)
    assert references["pdpo"], "every control maps to a PDPO data protection principle"
    assert references["iso27001"] and references["cis_v8"]
    assert check.requires, "a check must declare the sections it reads"


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_declared_sections_are_enough_to_evaluate(check: Check) -> None:
    finding = run_check(check, only_required(check), Policy(corporate_domains=["example.hk"]))
    assert finding.status is not Status.ERROR, finding.message


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_nothing_collected_is_never_a_pass(check: Check) -> None:
    finding = run_check(check, snapshot(), Policy(corporate_domains=["example.hk"]))
    assert finding.status is Status.ERROR
    assert "not collected" in finding.message


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_a_failed_section_reports_the_collectors_reason(check: Check) -> None:
    reason = "app lacks permission some_point for /topapi/x (error 60011)"
    sections = {name.value: failed(reason) for name in check.requires}
    finding = run_check(check, snapshot(**sections), Policy(corporate_domains=["example.hk"]))
    assert finding.status is Status.ERROR
    assert reason in finding.message


def test_control_ids_are_unique_and_follow_the_catalogue_shape() -> None:
    assert len(IDS) == len(set(IDS))
    assert all(i.startswith("DT.") for i in IDS)


def test_builtin_lookup_matches_loaded_pack() -> None:
    assert builtin_check(IDS[0]).metadata.control_id == IDS[0]
    assert evaluate(IDS[0], snapshot()).status is Status.ERROR
