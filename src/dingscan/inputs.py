"""What a scan is judged against: the policy, attestation and exceptions files, with fingerprints.

An auditor must know exactly which parameters and which signed-off statements produced a set of
findings, so the SHA-256 of each file is written into the findings, and a fixture bundle carries
the files themselves: a replay is judged against the same inputs unless told otherwise.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from dingscan.attestations import AttestationError, Attestations
from dingscan.findings import InputDigest
from dingscan.policy import Policy, PolicyError
from dingscan.risks import Exceptions, ExceptionsError
from dingscan.yamlfile import read_text


@dataclass(frozen=True)
class InputFile:
    source: str
    text: str

    @property
    def digest(self) -> InputDigest:
        return InputDigest(source=self.source, sha256=hashlib.sha256(self.text.encode("utf-8")).hexdigest())


@dataclass(frozen=True)
class JudgementInputs:
    policy: Policy
    policy_file: InputFile
    attestations: Attestations | None  # None: no attestation file was given
    attestations_file: InputFile | None
    exceptions: Exceptions | None = None  # None: no exceptions file was given
    exceptions_file: InputFile | None = None

    @classmethod
    def load(
        cls,
        policy_path: Path | None = None,
        attestations_path: Path | None = None,
        exceptions_path: Path | None = None,
    ) -> JudgementInputs:
        policy_file = _read(policy_path, PolicyError) or InputFile("built-in defaults", Policy().to_yaml())
        return cls.from_texts(
            policy_file, _read(attestations_path, AttestationError), _read(exceptions_path, ExceptionsError)
        )

    @classmethod
    def from_texts(
        cls, policy: InputFile, attestations: InputFile | None, exceptions: InputFile | None = None
    ) -> JudgementInputs:
        return cls(
            Policy.parse(policy.text, policy.source),
            policy,
            Attestations.parse(attestations.text, attestations.source) if attestations else None,
            attestations,
            Exceptions.parse(exceptions.text, exceptions.source) if exceptions else None,
            exceptions,
        )

    def overridden_by(
        self, policy_path: Path | None, attestations_path: Path | None, exceptions_path: Path | None = None
    ) -> JudgementInputs:
        """These inputs with any file replaced (a replay judged against other files)."""
        replaced = self
        if policy_path is not None:
            policy = JudgementInputs.load(policy_path)
            replaced = replace(replaced, policy=policy.policy, policy_file=policy.policy_file)
        if attestations_path is not None:
            attested = JudgementInputs.load(None, attestations_path)
            replaced = replace(
                replaced, attestations=attested.attestations, attestations_file=attested.attestations_file
            )
        if exceptions_path is not None:
            accepted = JudgementInputs.load(None, None, exceptions_path)
            replaced = replace(
                replaced, exceptions=accepted.exceptions, exceptions_file=accepted.exceptions_file
            )
        return replaced

    def files(self) -> dict[str, InputFile]:
        """The input files by role ('policy', 'attestations', 'exceptions'), those given."""
        files = {
            "policy": self.policy_file,
            "attestations": self.attestations_file,
            "exceptions": self.exceptions_file,
        }
        return {name: file for name, file in files.items() if file is not None}

    def digests(self) -> dict[str, InputDigest]:
        return {name: file.digest for name, file in self.files().items()}


def _read(path: Path | None, error: type[ValueError]) -> InputFile | None:
    return None if path is None else InputFile(str(path), read_text(path, error))
