"""The check contract, checked when a check loads rather than when a scan is half-way.

A check pack that breaks it is refused as a whole, with one line naming the file and the class:
a scan never starts with a check that would abort it, silently skip itself or ask for data the
snapshot does not have.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from dingscan.attestations import Attestations
from dingscan.attested import AttestedCheck
from dingscan.check import CONTROL_ID, Check, CheckMetadata
from dingscan.snapshot import SectionName

#: The class attributes naming snapshot sections, and whether a check must declare it (``requires``
#: may be empty: a section read without being declared still fails closed, through ``get()``).
SECTION_DECLARATIONS = {"requires": True, "enriches": False, "supports": False}


def contract_problems(check_class: type[Check], path: Path | None, *, builtin: bool) -> list[str]:
    """Everything wrong with ``check_class`` as a check; empty when it may be loaded."""
    if inspect.isabstract(check_class):
        missing = ", ".join(sorted(check_class.__abstractmethods__))
        return [f"does not implement {missing}"] if "metadata" in vars(check_class) else []
    metadata = getattr(check_class, "metadata", None)
    if not isinstance(metadata, CheckMetadata):
        return ["has no metadata (a CheckMetadata with control ID, title, severity, ...)"]
    problems = [
        _sections_problem(check_class, attribute, needed)
        for attribute, needed in SECTION_DECLARATIONS.items()
    ]
    declared = [name for attribute in SECTION_DECLARATIONS for name in getattr(check_class, attribute, ())]
    if len(declared) != len(set(declared)):
        problems.append("names a section twice across requires, enriches and supports")
    if not CONTROL_ID.match(metadata.control_id):
        problems.append(f"control id {metadata.control_id!r} is not of the form DT.ABC.1")
    if issubclass(check_class, AttestedCheck):
        key = getattr(check_class, "attestation", None)
        if key not in Attestations.model_fields:
            problems.append(f"attestation key {key!r} is not a key of the attestation file")
    if builtin and path is not None and path.stem != metadata.control_id.lower().replace(".", "_"):
        problems.append(f"defines {metadata.control_id}, so its file must be named {_file_name(metadata)}")
    return [p for p in problems if p]


def _sections_problem(check_class: type[Check], attribute: str, needed: bool) -> str:
    value: Any = getattr(check_class, attribute, None)
    if value is None:
        return f"declares no {attribute} (the snapshot sections it reads)" if needed else ""
    if not isinstance(value, tuple) or not all(isinstance(name, SectionName) for name in value):
        known = ", ".join(s.value for s in SectionName)
        return f"{attribute} must be a tuple of SectionName members ({known}), not {value!r}"
    return ""


def _file_name(metadata: CheckMetadata) -> str:
    return metadata.control_id.lower().replace(".", "_") + ".py"
