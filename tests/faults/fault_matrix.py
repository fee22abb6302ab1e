"""The fault matrix: every emulator fault kind injected into every collector area, judged.

Each cell scans a small generated tenant with one fault injected on one area's endpoint and
compares the findings with a fault-free scan of the same tenant (the *baseline*):

- transient kinds (5xx, ``-1``, throttling, resets, timeouts, truncated bodies) are injected twice,
  fewer times than the client's retry attempts: the findings must be identical to the baseline's;
- ``token_expired`` on a data endpoint is injected once: the client refreshes the token and the
  findings must be identical; on the token endpoint itself it is permanent;
- permanent kinds (permission, quota, unreadable answers) are injected on every call to the path:
  exactly the controls that require the lost sections become ERROR, with a reason naming the path
  (and the permission point); a control the lost sections only enrich keeps a FAIL the rest of
  the data proves (saying what could not be checked) or becomes ERROR; which sections an
  endpoint's loss takes down comes from the section registry; every other control keeps its finding;
- fatal kinds (the IP-ban answers) abort the scan with a one-line reason, and so does any
  permanent fault on the token endpoint (no token, no scan).

No cell may produce a PASS the baseline does not have, crash, or run longer than a bound.

The cells are independent, so they run concurrently (a few scans per event loop, one worker
process per core): most of a cell's time is spent waiting for injected timeouts.

``python tests/faults/matrix.py`` prints the matrix as a Markdown table.
"""

from __future__ import annotations

import asyncio
import importlib.util
import multiprocessing
import os
import ssl
import sys
import time
import traceback
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any, Literal

import httpx
from pydantic import SecretStr

from dingscan.check import Check
from dingscan.client import RetryPolicy
from dingscan.client.endpoints import ACCESS_TOKEN, CATALOGUE, Endpoint
from dingscan.collect import ScanAborted
from dingscan.collect.sections import REGISTRY, consequences
from dingscan.emulator import Emulator, Fault, Tenant, generate_tenant
from dingscan.emulator.faults import FAULT_KINDS
from dingscan.engine import load_checks
from dingscan.exitcodes import exit_code_for
from dingscan.findings import Status
from dingscan.inputs import InputFile, JudgementInputs
from dingscan.policy import Policy
from dingscan.scan import scan_live
from dingscan.settings import Settings
from dingscan.snapshot import SectionName

MEMBERS = 40
SEED = 7
#: Wall-time bound of one scan; a cell that needs longer is a hang.
SCAN_BOUND_S = 20.0
#: Client timeout for ``timeout`` cells (the emulator holds the answer ``TIMEOUT_DELAY_S``).
SHORT_TIMEOUT_S = 1.0
TIMEOUT_DELAY_S = 3.0
#: Client timeout for every other cell: generous, so a busy machine never fakes a timeout.
NORMAL_TIMEOUT_S = 10.0
#: Scan time budget of a cell throttled on every call: 90018 is retried until the budget ends.
THROTTLED_SCAN_TIMEOUT_S = 6.0
FAST_RETRY = RetryPolicy(attempts=4, base_wait=0.001, max_wait=0.01)
TRANSIENT_TIMES = 2  # fewer than FAST_RETRY.attempts
CONCURRENT_SCANS = 3  # per worker process

Expect = Literal["same", "fail_closed", "aborted"]

TRANSIENT_KINDS = (
    "http_500", "http_502", "http_503", "errcode_-1", "throttle_app", "throttle_global",
    "reset", "timeout", "truncated",
)  # fmt: skip
PERMANENT_KINDS = ("quota", "permission", "permission_plain", "malformed_json", "wrong_shape", "empty_200")
FATAL_KINDS = ("ip_ban_html", "ip_ban_json")
REFRESH_KINDS = ("token_expired",)
#: Table row order: the order of the emulator's documentation.
KINDS: tuple[str, ...] = (
    "http_500", "http_502", "http_503", "errcode_-1", "throttle_app", "throttle_global", "quota",
    "permission", "permission_plain", "token_expired", "reset", "timeout", "truncated",
    "malformed_json", "wrong_shape", "ip_ban_html", "ip_ban_json", "empty_200",
)  # fmt: skip
assert set(KINDS) == FAULT_KINDS == set(TRANSIENT_KINDS + PERMANENT_KINDS + FATAL_KINDS + REFRESH_KINDS)

S = SectionName
API_SECTIONS = frozenset(spec.name for spec in REGISTRY if spec.collect is not None)
#: Sections fed by an endpoint that counts against the monthly quota (with the sections derived
#: from them): after one quota answer the client fails those calls fast without sending them, so
#: a quota fault may take them down too.
COUNTED_SECTIONS = frozenset(name for e in CATALOGUE if e.counted for name in set().union(*consequences(e)))


@dataclass(frozen=True)
class Area:
    """One collector area, by the representative endpoint a fault is injected on.

    What its loss does comes from the section registry: ``failed``, the sections lost when that
    endpoint never answers (with the sections derived from them); ``partial``, sections that
    stay, but incomplete.
    """

    path: str

    @property
    def endpoint(self) -> Endpoint:
        return next(e for e in CATALOGUE if e.path == self.path)

    @property
    def permission(self) -> str:
        return self.endpoint.permission

    @property
    def failed(self) -> frozenset[SectionName]:
        if self.endpoint is ACCESS_TOKEN:  # without a token nothing is collected
            return API_SECTIONS
        return consequences(self.endpoint)[0]

    @property
    def partial(self) -> frozenset[SectionName]:
        return frozenset() if self.endpoint is ACCESS_TOKEN else consequences(self.endpoint)[1]


AREAS: dict[str, Area] = {
    "scopes": Area("/auth/scopes"),
    "org": Area("/v1.0/contact/organizations/authInfos"),
    "departments": Area("/topapi/v2/department/listsub"),
    "users": Area("/topapi/v2/user/list"),
    "admins": Area("/topapi/user/listadmin"),
    "admin_scope": Area("/topapi/user/get_admin_scope"),
    "roles": Area("/topapi/role/list"),
    "role_members": Area("/topapi/role/simplelist"),
    "external_contacts": Area("/topapi/extcontact/list"),
    "partner_orgs": Area("/topapi/union/cooperate/joined/list"),
    "apps": Area("/v1.0/microApp/allApps"),
    "leave_records": Area("/v1.0/contact/empLeaveRecords"),
    "dormancy": Area("/topapi/inactive/user/v2/get"),
    "token": Area("/v1.0/oauth2/accessToken"),
}


@dataclass(frozen=True)
class Cell:
    """One scan: a fault (or none), what must come of it, and the client and scan timeouts."""

    kind: str
    area: str
    expect: Expect | Literal["baseline"]
    fault: Fault | None = None
    timeout: float = NORMAL_TIMEOUT_S
    wrong_secret: bool = False
    scan_timeout: float = Settings.model_fields["scan_timeout"].default

    @property
    def id(self) -> str:
        times = "" if self.fault is None else f"x{self.fault.times or 'all'}"
        return f"{self.kind}{times}@{self.area}"


def plan(kind: str, area: str, times: int | Literal["default"] | None = "default") -> Cell:
    """The cell for one fault kind on one area; ``times`` overrides the kind's usual count."""
    path = AREAS[area].path
    count: int | None
    expect: Expect
    if kind in TRANSIENT_KINDS:
        count, expect = TRANSIENT_TIMES, "same"
    elif kind in REFRESH_KINDS:
        # The token endpoint itself answering "token expired" cannot be cured by a refresh.
        count, expect = (None, "aborted") if area == "token" else (1, "same")
    elif kind in FATAL_KINDS:
        count, expect = 1, "aborted"
    else:
        # Without a token nothing can be collected: the scan stops, naming the host.
        count, expect = None, "aborted" if area == "token" else "fail_closed"
    if times != "default":
        count = times
        if count is None and expect == "same":
            expect = "fail_closed"  # a transient failure that outlasts every retry
    delay = TIMEOUT_DELAY_S if kind == "timeout" else None
    fault = Fault(kind, path=path, times=count, delay=delay)  # type: ignore[arg-type]
    timeout = SHORT_TIMEOUT_S if kind == "timeout" else NORMAL_TIMEOUT_S
    if kind == "throttle_app" and count is None:
        return Cell(kind, area, expect, fault, timeout, scan_timeout=THROTTLED_SCAN_TIMEOUT_S)
    return Cell(kind, area, expect, fault, timeout)


BASELINE = Cell("none", "none", "baseline")
MATRIX: tuple[Cell, ...] = tuple(plan(kind, area) for kind in KINDS for area in AREAS)
#: Not in the table: transient failures that outlast the retries, a token rejected on every call
#: to one path, and credentials DingTalk refuses.
EXTRA: tuple[Cell, ...] = (
    plan("http_503", "users", times=None),
    plan("http_502", "role_members", times=None),
    plan("errcode_-1", "org", times=None),
    plan("throttle_app", "admins", times=None),
    plan("throttle_global", "partner_orgs", times=None),
    plan("reset", "apps", times=None),
    plan("truncated", "leave_records", times=None),
    plan("timeout", "dormancy", times=None),
    plan("token_expired", "external_contacts", times=None),
    Cell("bad_credentials", "token", "aborted", wrong_secret=True),
)


# --- running scans ------------------------------------------------------------------------------


@cache
def tenant() -> Tenant:
    return generate_tenant(members=MEMBERS, seed=SEED)


@cache
def judgement_inputs() -> JudgementInputs:
    policy = Policy(
        corporate_domains=[f"corp{SEED}.example.com"],
        conflicting_roles=[("人事", "财务")],
        approved_partner_orgs=[f"dingpartner{SEED}0"],
    )
    return JudgementInputs(policy, InputFile("fault matrix policy", policy.to_yaml()), None, None)


@cache
def checks() -> list[Check]:
    """The built-in checks, loaded once per process (each load compiles every check module)."""
    return load_checks()


@cache
def _tls_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()


def transport() -> httpx.AsyncHTTPTransport:
    """What scan_live would build itself, with the CA bundle loaded once per process, not per scan."""
    return httpx.AsyncHTTPTransport(verify=_tls_context())


@dataclass
class Outcome:
    """What one scan produced, as plain data (it crosses process boundaries)."""

    findings: dict[str, dict[str, Any]] = field(default_factory=dict)  # control_id -> finding
    coverage: dict[str, dict[str, Any]] = field(default_factory=dict)
    exit_code: int | None = None
    aborted: str | None = None  # ScanAborted's message
    crashed: str | None = None  # a traceback: never acceptable
    hung: bool = False
    elapsed: float = 0.0
    loop_errors: list[str] = field(default_factory=list)  # e.g. "Task exception was never retrieved"


def settings_for(emu: Emulator, cell: Cell) -> Settings:
    return Settings(
        app_key=emu.app_key,
        app_secret=SecretStr("not-the-app-secret" if cell.wrong_secret else emu.app_secret),
        corp_id=emu.tenant.corp_id,
        oapi_url=emu.oapi_url,
        api_url=emu.api_url,
        qps=1000.0,  # pacing still on, far above what the emulator (qps=None) would refuse
        timeout=cell.timeout,
        scan_timeout=cell.scan_timeout,
    )


async def run_cell(cell: Cell, now: datetime, bound: float = SCAN_BOUND_S) -> Outcome:
    """Scan the tenant with the cell's fault injected; never raises, never runs past ``bound``."""
    outcome = Outcome()
    faults = [cell.fault] if cell.fault else []
    started = time.monotonic()
    try:
        with Emulator(tenant(), now=now, qps=None, faults=faults) as emu:
            async with asyncio.timeout(bound):
                result = await scan_live(
                    settings_for(emu, cell),
                    inputs=judgement_inputs(),
                    checks=checks(),
                    retry=FAST_RETRY,
                    transport=transport(),
                )
        document = result.document
        outcome.findings = {
            f.control_id: f.model_dump(mode="json", include={"status", "message", "resources", "evidence"})
            for f in document.findings
        }
        outcome.coverage = {name: c.model_dump(mode="json") for name, c in document.coverage.items()}
        outcome.exit_code = int(exit_code_for(document))
    except ScanAborted as exc:
        outcome.aborted = str(exc)
    except TimeoutError:
        outcome.hung = True
    except Exception:
        outcome.crashed = traceback.format_exc()
    outcome.elapsed = time.monotonic() - started
    return outcome


async def run_cells(cells: Sequence[Cell], now: datetime, concurrency: int) -> list[Outcome]:
    loop = asyncio.get_running_loop()
    loop_errors: list[str] = []
    loop.set_exception_handler(lambda _, context: loop_errors.append(str(context.get("message"))))
    gate = asyncio.Semaphore(concurrency)

    async def gated(cell: Cell) -> Outcome:
        async with gate:
            return await run_cell(cell, now)

    outcomes = await asyncio.gather(*(gated(c) for c in cells))
    await asyncio.sleep(0)  # let orphaned tasks report before the loop closes
    if loop_errors:  # cannot tell which scan left them: every cell of the batch carries them
        for outcome in outcomes:
            outcome.loop_errors = list(loop_errors)
    return outcomes


def _worker(cells: Sequence[Cell], now: datetime, concurrency: int) -> list[Outcome]:
    from dingscan.logs import configure_logging

    configure_logging("error")  # a worker process of its own: its logging is ours to set
    if importlib.util.find_spec("sniffio") is None:
        # httpcore tries ``import sniffio`` on every request; without it installed, each failed
        # import searches sys.path again (a sixth of a scan's CPU). Same behaviour, cheaper.
        sys.modules["sniffio"] = None  # type: ignore[assignment]
    return asyncio.run(run_cells(cells, now, concurrency))


@dataclass
class MatrixRun:
    baseline: Outcome
    outcomes: dict[str, tuple[Cell, Outcome]]  # by Cell.id
    wall_time: float

    def verdict(self, cell: Cell) -> Verdict:
        return judge(cell, self.outcomes[cell.id][1], self.baseline)


def run_matrix(cells: Iterable[Cell] = MATRIX + EXTRA, processes: int | None = None) -> MatrixRun:
    """The baseline and every cell, spread over worker processes (one per core, two to four)."""
    started = time.monotonic()
    now = datetime.now(UTC)  # one calendar for every emulator, so findings compare exactly
    todo = [BASELINE, *cells]
    workers = max(2, min(processes or os.cpu_count() or 2, 4))
    todo.sort(key=lambda c: c.kind != "timeout")  # spread the slow cells over the workers
    batches = [todo[i::workers] for i in range(workers)]
    context = multiprocessing.get_context("spawn")  # never fork a process that runs threads
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = [pool.submit(_worker, batch, now, CONCURRENT_SCANS) for batch in batches]
        results = [f.result() for f in futures]
    outcomes = {
        c.id: (c, o)
        for batch, done in zip(batches, results, strict=True)
        for c, o in zip(batch, done, strict=True)
    }
    _, baseline = outcomes.pop(BASELINE.id)
    return MatrixRun(baseline, outcomes, time.monotonic() - started)


# --- judging ------------------------------------------------------------------------------------


@cache
def requires() -> dict[str, frozenset[SectionName]]:
    return {c.metadata.control_id: frozenset(c.requires) for c in checks()}


def controls_needing(sections: Iterable[SectionName]) -> set[str]:
    """Controls that require one of these sections: without it they are ERROR."""
    wanted = set(sections)
    return {control for control, needs in requires().items() if needs & wanted}


def controls_enriched_by(sections: Iterable[SectionName]) -> set[str]:
    """Controls that one of these sections only enriches: without it a FAIL stands, else ERROR."""
    wanted = set(sections)
    return {c.metadata.control_id for c in checks() if wanted & set(c.enriches)}


def controls_supported_by(sections: Iterable[SectionName]) -> set[str]:
    """Controls that report these sections as supporting evidence, never deciding on them."""
    wanted = set(sections)
    return {c.metadata.control_id for c in checks() if wanted & set(c.supports)}


@dataclass
class Verdict:
    label: str  # the table cell: "same", "ERROR: 3 controls", "aborted", ...
    problems: list[str]  # everything not as documented; empty for an expected cell


def documented_exit_code(statuses: Iterable[str]) -> int:
    """The README's table: 1 if anything FAILED, else 3 if anything is ERROR, else 0."""
    found = set(statuses)
    return 1 if Status.FAIL in found else 3 if Status.ERROR in found else 0


def new_passes(outcome: Outcome, baseline: Outcome) -> list[str]:
    """Controls that PASS in this scan but not in the fault-free one."""
    return sorted(
        control
        for control, finding in outcome.findings.items()
        if finding["status"] == Status.PASS
        and baseline.findings.get(control, {}).get("status") != Status.PASS
    )


def lost_sections(
    cell: Cell,
) -> tuple[frozenset[SectionName], frozenset[SectionName], frozenset[SectionName]]:
    """(sections that must fail, sections that must turn partial, sections that may fail)."""
    if cell.fault is None:
        return frozenset(), frozenset(), frozenset()
    area = AREAS[cell.area]
    maybe = COUNTED_SECTIONS - area.failed - area.partial if cell.fault.kind == "quota" else frozenset()
    return area.failed, area.partial, maybe


def judge(cell: Cell, outcome: Outcome, baseline: Outcome) -> Verdict:
    """The cell's table label, and everything about its scan that is not as documented."""
    if outcome.crashed:
        last = outcome.crashed.strip().splitlines()[-1]
        return Verdict(f"crash: {last}", [f"the scan raised: {last}"])
    if outcome.hung:
        return Verdict("hung", [f"the scan did not end within {SCAN_BOUND_S:.0f} s"])
    problems = [f"event loop reported: {e}" for e in outcome.loop_errors]
    if outcome.elapsed > SCAN_BOUND_S:
        problems.append(f"took {outcome.elapsed:.1f} s (bound {SCAN_BOUND_S:.0f} s)")
    if outcome.aborted is not None:
        if cell.expect != "aborted":
            problems.append(f"aborted unexpectedly: {outcome.aborted}")
        if "\n" in outcome.aborted.strip() or not outcome.aborted.strip():
            problems.append(f"the abort reason is not one line: {outcome.aborted!r}")
        return Verdict("aborted", problems)
    problems += [f"{c}: PASS that the fault-free scan does not give" for c in new_passes(outcome, baseline)]
    problems += [
        f"{c}: a check crashed: {f['message']}"
        for c, f in outcome.findings.items()
        if f["message"].startswith("check failed to run")
    ]
    statuses = [f["status"] for f in outcome.findings.values()]
    if outcome.exit_code != documented_exit_code(statuses):
        problems.append(f"exit code {outcome.exit_code}, documented {documented_exit_code(statuses)}")
    if set(outcome.findings) != set(baseline.findings):
        return Verdict("other controls", [*problems, "not the same controls as the fault-free scan"])
    if cell.expect == "aborted":
        problems.append("the scan was not aborted")
    elif cell.expect == "same":
        problems += [f"{c}: {d}" for c, d in differences(outcome, baseline)]
    else:
        problems += _fail_closed_problems(cell, outcome, baseline)
    return Verdict(_label(outcome, baseline), problems)


def _label(outcome: Outcome, baseline: Outcome) -> str:
    if outcome.findings == baseline.findings:
        return "same"
    errors = sum(f["status"] == Status.ERROR for f in outcome.findings.values())
    proven = sum(
        f["status"] == Status.FAIL and "(data incomplete:" in f["message"] for f in outcome.findings.values()
    )
    stands = f", FAIL stands: {proven}" if proven else ""
    return f"ERROR: {errors} controls{stands}" if errors else f"changed{stands}"


def differences(
    outcome: Outcome, baseline: Outcome, controls: Iterable[str] | None = None, *, ignore: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(control, what changed) for each control whose finding differs from the baseline's.

    ``ignore`` names what may differ: ``"names"`` (resources' display names) and ``"evidence"``.
    """
    ignored = set(ignore)
    found = []
    for control in sorted(baseline.findings if controls is None else controls):
        before, after = (
            _comparable(baseline.findings[control], ignored),
            _comparable(outcome.findings[control], ignored),
        )
        if before == after:
            continue
        if before["status"] != after["status"]:
            found.append((control, f"{before['status']} -> {after['status']}: {after['message']}"))
        else:
            fields = ", ".join(k for k in before if before[k] != after.get(k))
            found.append((control, f"{before['status']}, {fields} changed: {after['message']}"))
    return found


def _comparable(finding: dict[str, Any], ignored: set[str]) -> dict[str, Any]:
    finding = dict(finding)
    if "names" in ignored:
        finding["resources"] = [{**r, "name": None} for r in finding["resources"]]
    if "evidence" in ignored:
        finding["evidence"] = None
    return finding


def _fail_closed_problems(cell: Cell, outcome: Outcome, baseline: Outcome) -> list[str]:
    assert cell.fault is not None
    area, kind = AREAS[cell.area], cell.fault.kind
    must_fail, must_be_partial, may_fail = lost_sections(cell)
    failed = controls_needing(must_fail)
    # Partial data, or a lost section that only enriches: a proven FAIL stands, never a PASS.
    partial = (controls_needing(must_be_partial) | controls_enriched_by(must_fail | must_be_partial)) - failed
    maybe = (controls_needing(may_fail) | controls_enriched_by(may_fail)) - failed - partial
    lost = must_fail | must_be_partial | may_fail
    # Names of people come from the users section whatever a check needs (Snapshot.users_by_id);
    # optional supporting evidence says why its section is missing.
    optional = controls_supported_by(lost)
    names = {"names"} if lost & {S.USERS, S.DEPARTMENTS} else set()
    problems = _coverage_problems(outcome, baseline, must_fail, must_be_partial)
    for control, after in sorted(outcome.findings.items()):
        before = baseline.findings[control]
        status, message = after["status"], after["message"]
        if control in failed:
            if status == Status.NOT_APPLICABLE and before["status"] != Status.NOT_APPLICABLE:
                problems.append(f"{control}: NOT_APPLICABLE, but its data was lost: {message}")
            elif status not in (Status.ERROR, Status.NOT_APPLICABLE):
                problems.append(f"{control}: {status}, not ERROR, without its data: {message}")
            elif status == Status.ERROR:
                problems += _reason_problems(control, message, area, kind)
        elif control in partial:
            if status == Status.PASS:
                problems.append(f"{control}: PASS on data that should be partial: {message}")
            elif after != before:
                problems += _reason_problems(control, message, area, kind)
        elif control in maybe:
            if after != before and (status != Status.ERROR or "quota" not in message):
                problems.append(f"{control}: {before['status']} -> {status}: {message}")
        else:
            ignore = names | ({"evidence"} if control in optional else set())
            problems += [
                f"{c}: {d} (it does not need the lost data)"
                for c, d in differences(outcome, baseline, [control], ignore=ignore)
            ]
    return problems


def _coverage_problems(
    outcome: Outcome,
    baseline: Outcome,
    must_fail: Iterable[SectionName],
    must_be_partial: Iterable[SectionName],
) -> list[str]:
    """The findings document's coverage must say which sections were lost, and how."""
    problems = []
    for section in sorted(must_fail):
        status = outcome.coverage[section]["status"]
        was = baseline.coverage[section]["status"]
        if status != "failed" and not (status == was == "not_applicable"):
            problems.append(f"coverage of {section} is {status}, not failed")
    for section in sorted(must_be_partial):
        if (status := outcome.coverage[section]["status"]) != "partial":
            problems.append(f"coverage of {section} is {status}, not partial")
    return problems


def _reason_problems(control: str, message: str, area: Area, kind: str) -> list[str]:
    problems = []
    if area.path not in message:
        problems.append(f"{control}: the reason does not name {area.path}: {message}")
    if kind.startswith("permission") and area.permission not in message:
        problems.append(f"{control}: the reason does not name the permission {area.permission}: {message}")
    return problems


# --- the table ----------------------------------------------------------------------------------


def render_markdown(run: MatrixRun) -> str:
    verdicts = {
        cell_id: judge(cell, outcome, run.baseline) for cell_id, (cell, outcome) in run.outcomes.items()
    }
    header = ["fault kind", *AREAS]
    lines = [
        f"Fault matrix: {len(MATRIX)} scans of a generated tenant ({MEMBERS} members, seed {SEED}), "
        f"one fault each, compared with a fault-free scan ({len(run.outcomes) + 1} scans in "
        f"{run.wall_time:.0f} s).",
        "",
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---" for _ in header) + " |",
    ]
    for kind in KINDS:
        row = [plan(kind, area) for area in AREAS]
        lines.append(f"| `{kind}` | " + " | ".join(_cell_text(c, verdicts[c.id]) for c in row) + " |")
    lines += [
        "",
        f"`same`: findings identical to the fault-free scan; `ERROR: n controls`: the scan failed "
        f"closed; `FAIL stands: m`: m controls kept a FAIL proven on the data collected; `aborted`: ScanAborted (exit 4); `!`: unexpected (listed below). Transient kinds are "
        f"injected {TRANSIENT_TIMES} times ({FAST_RETRY.attempts} attempts per call), `token_expired` "
        "once (on the token endpoint: on every call), the other kinds on every call, IP bans once.",
        "",
        "Endpoint faulted per area: "
        + ", ".join(f"{name} `{area.path}`" for name, area in AREAS.items())
        + ".",
        "",
        "Extra cells: " + ", ".join(f"`{c.id}` {_cell_text(c, verdicts[c.id])}" for c in EXTRA) + ".",
        "",
    ]
    unexpected = [(run.outcomes[i][0], v) for i, v in verdicts.items() if v.problems]
    lines += [f"Unexpected cells: {len(unexpected) or 'none'}", ""]
    for cell, verdict in unexpected:
        lines.append(f"- `{cell.id}`:")
        lines += [f"  - {p}" for p in verdict.problems]
    return "\n".join(lines) + "\n"


def _cell_text(cell: Cell, verdict: Verdict) -> str:
    return verdict.label + (" !" if verdict.problems else "")


def main() -> None:
    sys.stdout.write(render_markdown(run_matrix()))


if __name__ == "__main__":
    main()
