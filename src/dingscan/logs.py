"""Structured logs on stderr (text for people, JSON for machines), scrubbed of every secret.

stdout belongs to results (the summary, or JSON with ``--json``), so logs never mix into what a
pipeline parses. The last processor passes the rendered line through the secret registry: even a
careless ``log.info(token=...)`` cannot leak a token.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, Literal

import structlog

from dingscan.redaction import SECRETS
from dingscan.report.terminal import for_terminal

LogFormat = Literal["text", "json"]


class _CurrentStderr:
    """Whatever ``sys.stderr`` is when a line is written (test runners and daemons swap it)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


class _ScrubbingRenderer:
    """Renders a log line, then blanks out every registered secret in it."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __call__(self, logger: Any, method: str, event_dict: Any) -> str:
        rendered = self._inner(logger, method, event_dict)
        return SECRETS.scrub(rendered.decode() if isinstance(rendered, bytes) else str(rendered))


def _neutralise_values(logger: Any, method: str, event_dict: Any) -> Any:
    """Text lines go to a terminal: tenant text in a value must not drive it (JSON escapes itself)."""
    return {k: for_terminal(v) if isinstance(v, str) else v for k, v in event_dict.items()}


def configure_logging(level: str = "warning", fmt: LogFormat = "text") -> None:
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info
            if fmt == "json"
            else structlog.processors.StackInfoRenderer(),
            *([] if fmt == "json" else [_neutralise_values]),
            _ScrubbingRenderer(renderer),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level.upper()]),
        logger_factory=structlog.PrintLoggerFactory(_CurrentStderr()),  # type: ignore[arg-type]
        cache_logger_on_first_use=False,
    )
