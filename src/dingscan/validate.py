"""``dingscan validate``: every problem of the user's files at once, offline, with file and line.

A scan stops at the first bad line (one line on stderr); someone editing a policy wants the whole
list before the next try. The config file is read like a scan reads it (environment included),
and the policy, attestation and exceptions files it names are checked too.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from dingscan.attestations import AttestationError, Attestations
from dingscan.errors import ConfigError
from dingscan.policy import Policy, PolicyError
from dingscan.risks import Exceptions, ExceptionsError
from dingscan.settings import config_problems, load_settings
from dingscan.yamlfile import problems_in, read_text


def validate_files(
    config: Path | None, policy: Path | None, attestations: Path | None, exceptions: Path | None = None
) -> dict[str, list[str]]:
    """File name -> its problems (empty when valid), in the order config, policy, attestations,
    exceptions."""
    report: dict[str, list[str]] = {}
    if config is not None:
        try:
            report[str(config)] = config_problems(config)
            if not report[str(config)]:
                settings = load_settings(config)
                policy, attestations = policy or settings.policy, attestations or settings.attestations
                exceptions = exceptions or settings.exceptions
        except ConfigError as exc:
            report[str(config)] = [str(exc)]
    if policy is not None:
        report[str(policy)] = _problems(Policy, policy, PolicyError)
    if attestations is not None:
        report[str(attestations)] = _problems(Attestations, attestations, AttestationError)
    if exceptions is not None:
        report[str(exceptions)] = _problems(Exceptions, exceptions, ExceptionsError)
    return report


def _problems(model: type[BaseModel], path: Path, error: type[ValueError]) -> list[str]:
    try:
        return problems_in(model, read_text(path, error), str(path))
    except ValueError as exc:
        return [str(exc)]
