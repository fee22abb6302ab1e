import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dingscan.client.endpoints import Host
from dingscan.evidence import BundleError, read_bundle, verify_bundle, write_bundle
from dingscan.evidence.exchange import Exchange, RecordedRequest, RecordedResponse
from dingscan.inputs import InputFile
from factories import findings_document

WHEN = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
FINDINGS = findings_document(corp_id="dingx", when=WHEN).model_dump_json()


def exchanges() -> list[Exchange]:
    request = RecordedRequest(host=Host.OAPI, method="POST", path="/topapi/user/listadmin", query={}, body={})
    response = RecordedResponse(status=200, content_type="application/json", text='{"errcode":0,"result":[]}')
    return [Exchange(seq=0, request=request, response=response)]


def make(path: Path) -> Path:
    write_bundle(
        path,
        exchanges=exchanges(),
        recorded_at=WHEN,
        corp_id="dingx",
        org_name="Org",
        inputs={"policy": InputFile("policy.yaml", "corporate_domains: []\n")},
        findings_json=FINDINGS,
    )
    return path


def test_written_bundle_reads_back(tmp_path: Path) -> None:
    bundle = read_bundle(make(tmp_path / "b"))
    assert bundle.manifest.recorded_at == WHEN
    assert bundle.exchanges == exchanges()
    assert set(bundle.manifest.files) == {"exchanges.jsonl", "policy.yaml", "findings.json"}


def test_bundle_files_are_owner_only(tmp_path: Path) -> None:
    path = make(tmp_path / "b")
    assert stat.S_IMODE(path.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in path.iterdir())


def test_tampered_file_is_named(tmp_path: Path) -> None:
    path = make(tmp_path / "b")
    with (path / "exchanges.jsonl").open("a") as handle:
        handle.write("\n")
    with pytest.raises(BundleError, match=r"exchanges\.jsonl does not match its SHA-256"):
        verify_bundle(path)


def test_missing_file_and_missing_manifest(tmp_path: Path) -> None:
    path = make(tmp_path / "b")
    (path / "policy.yaml").unlink()
    with pytest.raises(BundleError, match=r"policy\.yaml is missing"):
        verify_bundle(path)
    (path / "manifest.json").unlink()
    with pytest.raises(BundleError, match=r"no manifest\.json"):
        verify_bundle(path)


def test_existing_bundle_is_never_overwritten(tmp_path: Path) -> None:
    path = make(tmp_path / "b")
    with pytest.raises(FileExistsError):
        make(path)


def test_interrupted_write_leaves_nothing_that_looks_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dingscan.evidence.bundle as bundle_module

    def explode(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(bundle_module, "atomic_write_bytes", explode)
    with pytest.raises(KeyboardInterrupt):
        make(tmp_path / "b")
    assert list(tmp_path.iterdir()) == []


def test_manifest_is_plain_json_with_hashes(tmp_path: Path) -> None:
    manifest = json.loads((make(tmp_path / "b") / "manifest.json").read_text())
    assert manifest["format"] == "dingscan-bundle"
    assert all(len(h) == 64 for h in manifest["files"].values())
