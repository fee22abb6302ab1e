"""Find the checks, run them on a snapshot, and make every verdict fail closed.

Checks come from three places, loaded the same way: the built-in pack (the project's top-level
``checks/`` folder, shipped inside the wheel), installed third-party packs (entry-point group
``dingscan.checks``) and local folders (``--checks-dir``). A control ID may be defined once.

The engine, not the checks, owns the fail-closed rules: a required section that could not be
collected gives ERROR (NOT_APPLICABLE when the edition has no such data) with the collector's
reason; a check that raises gives ERROR; a PASS that rests on partial data, or on a missing
section the check only ``enriches``, becomes ERROR, while a FAIL proven on the data collected
stands and says what could not be checked, whatever else is missing (a required section too).

A check is code from wherever a pack came from, so it can cost only its own control: it runs in
a thread of its own for at most :data:`CHECK_TIMEOUT_S`, and raising anything (``SystemExit``
included), returning something that is not an :class:`Outcome` or not finishing gives ERROR with
the reason. Every check carries the :class:`CheckPack` it came from, which the findings record.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

import structlog
from pydantic import ValidationError

from dingscan.__version__ import __version__
from dingscan.check import Check, Outcome, control_sort_key
from dingscan.client.errors import one_line
from dingscan.contract import contract_problems
from dingscan.errors import UserError
from dingscan.findings import CheckPack, Finding, Status
from dingscan.frameworks import builtin_frameworks, references_for, validate_frameworks
from dingscan.policy import Policy
from dingscan.resources import packaged_path
from dingscan.snapshot import Section, SectionName, SectionStatus, SectionUnavailable, Snapshot

log = structlog.get_logger(__name__)

ENTRY_POINT_GROUP = "dingscan.checks"
#: Seconds one check may take; the slowest built-in check takes milliseconds on a large tenant.
CHECK_TIMEOUT_S = 60.0


class CheckLoadError(UserError):
    """A check pack that cannot be loaded; one line naming the file or entry point."""


def builtin_checks_dir() -> Path:
    return packaged_path("checks")


def load_checks(directories: Sequence[Path] = (), *, plugins: bool = True) -> list[Check]:
    """Every check, built-in first, sorted by control ID; duplicates and checks that break the
    contract (:mod:`dingscan.contract`) are an error naming the file."""
    builtin = builtin_checks_dir()
    builtin_pack = _folder_pack("built-in", builtin, __version__)
    packs = [(list(_modules_in(builtin)), builtin_pack)]
    if plugins:
        packs += [
            ([_load_entry_point(e)], _entry_point_pack(e)) for e in entry_points(group=ENTRY_POINT_GROUP)
        ]
    packs += [
        (list(_modules_in(directory)), _folder_pack(str(directory), directory)) for directory in directories
    ]
    checks: dict[str, tuple[Check, str]] = {}
    builtin_ids: list[str] = []
    for modules, pack in packs:
        for module in modules:
            file = getattr(module, "__file__", None)
            origin, path = file or module.__name__, Path(file) if file else None
            for check_class in _check_classes(module):
                if problems := contract_problems(check_class, path, builtin=pack is builtin_pack):
                    raise CheckLoadError(f"{origin}: {check_class.__name__} {'; '.join(problems)}")
                if inspect.isabstract(check_class):
                    continue
                control_id = check_class.metadata.control_id
                if control_id in checks:
                    raise CheckLoadError(
                        f"control {control_id} is defined twice: {checks[control_id][1]} and {origin}"
                    )
                check = check_class()
                check.pack = pack
                checks[control_id] = (check, str(origin))
                if pack is builtin_pack:
                    builtin_ids.append(control_id)
    validate_frameworks(builtin_frameworks(), builtin_ids)
    return [checks[c][0] for c in sorted(checks, key=control_sort_key)]


def _folder_pack(name: str, directory: Path, version: str | None = None) -> CheckPack:
    digest = hashlib.sha256()
    for path in _check_files(directory):
        data = path.read_bytes()
        digest.update(f"{path.name}\0{len(data)}\0".encode() + data)
    return CheckPack(name=name, version=version, sha256=digest.hexdigest())


def _entry_point_pack(entry: Any) -> CheckPack:
    dist = getattr(entry, "dist", None)
    return CheckPack(name=entry.name, version=dist.version if dist is not None else None)


def _check_files(directory: Path) -> list[Path]:
    return [path for path in sorted(directory.glob("*.py")) if not path.name.startswith("_")]


def _modules_in(directory: Path) -> Iterable[ModuleType]:
    if not directory.is_dir():
        raise CheckLoadError(f"{directory}: not a folder of checks")
    package = "dingscan_checks_" + hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:12]
    for path in _check_files(directory):
        name = f"{package}.{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise CheckLoadError(f"{path}: cannot be imported")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except (Exception, SystemExit) as exc:
            del sys.modules[name]
            raise CheckLoadError(f"{path}: {type(exc).__name__}: {_summary(exc)}") from None
        yield module


def _summary(exc: BaseException) -> str:
    """One line: a check pack's author reads it on a terminal (pydantic's own text spans lines)."""
    if isinstance(exc, ValidationError):
        return "; ".join(f"{exc.title} {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    return one_line(exc)


def _load_entry_point(entry: object) -> ModuleType:
    try:
        loaded = entry.load()  # type: ignore[attr-defined]
    except (Exception, SystemExit) as exc:
        raise CheckLoadError(f"check pack {entry!r}: {type(exc).__name__}: {exc}") from None
    if not isinstance(loaded, ModuleType):
        raise CheckLoadError(f"check pack {entry!r} must name a module")
    return loaded


def _check_classes(module: ModuleType) -> list[type[Check]]:
    return [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj) and issubclass(obj, Check) and obj.__module__ == module.__name__
    ]


_UNFINISHED = object()


def _evaluate_contained(check: Check, snapshot: Snapshot, policy: Policy, timeout: float) -> object:
    """What ``check.evaluate`` returned or raised, or ``_UNFINISHED`` after ``timeout`` seconds.

    A daemon thread, because a check that never returns cannot be stopped, only left behind:
    it must neither hold up the scan nor keep the process alive after it.
    """
    result: list[object] = [_UNFINISHED]

    def evaluate() -> None:
        try:
            result[0] = check.evaluate(snapshot, policy)
        except BaseException as exc:  # SystemExit and KeyboardInterrupt from a check are its own failure
            result[0] = exc

    worker = threading.Thread(target=evaluate, name=f"check {check.metadata.control_id}", daemon=True)
    worker.start()
    worker.join(timeout)
    return result[0]


def finding_uid(corp_id: str | None, control_id: str) -> str:
    return hashlib.sha256(f"{corp_id or ''}|{control_id}".encode()).hexdigest()[:32]


def run_checks(checks: Iterable[Check], snapshot: Snapshot, policy: Policy) -> list[Finding]:
    return [run_check(check, snapshot, policy) for check in checks]


def run_check(check: Check, snapshot: Snapshot, policy: Policy) -> Finding:
    outcome = _fail_closed_outcome(check, snapshot, policy)
    meta = check.metadata
    return Finding(
        uid=finding_uid(snapshot.corp_id, meta.control_id),
        control_id=meta.control_id,
        title=meta.title,
        severity=meta.severity,
        status=outcome.status,
        message=outcome.message,
        evidence_source=meta.evidence,
        resources=outcome.resources,
        evidence=outcome.evidence,
        remediation=meta.remediation,
        references=references_for(meta.control_id),
    )


def _fail_closed_outcome(check: Check, snapshot: Snapshot, policy: Policy) -> Outcome:
    """The check's verdict under the fail-closed rules.

    The check runs even when a section it requires is missing: it reads that section through
    :meth:`Section.get`, which raises, so only a FAIL proven on the other sections can come
    back, and it stands (DT.IDN.1's members seen without SSO, whether or not the attestation file
    could be read). Any other verdict, or a crash, is then ERROR (NOT_APPLICABLE when the edition
    lacks the data) naming the missing sections, as if the check had not run.
    """
    missing = {n: s for n in check.requires if (s := snapshot.section(n)).status in _UNAVAILABLE}
    timeout = CHECK_TIMEOUT_S
    result = _evaluate_contained(check, snapshot, policy, timeout)
    if missing:
        if isinstance(result, Outcome) and result.status is Status.FAIL:
            return _on_incomplete_data(check, snapshot, result, missing)
        reasons = _reasons(missing)
        if all(s.status is SectionStatus.NOT_APPLICABLE for s in missing.values()):
            return Outcome.not_applicable(reasons)
        return Outcome(status=Status.ERROR, message=f"could not be evaluated: {reasons}")
    if isinstance(result, SectionUnavailable):
        status = Status.NOT_APPLICABLE if result.status is SectionStatus.NOT_APPLICABLE else Status.ERROR
        return Outcome(status=status, message=f"could not be evaluated: {result.reason}")
    if isinstance(result, BaseException):
        log.error("check crashed", control_id=check.metadata.control_id, exc_info=result)
        return Outcome(status=Status.ERROR, message=f"check failed to run: {type(result).__name__}: {result}")
    if result is _UNFINISHED:
        return Outcome(
            status=Status.ERROR, message=f"check failed to run: did not finish within {timeout:g} s"
        )
    if not isinstance(result, Outcome):
        return Outcome(
            status=Status.ERROR,
            message=f"check failed to run: returned {type(result).__name__}, not an Outcome",
        )
    return _on_incomplete_data(check, snapshot, result)


#: A section in one of these states has no data at all.
_UNAVAILABLE = (SectionStatus.FAILED, SectionStatus.NOT_APPLICABLE)


def _on_incomplete_data(
    check: Check,
    snapshot: Snapshot,
    outcome: Outcome,
    missing: Mapping[SectionName, Section[object]] | None = None,
) -> Outcome:
    """A FAIL proven on the data collected stands, saying what could not be checked; a PASS on
    incomplete data is ERROR; any other verdict reached without an enriching section is ERROR
    (it might have been a FAIL), and on partial data it says so. ``missing``: required sections
    without data (only a FAIL reaches here with some)."""
    partial = {
        n: s
        for n in check.requires + check.enriches
        if (s := snapshot.section(n)).status is SectionStatus.PARTIAL
    }
    lost = {n: s for n in check.enriches if (s := snapshot.section(n)).status is SectionStatus.FAILED}
    lost |= missing or {}
    if not partial and not lost:
        return outcome
    incomplete = _reasons(partial | lost)
    if outcome.status is Status.FAIL or (outcome.status is not Status.PASS and not lost):
        return outcome.model_copy(update={"message": f"{outcome.message} (data incomplete: {incomplete})"})
    if outcome.status is Status.PASS:
        return Outcome(
            status=Status.ERROR,
            message=f"no violation in the data collected, but the data is incomplete ({incomplete})",
            evidence=outcome.evidence,
        )
    return Outcome(
        status=Status.ERROR, message=f"could not be evaluated: {incomplete}", evidence=outcome.evidence
    )


def _reasons(sections: Mapping[SectionName, Section[object]]) -> str:
    return "; ".join(f"{name}: {s.reason}" for name, s in sections.items())
