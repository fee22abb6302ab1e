"""Accepted risks: what an exception covers, what it never hides, and how the exit code follows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from demo_document import with_findings
from pydantic import ValidationError

from dingscan.exitcodes import ExitCode, exit_code_for
from dingscan.findings import Finding, Resource, Severity, Status
from dingscan.risks import Exceptions, ExceptionsError, apply_exceptions

TODAY = date(2026, 11, 25)


def finding(control_id: str, status: Status, *ids: str) -> Finding:
    return Finding(
        uid=control_id,
        control_id=control_id,
        title="t",
        severity=Severity.HIGH,
        status=status,
        message="m",
        evidence_source="e",
        resources=[Resource(type="user", id=i, detail="d") for i in ids],
        remediation="r",
        references={},
    )


def exceptions(*entries: dict[str, object]) -> Exceptions:
    base = {"reason": "known", "owner": "Owner", "approved_by": "CISO", "reference": "RISK-1"}
    return Exceptions.model_validate(
        {
            "exceptions": [
                base | {"id": f"E{n}", "expires_on": "2027-01-31"} | e for n, e in enumerate(entries)
            ]
        }
    )


def judge(findings: list[Finding], *entries: dict[str, object]) -> tuple[dict[str, Finding], dict[str, str]]:
    judged, outcomes = apply_exceptions(findings, exceptions(*entries), TODAY)
    return {f.control_id: f for f in judged}, {o.id: o.state for o in outcomes}


def exit_code(findings: dict[str, Finding]) -> ExitCode:
    return exit_code_for(with_findings(list(findings.values())))


def test_every_offender_covered_is_accepted_and_exits_0() -> None:
    judged, states = judge(
        [finding("DT.PRV.1", Status.FAIL, "a", "b")], {"control": "DT.PRV.1", "resources": ["a", "b"]}
    )
    prv1 = judged["DT.PRV.1"]
    assert prv1.status is Status.ACCEPTED and states == {"E0": "applied"}
    assert [r.id for r in prv1.resources] == ["a", "b"]  # still listed, never hidden
    assert prv1.resources[0].accepted is not None and prv1.resources[0].accepted.approved_by == "CISO"
    assert exit_code(judged) is ExitCode.OK


def test_partly_covered_stays_fail_with_the_rest_unaccepted() -> None:
    judged, states = judge(
        [finding("DT.PRV.1", Status.FAIL, "a", "b")], {"control": "DT.PRV.1", "resources": ["a"]}
    )
    prv1 = judged["DT.PRV.1"]
    assert prv1.status is Status.FAIL and states == {"E0": "applied"}
    assert [r.accepted is not None for r in prv1.resources] == [True, False]
    assert "1 of 2 offenders accepted" in prv1.message
    assert exit_code(judged) is ExitCode.FAILURES


def test_expired_exception_is_not_applied_and_the_finding_says_so() -> None:
    entry = {"control": "DT.PRV.1", "resources": ["a"], "expires_on": str(TODAY - timedelta(days=1))}
    judged, states = judge([finding("DT.PRV.1", Status.FAIL, "a")], entry)
    assert judged["DT.PRV.1"].status is Status.FAIL and states == {"E0": "expired"}
    assert "exception E0 expired on 2026-11-24, not applied" in judged["DT.PRV.1"].message
    assert exit_code(judged) is ExitCode.FAILURES


def test_last_day_still_applies() -> None:
    entry = {"control": "DT.PRV.1", "resources": ["a"], "expires_on": str(TODAY)}
    assert judge([finding("DT.PRV.1", Status.FAIL, "a")], entry)[1] == {"E0": "applied"}


def test_stale_when_the_control_passes_or_the_offender_is_gone() -> None:
    findings = [finding("DT.PRV.1", Status.PASS), finding("DT.LCM.1", Status.FAIL, "b")]
    judged, states = judge(
        findings,
        {"control": "DT.PRV.1", "resources": ["a"]},
        {"control": "DT.LCM.1", "resources": ["a"]},
        {"control": "DT.XYZ.9", "all_resources": True},
    )
    assert states == {"E0": "stale", "E1": "stale", "E2": "stale"}
    assert judged["DT.LCM.1"].status is Status.FAIL


def test_whole_control_only_when_said_explicitly() -> None:
    findings = [finding("DT.APP.2", Status.FAIL, "x", "y"), finding("DT.DAT.2", Status.FAIL)]
    judged, states = judge(
        findings,
        {"control": "DT.APP.2", "all_resources": True},
        {"control": "DT.DAT.2", "all_resources": True},
    )
    assert judged["DT.APP.2"].status is Status.ACCEPTED and judged["DT.DAT.2"].status is Status.ACCEPTED
    assert states == {"E0": "applied", "E1": "applied"}


@pytest.mark.parametrize("status", [Status.ERROR, Status.MANUAL, Status.NOT_APPLICABLE])
def test_missing_data_is_never_hidden(status: Status) -> None:
    judged, states = judge([finding("DT.PRV.1", status)], {"control": "DT.PRV.1", "all_resources": True})
    assert judged["DT.PRV.1"].status is status and states == {"E0": "not_applied"}
    if status is Status.ERROR:
        assert exit_code(judged) is ExitCode.INCOMPLETE


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"control": "DT.PRV.1"}, "name the covered resource ids"),
        ({"control": "DT.PRV.1", "resources": ["a"], "all_resources": True}, "not both"),
        ({"control": "DT.PRV.1", "resources": []}, "at least 1 item"),
        ({"control": "DT.PRV.1", "resources": ["a"], "expires_on": "2099-01-01"}, "more than a year ahead"),
        ({"control": "PRV1", "resources": ["a"]}, "should match pattern"),
    ],
)
def test_bad_entries_are_one_line_errors(entry: dict[str, object], message: str) -> None:
    base = {"id": "E", "reason": "r" * 3, "owner": "o" * 3, "approved_by": "a" * 3, "reference": "x" * 3}
    text = "exceptions:\n  - " + "\n    ".join(
        f"{k}: {v!r}" if not isinstance(v, list) else f"{k}: {v}"
        for k, v in (base | {"expires_on": "2027-01-01"} | entry).items()
    )
    with pytest.raises(ExceptionsError) as error:
        Exceptions.parse(text, "exceptions.yaml")
    assert message in str(error.value) and str(error.value).startswith("exceptions.yaml:")
    assert "\n" not in str(error.value)


def test_expiry_is_required_and_ids_unique() -> None:
    base = "reason: r1\n    owner: o1\n    approved_by: a1\n    reference: x1\n    control: DT.PRV.1\n    all_resources: true"
    with pytest.raises(ExceptionsError, match="expires_on: Field required"):
        Exceptions.parse(f"exceptions:\n  - id: A\n    {base}\n", "f.yaml")
    twice = f"  - id: A\n    expires_on: 2027-01-01\n    {base}\n"
    with pytest.raises(ExceptionsError, match="unique: A"):
        Exceptions.parse("exceptions:\n" + twice + twice, "f.yaml")


@pytest.mark.hostile
def test_the_one_year_limit_is_counted_from_the_utc_date() -> None:
    """Exceptions expire on the UTC date; at 07:00 on 1 January in Sydney it is still 31 December
    in UTC, so a year and a day from the local date is a day too many."""
    sydney_new_year = datetime(2027, 1, 1, 7, 0, tzinfo=ZoneInfo("Australia/Sydney"))
    with time_machine.travel(sydney_new_year, tick=False):
        assert date.today() == date(2027, 1, 1)  # the local date
        utc_today = datetime.now(UTC).date()
        assert utc_today == date(2026, 12, 31)
        exceptions(
            {"control": "DT.PRV.1", "resources": ["a"], "expires_on": str(utc_today + timedelta(days=366))}
        )
        with pytest.raises(ValidationError, match="more than a year ahead"):
            exceptions({"control": "DT.PRV.1", "resources": ["a"], "expires_on": "2028-01-02"})
