"""Compliance frameworks as data: one YAML file per framework maps controls to its references.

The files live in the project's ``frameworks/`` folder (shipped in the wheel beside the built-in
checks), as Prowler keeps its compliance JSON: adding a framework is adding a file. Each file
names every control of the built-in pack, mapped (with, where the framework is law, the basis of
each mapping) or explicitly not (an empty list). A finding's ``references`` and the baseline
document's mappings are read from here; loading validates the files against the checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dingscan.errors import UserError
from dingscan.resources import packaged_path
from dingscan.yamlfile import parse_model, read_text


class FrameworkError(UserError, ValueError):
    """A framework file that cannot be used; the message is one line naming the file."""


class Reference(BaseModel):
    """One reference of a control in a framework, and why it applies."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ref: str
    basis: str | None = Field(default=None, description="What in the framework's text supports it")


class Framework(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="The key of its references in findings")
    name: str = Field(description="As the baseline document prints it, e.g. 'ISO/IEC 27001:2022'")
    title: str
    order: int = Field(description="Where it comes in the baseline document's mappings")
    source: str | None = None
    basis_required: bool = Field(default=False, description="Every mapping must say what supports it")
    controls: dict[str, list[Reference]]

    @field_validator("controls", mode="before")
    @classmethod
    def _plain_refs(cls, value: object) -> object:
        """``DT.IDN.1: [DPP4]`` is short for ``[{ref: DPP4}]``."""
        if not isinstance(value, dict):
            return value
        return {
            control: [{"ref": r} if isinstance(r, str) else r for r in refs]
            if isinstance(refs, list)
            else refs
            for control, refs in value.items()
        }

    def references(self, control_id: str) -> list[str]:
        return [r.ref for r in self.controls.get(control_id, [])]

    def problems(self, control_ids: Iterable[str]) -> list[str]:
        """What keeps this file from covering exactly these controls."""
        expected, mapped = set(control_ids), set(self.controls)
        problems = [f"unknown control {c}" for c in sorted(mapped - expected)]
        problems += [
            f"{c} is neither mapped nor listed as not mapped ([])" for c in sorted(expected - mapped)
        ]
        if self.basis_required:
            problems += [
                f"{c} {r.ref} has no basis" for c, refs in self.controls.items() for r in refs if not r.basis
            ]
        return problems


def frameworks_dir() -> Path:
    return packaged_path("frameworks")


def load_frameworks(directory: Path | None = None) -> list[Framework]:
    """Every framework file, in baseline order; a duplicate id is an error."""
    found: dict[str, Framework] = {}
    for path in sorted((directory or frameworks_dir()).glob("*.yaml")):
        framework = parse_model(Framework, read_text(path, FrameworkError), str(path), FrameworkError)
        if framework.id in found:
            raise FrameworkError(f"{path}: framework id {framework.id!r} is used twice")
        found[framework.id] = framework
    return sorted(found.values(), key=lambda f: f.order)


@cache
def builtin_frameworks() -> tuple[Framework, ...]:
    return tuple(load_frameworks())


def validate_frameworks(frameworks: Iterable[Framework], control_ids: Iterable[str]) -> None:
    """Each framework must name exactly these controls (the built-in pack)."""
    ids = list(control_ids)
    for framework in frameworks:
        if problems := framework.problems(ids):
            raise FrameworkError(f"framework {framework.id}: {'; '.join(problems)}")


def references_for(control_id: str, frameworks: Iterable[Framework] | None = None) -> dict[str, list[str]]:
    """A finding's ``references``: the control's references in every framework, by framework id."""
    return {
        f.id: f.references(control_id) for f in (builtin_frameworks() if frameworks is None else frameworks)
    }


def reference_labels(references: Mapping[str, list[str]]) -> list[str]:
    """A finding's references as reports print them: 'PDPO DPP4', 'ISO/IEC 27001:2022 A.5.15', ..."""
    names = {f.id: f.name for f in builtin_frameworks()}
    return [f"{names.get(fid, fid)} {ref}" for fid, refs in references.items() for ref in refs]


def framework_named(framework_id: str) -> Framework:
    by_id: Mapping[str, Framework] = {f.id: f for f in builtin_frameworks()}
    if framework_id not in by_id:
        raise FrameworkError(f"unknown framework {framework_id!r}; known: {', '.join(by_id)}")
    return by_id[framework_id]
