"""Live progress on stderr while a scan collects, so a long scan is visibly alive.

Shown only on a terminal and without ``--quiet``; scheduled jobs and pipes get nothing.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from dingscan.redaction import SECRETS
from dingscan.report.terminal import for_terminal
from dingscan.snapshot import Section, SectionStatus


class TerminalProgress:
    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self._stream = stream
        self._started: dict[str, float] = {}

    def started(self, area: str) -> None:
        self._started[area] = time.monotonic()

    def finished(self, area: str, section: Section[Any]) -> None:
        elapsed = time.monotonic() - self._started.pop(area, time.monotonic())
        size = f"{len(section.data)} records" if isinstance(section.data, list) else ""
        mark = "ok" if section.status is SectionStatus.COLLECTED else section.status.value
        reason = (
            f" - {section.reason}" if section.reason and section.status is not SectionStatus.COLLECTED else ""
        )
        line = f"  {area:<18} {mark:<14} {size:<14} {elapsed:5.1f}s{reason}"
        self._stream.write(for_terminal(SECRETS.scrub(line)) + "\n")
        self._stream.flush()
