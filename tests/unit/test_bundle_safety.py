"""Bundles from someone else: nothing in one may reach outside its folder or past its limits."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from test_bundle import make

import dingscan.evidence.bundle as bundle_module
from dingscan.cli import main
from dingscan.evidence import BundleError, read_bundle, verify_bundle
from dingscan.evidence.bundle import sha256
from dingscan.evidence.errors import UnsafeBundle
from dingscan.exitcodes import ExitCode


def rewrite_manifest(path: Path, change: Any) -> None:
    manifest = json.loads((path / "manifest.json").read_text())
    change(manifest)
    (path / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize("name", ["../outside.txt", "/etc/hostname", "/dev/zero", "sub/file", "notes.txt"])
def test_a_manifest_may_name_only_the_bundle_s_own_files(tmp_path: Path, name: str) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("a file the bundle must not reach")
    path = make(tmp_path / "b")
    rewrite_manifest(path, lambda m: m["files"].update({name: sha256(outside.read_bytes())}))
    with pytest.raises(UnsafeBundle, match="not a valid manifest"):
        verify_bundle(path)  # before: an oracle for whether the file exists and matches a hash
    with pytest.raises(UnsafeBundle):
        read_bundle(path, allow_unverified=True)  # the flag forgives a changed file, not a path


def test_a_manifest_that_pins_no_files_or_repeats_a_key_is_refused(tmp_path: Path) -> None:
    path = make(tmp_path / "b")
    rewrite_manifest(path, lambda m: m.update(files={}))
    with pytest.raises(UnsafeBundle, match=r"does not pin exchanges\.jsonl"):
        read_bundle(path, allow_unverified=True)
    path = make(tmp_path / "c")
    text = (path / "manifest.json").read_text()
    (path / "manifest.json").write_text(text.replace('"corp_id"', '"org_name": "Other", "corp_id"', 1))
    with pytest.raises(UnsafeBundle, match="duplicate JSON key 'org_name'"):
        verify_bundle(path)


def test_a_symlinked_bundle_file_is_refused_even_when_unverified_is_allowed(tmp_path: Path) -> None:
    path = make(tmp_path / "b")
    target = tmp_path / "elsewhere.yaml"
    target.write_bytes((path / "policy.yaml").read_bytes())  # same bytes: the hash would match
    (path / "policy.yaml").unlink()
    (path / "policy.yaml").symlink_to(target)
    with pytest.raises(UnsafeBundle, match="symbolic link"):
        read_bundle(path, allow_unverified=True)


def test_a_fifo_in_a_bundle_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    path = make(tmp_path / "b")
    (path / "exchanges.jsonl").unlink()
    os.mkfifo(path / "exchanges.jsonl")
    errors: list[Exception] = []

    def verify() -> None:
        try:
            verify_bundle(path)
        except Exception as exc:
            errors.append(exc)

    worker = threading.Thread(target=verify, daemon=True)  # before: blocked forever in open()
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # release the reader the old code left blocked on the FIFO
        with (path / "exchanges.jsonl").open("w"):
            pass
        pytest.fail("reading the bundle hung on a FIFO")
    assert len(errors) == 1 and isinstance(errors[0], UnsafeBundle) and "not a regular file" in str(errors[0])


def test_a_file_over_its_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make(tmp_path / "b")
    monkeypatch.setitem(bundle_module.MAX_BYTES, "exchanges.jsonl", 16)
    with pytest.raises(UnsafeBundle, match=r"exchanges\.jsonl is larger than its limit of 16 bytes"):
        read_bundle(path, allow_unverified=True)


def test_the_signature_is_checked_first_and_its_failure_reported_first(tmp_path: Path) -> None:
    """Before: every file was read and hashed, and a tampered file reported, before the signature."""
    path = make(tmp_path / "b")
    (path / "manifest.sig").write_text("c2lnbmF0dXJl\n")
    with (path / "exchanges.jsonl").open("a") as handle:
        handle.write("\n")
    with pytest.raises(BundleError, match="signature does not verify"):
        verify_bundle(path, lambda manifest, signature: False)


def test_a_corrupt_findings_file_is_a_one_line_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make(tmp_path / "b")
    (path / "findings.json").write_text('{"schema_version": 1}')
    rewrite_manifest(path, lambda m: m["files"].update({"findings.json": sha256(b'{"schema_version": 1}')}))
    assert main(["replay", str(path)]) == ExitCode.USAGE
    error = capsys.readouterr().err.strip()
    assert "\n" not in error and "findings.json is unreadable" in error and "internal error" not in error


def test_a_bundle_carrying_a_yaml_alias_bomb_is_refused_before_replay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nbreak_glass_accounts: *b\n"
    path = make(tmp_path / "b")
    (path / "policy.yaml").write_text(bomb)
    rewrite_manifest(path, lambda m: m["files"].update({"policy.yaml": sha256(bomb.encode())}))
    assert main(["replay", str(path)]) == ExitCode.USAGE
    assert "YAML aliases (*name) are not allowed" in capsys.readouterr().err
