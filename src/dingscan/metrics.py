"""``--metrics FILE``: the run's figures in Prometheus text format, for node_exporter's textfile
collector (or any scraper of such a file), so a scheduler can alert on a tenant that stopped
being scanned or that started to fail.

The file is rewritten whole each run, written to a temporary name and renamed as node_exporter
asks (or written through when it is a FIFO or device: :mod:`dingscan.fsutil`). A tenant that could not be scanned this time keeps its previous
``dingscan_last_success_timestamp_seconds``, read back from the old file: that gauge going stale
is the signal, so it must not vanish or reset.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from prometheus_client import CollectorRegistry, Gauge, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from dingscan.exitcodes import ExitCode
from dingscan.findings import FindingsDocument, Status
from dingscan.fsutil import atomic_write_bytes, is_regular_file

LAST_SUCCESS = "dingscan_last_success_timestamp_seconds"


@dataclass(frozen=True)
class TenantRun:
    tenant: str
    exit_code: ExitCode
    seconds: float
    document: FindingsDocument | None


def write_metrics(path: Path, runs: Sequence[TenantRun]) -> None:
    previous = _previous_successes(path)
    registry = CollectorRegistry()
    labels = ["tenant"]
    findings = Gauge(
        "dingscan_findings", "Controls by status in the last scan", [*labels, "status"], registry=registry
    )
    duration = Gauge(
        "dingscan_scan_duration_seconds", "Wall time of the last scan", labels, registry=registry
    )
    exit_code = Gauge(
        "dingscan_exit_code", "Exit code of the last scan (see dingscan --help)", labels, registry=registry
    )
    calls = Gauge(
        "dingscan_api_calls", "HTTP requests the last scan sent, retries included", labels, registry=registry
    )
    throttled = Gauge(
        "dingscan_api_throttled", "Too-fast answers (90018/90002) in the last scan", labels, registry=registry
    )
    success = Gauge(
        LAST_SUCCESS, "When the tenant was last scanned to the end (Unix time)", labels, registry=registry
    )
    now = time.time()
    for run in runs:
        duration.labels(run.tenant).set(run.seconds)
        exit_code.labels(run.tenant).set(int(run.exit_code))
        document = run.document
        if document is None:
            if run.tenant in previous:
                success.labels(run.tenant).set(previous[run.tenant])
            continue
        success.labels(run.tenant).set(now)
        for status in Status:
            findings.labels(run.tenant, status.value).set(document.summary.get(status, 0))
        if usage := document.scan.api_usage:
            calls.labels(run.tenant).set(usage.sent)
            throttled.labels(run.tenant).set(usage.throttled)
    atomic_write_bytes(path, generate_latest(registry))


def _previous_successes(path: Path) -> dict[str, float]:
    """Last-success times from the file an earlier run wrote; nothing if it is missing or unreadable."""
    if not is_regular_file(path):  # a FIFO or /dev/stdout holds no earlier run, and may block
        return {}
    try:
        text = path.read_text(encoding="utf-8")
        families = list(text_string_to_metric_families(text))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return {
        sample.labels["tenant"]: sample.value
        for family in families
        if family.name == LAST_SUCCESS
        for sample in family.samples
        if "tenant" in sample.labels
    }
