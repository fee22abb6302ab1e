from dingscan.findings import Status
from dingscan.snapshot import ExternalGroup, Section
from factories import attestations, attested, evaluate, failed, not_applicable, snapshot

RESTRICTED = attestations(external_groups_restricted=attested(answer=True, details="auto-join off"))


def test_attested_restriction_passes_with_audited_groups_as_evidence() -> None:
    groups = [ExternalGroup(group_id="cid2"), ExternalGroup(group_id="cid1")]
    finding = evaluate("DT.EXT.1", snapshot(attestations=RESTRICTED, external_groups=groups))
    assert finding.status is Status.PASS
    assert finding.evidence["external_groups_under_audit"] == 2
    assert finding.evidence["external_group_ids"] == ["cid1", "cid2"]
    assert finding.evidence["attested_by"] == "Jane Chan, IT Security"


def test_external_groups_are_optional_evidence() -> None:
    off_edition = not_applicable("exclusive/audits/outsideGroups needs 专属钉钉")
    finding = evaluate("DT.EXT.1", snapshot(attestations=RESTRICTED, external_groups=off_edition))
    assert finding.status is Status.PASS
    assert (
        finding.evidence["external_groups"] == "not collected: exclusive/audits/outsideGroups needs 专属钉钉"
    )
    assert evaluate("DT.EXT.1", snapshot(attestations=RESTRICTED)).status is Status.PASS


def test_partial_external_groups_are_marked_incomplete_but_do_not_block_the_pass() -> None:
    partial = Section.partial([ExternalGroup(group_id="cid1")], "page 3 failed")
    finding = evaluate("DT.EXT.1", snapshot(attestations=RESTRICTED, external_groups=partial))
    assert finding.status is Status.PASS
    assert finding.evidence["external_groups_incomplete"] == "page 3 failed"


def test_attested_not_restricted_fails() -> None:
    open_groups = attestations(external_groups_restricted=attested(answer=False))
    assert evaluate("DT.EXT.1", snapshot(attestations=open_groups)).status is Status.FAIL


def test_missing_statement_is_manual_and_still_shows_the_groups() -> None:
    groups = [ExternalGroup(group_id="cid1")]
    finding = evaluate("DT.EXT.1", snapshot(attestations=attestations(), external_groups=groups))
    assert finding.status is Status.MANUAL
    assert finding.evidence["external_group_ids"] == ["cid1"]


def test_attestations_not_loaded_is_error() -> None:
    assert (
        evaluate("DT.EXT.1", snapshot(attestations=failed("no attestation file given"))).status
        is Status.ERROR
    )
