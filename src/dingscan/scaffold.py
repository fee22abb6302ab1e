"""``dingscan new-check DT.ABC.1``: a new control of the built-in pack, ready to fill in.

In a checkout of dingscan it writes ``checks/dt_abc_1.py`` (a check that is MANUAL until it is
written: a stub never passes), ``tests/checks/test_dt_abc_1.py`` and the control's row in every
framework file under ``frameworks/``, as "not mapped" (``[]``) until someone maps it. Nothing is
overwritten; each file is written atomically. What is left to a person (the check itself, its
mappings, the translations, the generated documents) is printed as next steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dingscan.check import CONTROL_ID
from dingscan.errors import UsageError
from dingscan.fsutil import atomic_write_text

CHECK_TEMPLATE = '''"""{control_id} — TODO: one line saying what must hold, and why."""

from dingscan.authoring import Check, CheckMetadata, Outcome, Policy, SectionName, Severity, Snapshot


class {class_name}(Check):
    metadata = CheckMetadata(
        control_id="{control_id}",
        title="TODO: what must hold",
        severity=Severity.MEDIUM,
        rationale="TODO: why it matters to the tenant",
        remediation="TODO: where in the admin console to fix it",
        evidence="TODO: the API endpoints or the attestation it reads",
    )
    requires: tuple[SectionName, ...] = ()  # the snapshot sections it reads

    def evaluate(self, snapshot: Snapshot, policy: Policy) -> Outcome:
        return Outcome.manual("{control_id} is not written yet: judge it by hand")
'''

TEST_TEMPLATE = """from dingscan.authoring import Status
from factories import evaluate, snapshot


def test_{stem}_is_manual_until_it_is_written() -> None:
    assert evaluate("{control_id}", snapshot()).status is Status.MANUAL
"""


@dataclass(frozen=True)
class Scaffold:
    """The files of a new control under a checkout's ``root``."""

    root: Path
    control_id: str

    @property
    def stem(self) -> str:
        return self.control_id.lower().replace(".", "_")

    @property
    def check_file(self) -> Path:
        return self.root / "checks" / f"{self.stem}.py"

    @property
    def test_file(self) -> Path:
        return self.root / "tests" / "checks" / f"test_{self.stem}.py"

    @property
    def framework_files(self) -> list[Path]:
        return sorted((self.root / "frameworks").glob("*.yaml"))

    def problems(self) -> list[str]:
        """Why the scaffold cannot be written here (empty: it can)."""
        if not CONTROL_ID.match(self.control_id):
            return [f"{self.control_id!r} is not a control id of the form DT.ABC.1"]
        if not (self.root / "checks").is_dir() or not self.framework_files:
            return [f"{self.root}: not a dingscan checkout (no checks/ and frameworks/*.yaml here)"]
        problems = [f"{p} already exists" for p in (self.check_file, self.test_file) if p.exists()]
        problems += [f"{p} already maps {self.control_id}" for p in self.framework_files if self._row(p)]
        return problems

    def _row(self, framework: Path) -> bool:
        return (
            re.search(rf"^\s+{re.escape(self.control_id)}:", framework.read_text(), re.MULTILINE) is not None
        )

    def write(self) -> list[Path]:
        """Write every file; the paths written."""
        if problems := self.problems():
            raise UsageError("; ".join(problems))
        class_name = "".join(part.capitalize() for part in self.stem.split("_"))
        fields = {"control_id": self.control_id, "class_name": class_name, "stem": self.stem}
        atomic_write_text(self.check_file, CHECK_TEMPLATE.format(**fields))
        atomic_write_text(self.test_file, TEST_TEMPLATE.format(**fields))
        for framework in self.framework_files:
            atomic_write_text(framework, with_row(framework.read_text(), self.control_id))
        return [self.check_file, self.test_file, *self.framework_files]

    def next_steps(self) -> list[str]:
        return [
            f"write the check in {self.check_file} and its tests in {self.test_file}",
            "map it in frameworks/*.yaml (each row says [] until then: not mapped)",
            "python scripts/update_catalogue.py, then translate the new texts in src/dingscan/locales/",
            "regenerate the baseline documents: dingscan baseline --lang en > docs/baseline.md "
            "(and --lang zh-HK > docs/baseline.zh-HK.md)",
        ]


def with_row(text: str, control_id: str) -> str:
    """``text`` (a framework file) with ``control_id: []`` as the last row of its ``controls``."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == "controls:"), None)
    if start is None:
        raise UsageError(f"no 'controls:' mapping in the framework file ({control_id} not added)")
    end = start + 1
    while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    if end > 0 and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    return "".join([*lines[:end], f"  {control_id}: []\n", *lines[end:]])
