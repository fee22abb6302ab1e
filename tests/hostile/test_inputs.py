"""Input files and bundles from someone else: no YAML alias bombs, no unbounded files."""

from __future__ import annotations

from pathlib import Path

import pytest

import dingscan.yamlfile as yamlfile
from dingscan.errors import ConfigError
from dingscan.policy import Policy, PolicyError
from dingscan.settings import load_settings

#: A billion laughs in miniature (tests/unit/test_bundle_safety.py carries it in a bundle): each level doubles; harmless in size, refused on principle.
ALIAS_BOMB = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nbreak_glass_accounts: *c\n"


def test_yaml_aliases_are_refused_in_every_input_file(tmp_path: Path) -> None:
    with pytest.raises(
        PolicyError, match=r"policy\.yaml:2: not valid YAML: YAML aliases \(\*name\) are not allowed"
    ):
        Policy.parse(ALIAS_BOMB, "policy.yaml")
    config = tmp_path / "config.yaml"
    config.write_text("qps: &q 10\ntimeout: *q\n")
    with pytest.raises(ConfigError, match="aliases"):
        load_settings(config)


def test_an_input_file_over_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlfile, "MAX_INPUT_BYTES", 64)
    policy = tmp_path / "policy.yaml"
    policy.write_text("corporate_domains: [" + ", ".join(["example.hk"] * 20) + "]\n")
    with pytest.raises(PolicyError, match="larger than"):
        Policy.load(policy)
