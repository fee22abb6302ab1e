"""The demo bundle's recorded findings document, for tests of what is built from a document."""

from __future__ import annotations

from functools import cache

from dingscan.evidence import read_bundle
from dingscan.findings import Finding, FindingsDocument
from dingscan.resources import packaged_path


@cache
def demo_document() -> FindingsDocument:
    return FindingsDocument.model_validate_json(read_bundle(packaged_path("fixtures/demo")).findings_json)


def with_findings(findings: list[Finding]) -> FindingsDocument:
    """The demo document reduced to ``findings``, its summary recounted."""
    return demo_document().model_copy(
        update={"findings": findings, "summary": FindingsDocument.summarise(findings)}
    )
