"""Per-day activity lists kept across scans, so a daily re-scan fetches one day instead of thirty.

Who did (or did not) log in on a past day never changes, and DingTalk keeps thirty such days:
a scan with a state directory stores each day it fetched, and the next scan takes the days
already held and fetches only the new one. :class:`ActivityDays` is the store's side of this,
kept apart from :class:`~dingscan.state.StateStore` so a backend may leave it out (the scan then
fetches every day, as without a state). :class:`DayCache` is one scan's side: the days held
before it, the ones it used (recorded in a bundle, so a replay needs no state) and the ones it
fetched (stored after it). Days are kept per tenant corp_id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, TypeAdapter


class DayList(BaseModel):
    """One day's list: who logged in (``active``) or who did not, as DingTalk answered it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    day: date
    active: bool
    userids: tuple[str, ...]  # sorted, so a bundle's bytes do not depend on set order


DAY_LISTS = TypeAdapter(list[DayList])


@runtime_checkable
class ActivityDays(Protocol):
    """A state backend that keeps days' activity lists (optional: SQLite does, others may not)."""

    def activity_days(self, tenant: str, first: date, last: date) -> list[DayList]:
        """The tenant's held lists for the days from ``first`` to ``last``, inclusive."""

    def store_activity_days(self, tenant: str, days: Sequence[DayList], *, keep_from: date) -> None:
        """Keep ``days`` (complete past days only) and forget the tenant's days before ``keep_from``."""


@dataclass
class DayCache:
    """What one scan's dormancy collection took from, and adds to, the held days."""

    held: Mapping[date, DayList] = field(default_factory=dict)
    used: list[DayList] = field(default_factory=list)
    fetched: list[DayList] = field(default_factory=list)

    @classmethod
    def of(cls, days: Sequence[DayList]) -> DayCache:
        return cls(held={d.day: d for d in days})
