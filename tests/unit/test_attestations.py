from datetime import date
from pathlib import Path

import pytest

from dingscan.attestations import AttestationError, Attestations

WHO = "attested_by: Jane Chan\n  attested_on: 2026-10-01\n  evidence: ISMS-1\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "att.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_validity_defaults_depend_on_how_fast_the_fact_goes_stale(tmp_path: Path) -> None:
    text = (
        f"staff_notice:\n  answer: yes\n  {WHO}"
        f"backups:\n  last_done_on: 2026-09-30\n  {WHO}"
        f"security_training:\n  last_done_on: 2026-09-30\n  attendance_kept: true\n  {WHO}"
    )
    att = Attestations.load(write(tmp_path, text))
    assert att.staff_notice is not None and att.staff_notice.valid_until == date(2027, 10, 1)
    assert att.backups is not None and att.backups.valid_until == date(2026, 11, 1)
    assert att.security_training is not None and att.security_training.valid_until == date(2027, 1, 1)


def test_explicit_expiry_wins(tmp_path: Path) -> None:
    att = Attestations.load(
        write(tmp_path, f"staff_notice:\n  answer: yes\n  expires_on: 2026-12-31\n  {WHO}")
    )
    assert att.staff_notice is not None and att.staff_notice.expired(date(2027, 1, 1))


def test_unknown_key_names_file_line_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, f"staff_notice:\n  answer: yes\n  signed: yes\n  {WHO}")
    with pytest.raises(AttestationError) as err:
        Attestations.load(path)
    assert str(err.value) == f"{path}:3: staff_notice.signed: unknown key"


def test_statement_without_who_or_evidence_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(AttestationError, match=r"staff_notice\.attested_by: Field required"):
        Attestations.load(write(tmp_path, "staff_notice:\n  answer: yes\n"))


def test_register_entries_are_validated(tmp_path: Path) -> None:
    text = "approved_apps:\n  - app_id: not-a-number\n    name: CRM\n    approved_by: J\n    reviewed_on: 2026-01-01\n"
    with pytest.raises(AttestationError, match=r":2: approved_apps\.0\.app_id"):
        Attestations.load(write(tmp_path, text))


def test_temporary_grant_must_name_what_it_granted(tmp_path: Path) -> None:
    text = "temporary_access:\n  - userid: c1\n    granted_on: 2026-11-01\n    expires_on: 2026-11-08\n    approved_by: J\n"
    with pytest.raises(AttestationError, match="names the role or the dept_id"):
        Attestations.load(write(tmp_path, text))


@pytest.mark.parametrize("written", ["20261101", "2026-13-01", "01/11/2026", "'1 Nov 2026'"])
def test_a_date_not_written_as_yyyy_mm_dd_is_named_with_file_and_line(tmp_path: Path, written: str) -> None:
    path = write(tmp_path, f"staff_notice:\n  answer: yes\n  {WHO.replace('2026-10-01', written)}")
    with pytest.raises(AttestationError) as err:
        Attestations.load(path)
    assert str(err.value).startswith(f"{path}:4: staff_notice.attested_on: expected a date as YYYY-MM-DD")


def test_an_attestation_dated_in_the_future_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, f"staff_notice:\n  answer: yes\n  {WHO.replace('2026-10-01', '2099-01-01')}")
    with pytest.raises(AttestationError, match=r":4: staff_notice\.attested_on: 2099-01-01 is in the future"):
        Attestations.load(path)
