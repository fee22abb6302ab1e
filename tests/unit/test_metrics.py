"""``--metrics``: Prometheus text format per tenant, last success kept for a tenant that failed."""

from __future__ import annotations

from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from dingscan.exitcodes import ExitCode
from dingscan.findings import FindingsDocument, Status
from dingscan.metrics import TenantRun, write_metrics
from dingscan.resources import packaged_path


def samples(path: Path) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(path.read_text())
        for s in family.samples
    }


def test_metrics_per_tenant_and_a_failed_tenant_keeps_its_last_success(tmp_path: Path) -> None:
    document = FindingsDocument.model_validate_json(packaged_path("fixtures/demo/findings.json").read_bytes())
    path = tmp_path / "dingscan.prom"
    write_metrics(path, [TenantRun("acme", ExitCode.FAILURES, 12.5, document)])
    first = samples(path)
    fails = document.summary.get(Status.FAIL, 0)
    assert first[("dingscan_findings", (("status", "FAIL"), ("tenant", "acme")))] == fails > 0
    assert first[("dingscan_scan_duration_seconds", (("tenant", "acme"),))] == 12.5
    assert first[("dingscan_exit_code", (("tenant", "acme"),))] == 1
    assert document.scan.api_usage is not None
    assert first[("dingscan_api_calls", (("tenant", "acme"),))] == document.scan.api_usage.sent
    assert ("dingscan_api_throttled", (("tenant", "acme"),)) in first
    success = first[("dingscan_last_success_timestamp_seconds", (("tenant", "acme"),))]

    write_metrics(path, [TenantRun("acme", ExitCode.FATAL, 0.3, None)])
    second = samples(path)
    assert second[("dingscan_last_success_timestamp_seconds", (("tenant", "acme"),))] == success
    assert second[("dingscan_exit_code", (("tenant", "acme"),))] == 4
    assert not any(name == "dingscan_findings" for name, _ in second)
