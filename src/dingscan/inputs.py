"""What a scan is judged against: the policy and the attestation file, with their fingerprints.

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

    @classmethod
    def load(cls, policy_path: Path | None = None, attestations_path: Path | None = None) -> JudgementInputs:
        if policy_path is None:
            policy = Policy()
            policy_file = InputFile("built-in defaults", policy.to_yaml())
        else:
            policy_file = InputFile(str(policy_path), read_text(policy_path, PolicyError))
            policy = Policy.parse(policy_file.text, policy_file.source)
        if attestations_path is None:
            return cls(policy, policy_file, None, None)
        attestations_file = InputFile(str(attestations_path), read_text(attestations_path, AttestationError))
        attestations = Attestations.parse(attestations_file.text, attestations_file.source)
        return cls(policy, policy_file, attestations, attestations_file)

    @classmethod
    def from_texts(cls, policy: InputFile, attestations: InputFile | None) -> JudgementInputs:
        return cls(
            Policy.parse(policy.text, policy.source),
            policy,
            Attestations.parse(attestations.text, attestations.source) if attestations else None,
            attestations,
        )

    def overridden_by(self, policy_path: Path | None, attestations_path: Path | None) -> JudgementInputs:
        """These inputs with either file replaced (a replay judged against other files)."""
        replaced = self
        if policy_path is not None:
            policy = JudgementInputs.load(policy_path)
            replaced = replace(replaced, policy=policy.policy, policy_file=policy.policy_file)
        if attestations_path is not None:
            attested = JudgementInputs.load(None, attestations_path)
            replaced = replace(
                replaced, attestations=attested.attestations, attestations_file=attested.attestations_file
            )
        return replaced

    def digests(self) -> dict[str, InputDigest]:
        files = {"policy": self.policy_file, "attestations": self.attestations_file}
        return {name: file.digest for name, file in files.items() if file is not None}
