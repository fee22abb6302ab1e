"""Every fault kind in every collector area: retried, failed closed, or aborted, as documented.

The scans run once per session, concurrently (see ``fault_matrix.py``); each test below judges
one cell, or the whole matrix, against the fault-free baseline scan.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fault_cli import one_line_error, start_scan
from fault_matrix import (
    AREAS,
    EXTRA,
    FATAL_KINDS,
    KINDS,
    MATRIX,
    SCAN_BOUND_S,
    Cell,
    MatrixRun,
    controls_needing,
    differences,
    lost_sections,
    new_passes,
    render_markdown,
    requires,
    run_matrix,
)

from dingscan.client.errors import MalformedResponse
from dingscan.collect.scopes import collect_scopes
from dingscan.emulator import Emulator, Fault, generate_tenant
from dingscan.emulator.faults import FAULT_KINDS
from dingscan.exitcodes import ExitCode
from dingscan.findings import Status
from dingscan.snapshot import SectionName, SectionStatus

#: Sections a standard-edition tenant without the HR app cannot have.
EDITION_SPECIFIC = {"dimissions", "audit_log_probe", "external_groups"}


@pytest.fixture(scope="session")
def matrix() -> MatrixRun:
    return run_matrix()


def cells(expect: str) -> list[object]:
    return [pytest.param(cell, id=cell.id) for cell in MATRIX + EXTRA if cell.expect == expect]


def test_the_matrix_covers_every_fault_kind_and_every_area() -> None:
    check_requires = requires()
    assert {c.kind for c in MATRIX} == set(KINDS) == FAULT_KINDS
    assert {c.area for c in MATRIX} == set(AREAS)
    assert len(MATRIX) == len(KINDS) * len(AREAS)
    # Every section a check reads from the API is lost by the permanent faults of some area
    # (the token aside); the 智能人事 records are out of reach: the tenant has no HR app.
    needed = set().union(*(check_requires.values())) - {SectionName.ATTESTATIONS, SectionName.DIMISSIONS}
    lost = set().union(*(a.failed | a.partial for name, a in AREAS.items() if name != "token"))
    assert needed <= lost, needed - lost


def test_the_fault_free_scan_is_complete_and_has_verdicts_to_lose(matrix: MatrixRun) -> None:
    baseline = matrix.baseline
    assert baseline.aborted is None and baseline.crashed is None and not baseline.hung
    coverage = {name: c["status"] for name, c in baseline.coverage.items()}
    assert {n for n, s in coverage.items() if s != "collected"} == EDITION_SPECIFIC, coverage
    statuses = {f["status"] for f in baseline.findings.values()}
    assert {Status.PASS, Status.FAIL} <= statuses and Status.ERROR not in statuses
    assert baseline.exit_code == 1


@pytest.mark.parametrize("cell", cells("same"))
def test_a_transient_fault_is_retried_to_identical_findings(matrix: MatrixRun, cell: Cell) -> None:
    _, outcome = matrix.outcomes[cell.id]
    assert outcome.crashed is None, outcome.crashed
    assert outcome.aborted is None and not outcome.hung
    changed = differences(outcome, matrix.baseline)
    assert changed == [], f"{cell.id} changed findings: {changed}"
    assert outcome.exit_code == matrix.baseline.exit_code
    assert outcome.elapsed < SCAN_BOUND_S


@pytest.mark.parametrize("cell", cells("fail_closed"))
def test_a_permanent_fault_fails_exactly_the_controls_that_need_the_lost_data(
    matrix: MatrixRun, cell: Cell
) -> None:
    _, outcome = matrix.outcomes[cell.id]
    assert outcome.crashed is None, outcome.crashed
    assert outcome.aborted is None and not outcome.hung
    must_fail, _, _ = lost_sections(cell)
    for control in controls_needing(must_fail):
        finding = outcome.findings[control]
        assert finding["status"] in (Status.ERROR, Status.NOT_APPLICABLE), (control, finding)
        if finding["status"] == Status.ERROR:
            assert AREAS[cell.area].path in finding["message"], (control, finding["message"])
            if cell.kind.startswith("permission"):
                assert AREAS[cell.area].permission in finding["message"], (control, finding["message"])
    assert outcome.exit_code in (1, 3)
    # Everything else the model of this cell says (partial sections, untouched controls,
    # coverage, exit code) in one list, so a failure shows all of it at once.
    assert matrix.verdict(cell).problems == []


@pytest.mark.parametrize("cell", cells("aborted"))
def test_a_fatal_answer_aborts_the_scan_with_a_one_line_reason(matrix: MatrixRun, cell: Cell) -> None:
    _, outcome = matrix.outcomes[cell.id]
    assert outcome.crashed is None, outcome.crashed
    assert outcome.aborted is not None, f"{cell.id} was not aborted: exit code {outcome.exit_code}"
    reason = outcome.aborted.strip()
    assert reason and "\n" not in reason and "Traceback" not in reason
    if cell.kind in FATAL_KINDS:
        assert "banned this machine's egress IP" in reason
    elif cell.wrong_secret:
        assert "rejected the app key/secret" in reason and "not-the-app-secret" not in reason
    else:
        assert reason.startswith("could not get an access token from http://127.0.0.1:"), reason
    assert matrix.verdict(cell).problems == []


#: Cells in which a control keeps the FAIL the collected data proves (it was ERROR before sections
#: could only enrich a check): DT.LCM.2 counts dormant members without the admin list, DT.PRV.4
#: sees non-SSO administrators without /auth/scopes or the leave records.
PROVEN_FAILS = {
    "permissionxall@admins": "DT.LCM.2",
    "permissionxall@scopes": "DT.PRV.4",
    "quotaxall@leave_records": "DT.PRV.4",
}


@pytest.mark.parametrize(("cell_id", "control"), PROVEN_FAILS.items())
def test_a_fail_proven_on_the_data_collected_stands_and_says_what_was_not_checked(
    matrix: MatrixRun, cell_id: str, control: str
) -> None:
    cell, outcome = matrix.outcomes[cell_id]
    assert matrix.baseline.findings[control]["status"] == Status.FAIL
    finding = outcome.findings[control]
    assert finding["status"] == Status.FAIL, finding["message"]
    assert "(data incomplete: " in finding["message"] and AREAS[cell.area].path in finding["message"]


def test_no_fault_ever_produces_a_pass_the_fault_free_scan_does_not_give(matrix: MatrixRun) -> None:
    new = {cell_id: new_passes(o, matrix.baseline) for cell_id, (_, o) in matrix.outcomes.items()}
    assert {cell_id: passes for cell_id, passes in new.items() if passes} == {}


def test_every_scan_ends_within_its_bound_without_a_traceback(matrix: MatrixRun) -> None:
    slow = {i: round(o.elapsed, 1) for i, (_, o) in matrix.outcomes.items() if o.elapsed > SCAN_BOUND_S}
    hung = [i for i, (_, o) in matrix.outcomes.items() if o.hung]
    crashed = {i: o.crashed for i, (_, o) in matrix.outcomes.items() if o.crashed}
    loop_errors = {i: o.loop_errors for i, (_, o) in matrix.outcomes.items() if o.loop_errors}
    assert (slow, hung, crashed, loop_errors) == ({}, [], {}, {})
    checks_crashed = [
        (i, c)
        for i, (_, o) in matrix.outcomes.items()
        for c, f in o.findings.items()
        if f["message"].startswith("check failed to run")
    ]
    assert checks_crashed == []


def test_the_markdown_table_has_a_row_per_kind_and_lists_the_unexpected_cells(matrix: MatrixRun) -> None:
    table = render_markdown(matrix)
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == list(KINDS)
    assert all(row.count(" | ") == len(AREAS) for row in rows)
    assert "Unexpected cells: none" in table


@pytest.mark.parametrize("kind", FATAL_KINDS)
def test_an_ip_ban_ends_the_command_with_exit_4_and_one_line(kind: str, tmp_path: Path) -> None:
    ban = Fault(kind, path="/topapi/v2/user/list", times=1)  # type: ignore[arg-type]
    with Emulator(generate_tenant(members=40, seed=7), qps=None, faults=[ban]) as emu:
        process = start_scan(emu, "--output", str(tmp_path / "findings.json"), "--quiet")
        try:
            stdout, stderr = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
    assert process.returncode == ExitCode.FATAL, stderr
    line = one_line_error(stderr)
    assert "scan aborted" in line and "banned this machine's egress IP" in line
    assert stdout == "" and sorted(tmp_path.iterdir()) == []


class OneAnswer:
    """A client that answers every call with the same JSON object."""

    def __init__(self, answer: dict[str, object]) -> None:
        self.answer = answer

    async def call(self, *_: object, **__: object) -> dict[str, object]:
        return self.answer


async def test_a_contact_scope_that_is_not_a_list_is_never_read_as_the_whole_organisation() -> None:
    """The wrong_shape bug of /auth/scopes at its worst: not a spurious ERROR, a possible PASS."""
    answer = {
        "errcode": 0,
        "auth_org_scopes": {"authed_dept": "12", "authed_user": []},
        "auth_user_field": ["email"],
    }
    try:
        section = await collect_scopes(OneAnswer(answer))
    except MalformedResponse:
        return  # the fix: a malformed answer, so the scope is unknown and users are partial
    scope = section.data.authed_dept if section.data else []
    assert not (section.status is SectionStatus.COLLECTED and 1 in scope), scope
