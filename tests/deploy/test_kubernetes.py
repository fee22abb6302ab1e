"""deploy/kubernetes: valid against the Kubernetes OpenAPI schemas (offline), and hardened."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from dingscan.fleet.tenants import TenantsFile

KUBERNETES = Path(__file__).parents[2] / "deploy" / "kubernetes"
VERSION = "1.30"  # the oldest Kubernetes the manifests use fields of (Job backoffLimitPerIndex)
MANIFESTS = sorted(p for p in KUBERNETES.glob("*.yaml") if p.name != "kustomization.yaml")


def documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifest_validates_strictly(path: Path) -> None:
    for document in documents(path):
        kubernetes_validate.validate(document, VERSION, strict=True)


def test_kustomization_lists_files_that_exist() -> None:
    kustomization = documents(KUBERNETES / "kustomization.yaml")[0]
    assert all((KUBERNETES / name).is_file() for name in kustomization["resources"])
    assert "secret.example.yaml" not in kustomization["resources"]


def pod_specs() -> list[dict[str, Any]]:
    cronjob = documents(KUBERNETES / "cronjob.yaml")[0]
    job = documents(KUBERNETES / "indexed-job.yaml")[0]
    return [cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"], job["spec"]["template"]["spec"]]


@pytest.mark.parametrize("pod", pod_specs(), ids=["cronjob", "indexed-job"])
def test_pods_are_non_root_read_only_without_capabilities(pod: dict[str, Any]) -> None:
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert pod["automountServiceAccountToken"] is False
    (container,) = pod["containers"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert {"requests", "limits"} <= container["resources"].keys()
    writable = {m["mountPath"] for m in container["volumeMounts"] if not m.get("readOnly")}
    assert writable == {"/out", "/state", "/tmp"}  # noqa: S108 - an emptyDir, private to the pod


def test_cronjob_never_overlaps_and_is_bounded() -> None:
    spec = documents(KUBERNETES / "cronjob.yaml")[0]["spec"]
    assert spec["concurrencyPolicy"] == "Forbid"
    assert spec["jobTemplate"]["spec"]["backoffLimit"] >= 0
    assert spec["jobTemplate"]["spec"]["activeDeadlineSeconds"] > 0


def test_indexed_job_shards_by_completion_index() -> None:
    spec = documents(KUBERNETES / "indexed-job.yaml")[0]["spec"]
    args = spec["template"]["spec"]["containers"][0]["args"]
    assert spec["completionMode"] == "Indexed"
    assert f"--shard=$(SHARD)/{spec['completions']}" in args


def test_network_policy_allows_only_dns_and_https_out() -> None:
    spec = documents(KUBERNETES / "networkpolicy.yaml")[0]["spec"]
    assert spec["ingress"] == [] and set(spec["policyTypes"]) == {"Ingress", "Egress"}
    ports = {(p["protocol"], p["port"]) for rule in spec["egress"] for p in rule["ports"]}
    assert ports == {("UDP", 53), ("TCP", 53), ("TCP", 443)}


def test_the_configmaps_tenants_file_parses(tmp_path: Path) -> None:
    data = documents(KUBERNETES / "configmap.yaml")[0]["data"]
    (tmp_path / "tenants.yaml").write_text(data["tenants.yaml"])
    assert [t.name for t in TenantsFile.load(tmp_path / "tenants.yaml").tenants] == [
        "hk-trading",
        "sz-factory",
    ]
