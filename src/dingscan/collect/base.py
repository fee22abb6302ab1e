"""What every collector area shares: turning DingTalk errors into a section's "why not".

An area's coroutine returns a :class:`Section`; this runner catches what DingTalk answered
instead of data and records it as the reason, so checks fail closed with a sentence a person can
act on. Errors that make the whole scan meaningless (bad credentials, banned IP) are kept aside
and end the scan after the other areas have stopped.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

import structlog

from dingscan.client.errors import DingTalkError, NotEnabled, one_line
from dingscan.errors import FatalError
from dingscan.snapshot import Section, SectionStatus

log = structlog.get_logger(__name__)
T = TypeVar("T")


class Progress(Protocol):
    """Where the collector reports what it is doing (a terminal line, or nothing)."""

    def started(self, area: str) -> None: ...

    def finished(self, area: str, section: Section[Any]) -> None: ...


class QuietProgress:
    def started(self, area: str) -> None:
        pass

    def finished(self, area: str, section: Section[Any]) -> None:
        pass


class ScanAborted(FatalError):
    """DingTalk said no scan can succeed (credentials, IP allow-list, IP ban)."""


class SectionRunner:
    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self.fatal: DingTalkError | None = None

    async def run(self, area: str, collect: Callable[[], Awaitable[Section[T]]]) -> Section[T]:
        self._progress.started(area)
        section = await self._guarded(area, collect)
        log.info("section collected", area=area, status=section.status.value, reason=section.reason)
        self._progress.finished(area, section)
        return section

    async def _guarded(self, area: str, collect: Callable[[], Awaitable[Section[T]]]) -> Section[T]:
        try:
            return await collect()
        except NotEnabled as error:
            return Section[T].failed(error.reason, SectionStatus.NOT_APPLICABLE)
        except DingTalkError as error:
            if error.fatal and self.fatal is None:
                self.fatal = error
            return Section[T].failed(error.reason)
        except Exception as error:
            # Any other failure means an answer dingscan cannot read (odd types, absurd numbers,
            # a list of strings where objects were documented): fail this section, not the scan.
            # One line at warning level (the section's reason says the same); the traceback is for
            # whoever debugs the parser, and a hostile answer could make it as long as it likes.
            log.warning("unreadable answer", area=area, error=f"{type(error).__name__}: {_first_line(error)}")
            log.debug("unreadable answer: traceback", area=area, exc_info=True)
            return Section[T].failed(
                f"DingTalk's answer for {area} could not be read: {type(error).__name__}: {_first_line(error)}"
            )


def _first_line(error: Exception) -> str:
    lines = str(error).splitlines()
    return one_line(lines[0]) if lines else "no detail"


def from_epoch_ms(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC)
    except (OverflowError, OSError) as exc:
        raise ValueError(f"{value!r} is not a plausible time in epoch milliseconds") from exc


def as_bool(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def id_list(value: Any, field: str) -> list[int]:
    """Numeric ids from a list field. DingTalk's doc examples write such a list as JSON text
    (``"dept_id_list": "[2,3,4]"``): that text is read as the list it spells. Any other text is
    refused, never iterated character by character (``"[2,3]"`` is not the ids ``[``, ``2``...)."""
    if value is None:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValueError(f"{field} is text that does not spell a list of ids") from None
    if not isinstance(value, list):
        raise ValueError(f"{field} is not a list of ids")
    return [int(item) for item in value]


def partner_corp_id(value: Any, own_corp_id: str | None) -> str | None:
    """``value`` as a partner organisation's corp_id: None when absent or the tenant's own, so a
    tenant is never named as its own partner."""
    if value in (None, ""):
        return None
    corp_id = str(value)
    return None if corp_id == own_corp_id else corp_id
