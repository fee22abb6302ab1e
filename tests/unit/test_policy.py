from pathlib import Path

import pytest

from dingscan.policy import Policy, PolicyError, on_domains


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_the_catalogues() -> None:
    policy = Policy()
    assert (policy.admins.primary_min, policy.admins.primary_max, policy.admins.sub_max) == (1, 3, 10)
    assert "gmail.com" in policy.webmail_domains and "qq.com" in policy.webmail_domains


def test_loads_and_normalises_domains(tmp_path: Path) -> None:
    policy = Policy.load(write(tmp_path, "corporate_domains: ['@HarbourFintech.HK']\n"))
    assert policy.corporate_domains == ["harbourfintech.hk"]


def test_unknown_key_names_key_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "corporate_domains: [a.hk]\nadmins:\n  primary_mx: 3\n")
    with pytest.raises(PolicyError) as err:
        Policy.load(path)
    assert str(err.value) == f"{path}:3: admins.primary_mx: unknown key"


def test_impossible_bounds_are_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "admins:\n  primary_min: 4\n  primary_max: 2\n")
    with pytest.raises(PolicyError, match="primary_max is below primary_min"):
        Policy.load(path)


def test_wrong_type_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match=r":2: admins\.sub_max: Input should be a valid integer"):
        Policy.load(write(tmp_path, "admins:\n  sub_max: many\n"))


def test_invalid_yaml_and_missing_file_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="not valid YAML"):
        Policy.load(write(tmp_path, "admins: [\n"))
    with pytest.raises(PolicyError, match="cannot read"):
        Policy.load(tmp_path / "nope.yaml")


def test_round_trips_through_yaml() -> None:
    policy = Policy(corporate_domains=["a.hk"])
    assert Policy.parse(policy.to_yaml(), "x") == policy


@pytest.mark.parametrize(
    ("address", "expected"),
    [("a@corp.hk", True), ("a@mail.corp.hk", True), ("a@evilcorp.hk", False), ("a@CORP.HK", True)],
)
def test_domain_matching_includes_subdomains_only(address: str, expected: bool) -> None:
    assert on_domains(address, ["corp.hk"]) is expected


def test_conflicting_pair_of_one_role_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="names '财务' twice"):
        Policy.load(write(tmp_path, "conflicting_roles:\n  - [财务, 财务]\n"))
