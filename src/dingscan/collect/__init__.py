"""Collection: DingTalk answers in, one typed tenant snapshot out.

The section registry (:mod:`dingscan.collect.sections`) says what to collect and in what order:
sections that do not depend on each other are collected concurrently (the per-API pacing in the
client keeps each under its rate limit, so a scan takes about as long as its busiest API), a
section waits for the sections it declares it needs, and optional quota-counted evidence goes last.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection
from datetime import datetime
from typing import Any, TypeVar, cast

from dingscan.activity import DayCache
from dingscan.client.paging import Caller
from dingscan.collect.base import Progress, QuietProgress, ScanAborted, SectionRunner
from dingscan.collect.directory import DirectoryWalks
from dingscan.collect.lifecycle import DORMANCY_DAYS
from dingscan.collect.sections import REGISTRY, Collector, SectionSpec
from dingscan.snapshot import Section, SectionName, Snapshot

__all__ = ["Progress", "QuietProgress", "ScanAborted", "collect"]

T = TypeVar("T")


async def collect(
    client: Caller,
    *,
    as_of: datetime,
    corp_id: str | None,
    progress: Progress | None = None,
    dormant_days: int = DORMANCY_DAYS,
    activity_days: DayCache | None = None,
    needed: Collection[SectionName] | None = None,
) -> Snapshot:
    """Everything the baseline needs about the tenant, as of ``as_of``.

    ``dormant_days`` is the inactivity window (policy ``lifecycle.dormant_days``);
    ``activity_days``, the days' activity lists already held, taken instead of fetched (and
    given the days fetched); ``needed``,
    the sections the loaded checks require (None: all), spares a large tenant the one-call-per-
    department details when no check reads them.

    Raises :class:`ScanAborted` when DingTalk answered that no scan can succeed.
    """
    runner = SectionRunner(progress or QuietProgress())
    collection = _Collection(
        client, as_of, corp_id, runner, dormant_days=dormant_days, activity_days=activity_days, needed=needed
    )
    sections = await collection.run()
    if collection.runner.fatal is not None:
        raise ScanAborted(collection.runner.fatal.reason)
    return Snapshot(as_of=as_of, corp_id=corp_id, **{name.value: s for name, s in sections.items()})


class _Collection:
    """One scan's collection: the collectors' :class:`~dingscan.collect.sections.Context`."""

    def __init__(
        self,
        client: Caller,
        as_of: datetime,
        corp_id: str | None,
        runner: SectionRunner,
        *,
        dormant_days: int,
        activity_days: DayCache | None,
        needed: Collection[SectionName] | None,
    ) -> None:
        self.client = client
        self.as_of = as_of
        self.corp_id = corp_id
        self.runner = runner
        self.dormant_days = dormant_days
        self.activity_days = activity_days
        self.needed = needed
        self.directory = DirectoryWalks(client, details=needed is None or SectionName.DEPARTMENTS in needed)
        self._done: dict[SectionName, Section[Any]] = {}
        self._tasks: dict[SectionName, asyncio.Task[Section[Any]]] = {}
        self._shared: dict[str, asyncio.Task[Section[Any]]] = {}

    async def run(self) -> dict[SectionName, Section[Any]]:
        api = [(spec, spec.collect) for spec in REGISTRY if spec.collect is not None]
        try:
            async with asyncio.TaskGroup() as group:  # the runner catches every section's errors
                for spec, collector in api:
                    if not spec.deferred:
                        self._tasks[spec.name] = group.create_task(self._collect(spec, collector))
        finally:
            self.directory.cancel()
        for spec, collector in api:
            if spec.deferred:
                await self._collect(spec, collector)
        return self._done

    def section(self, name: SectionName) -> Section[Any]:
        return self._done[name]

    async def shared(self, area: str, collect: Callable[[], Awaitable[Section[T]]]) -> Section[T]:
        if area not in self._shared:
            self._shared[area] = asyncio.ensure_future(self.runner.run(area, collect))
        return cast(Section[T], await self._shared[area])

    async def _collect(self, spec: SectionSpec, collector: Collector) -> Section[Any]:
        for name in spec.depends_on + spec.narrowed_by:
            await self._tasks[name]
        if spec.derived:
            section = await collector(self)
        else:
            section = await self.runner.run(spec.label, lambda: collector(self))
        self._done[spec.name] = section
        return section
