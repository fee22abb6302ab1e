"""The section registry: every snapshot section, what collects it, from which endpoints, after what.

One entry per :class:`SectionName`. ``collect()`` schedules the collectors from it, the fault
matrix derives which sections an endpoint's failure takes down, ``dingscan checks`` derives each
check's endpoints and permission points, and the README's permission list is generated from it.
A new API section is one entry here plus its collector (and its endpoints in the catalogue).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from dingscan.activity import DayCache
from dingscan.client import endpoints as ep
from dingscan.client.endpoints import Endpoint
from dingscan.client.paging import Caller
from dingscan.collect.admins import admin_details_coverage, collect_admins
from dingscan.collect.apps import collect_apps
from dingscan.collect.directory import (
    DirectoryWalks,
    collect_department_details,
    collect_departments,
    collect_users,
    details_not_needed,
)
from dingscan.collect.exclusive import collect_audit_log_probe, collect_external_groups
from dingscan.collect.external import collect_external_contacts, collect_partner_orgs
from dingscan.collect.lifecycle import collect_dimissions, collect_dormancy, collect_leave_records
from dingscan.collect.org import collect_org
from dingscan.collect.roles import collect_roles
from dingscan.collect.scopes import collect_scopes, email_field_access, within_scope
from dingscan.snapshot import Department, Section, SectionName, User

S = SectionName
T = TypeVar("T")


class Context(Protocol):
    """What a collector may use: the client, the scan's clock and tenant, the policy's inactivity
    window and the days' activity lists already held (None: keep none), the sections the loaded checks need (None: all), the directory's per-department
    walks, and collected sections."""

    client: Caller
    as_of: datetime
    corp_id: str | None
    dormant_days: int
    activity_days: DayCache | None
    needed: Collection[SectionName] | None
    directory: DirectoryWalks

    def section(self, name: SectionName) -> Section[Any]:
        """A section this one declared in ``depends_on`` or ``narrowed_by`` (already collected)."""

    async def shared(self, area: str, collect: Callable[[], Awaitable[Section[T]]]) -> Section[T]:
        """``collect`` run once for every section that asks (the department tree feeds two)."""


Collector = Callable[[Context], Awaitable[Section[Any]]]


@dataclass(frozen=True)
class SectionSpec:
    """One snapshot section and how it is collected.

    ``endpoints`` list the section: when one fails for good, the section fails. ``detail_endpoints``
    are read per record: a failure leaves the section partial. ``hint_endpoints`` only steer the
    collection (the organisation's size picks the smaller activity list): losing one costs calls,
    never data. ``depends_on`` sections must be
    collected first and fail this one with them; ``narrowed_by`` sections must be collected first
    and, when they fail, leave this one partial. ``deferred`` marks optional, quota-counted
    evidence, collected last and one section at a time, so a call budget spends on essentials.
    A section with no endpoints of its own is derived from its dependencies, without a call.
    ``collect`` is None for a section that does not come from the API (the attestation file).
    """

    name: SectionName
    collect: Collector | None
    endpoints: tuple[Endpoint, ...] = ()
    detail_endpoints: tuple[Endpoint, ...] = ()
    hint_endpoints: tuple[Endpoint, ...] = ()
    depends_on: tuple[SectionName, ...] = ()
    narrowed_by: tuple[SectionName, ...] = ()
    deferred: bool = False
    area: str = ""  # the progress label; the section name when empty

    @property
    def label(self) -> str:
        return self.area or self.name.value

    @property
    def derived(self) -> bool:
        return not self.endpoints

    @property
    def all_endpoints(self) -> tuple[Endpoint, ...]:
        return self.endpoints + self.detail_endpoints + self.hint_endpoints


async def _department_tree(ctx: Context) -> Section[list[Department]]:
    return await ctx.shared("departments", lambda: collect_departments(ctx.client, ctx.directory.found))


async def _departments(ctx: Context) -> Section[list[Department]]:
    """Details (one call per department) only when a loaded check reads them."""
    tree = await _department_tree(ctx)
    if ctx.directory.details is None:
        return await details_not_needed(tree)
    return await collect_department_details(ctx.client, tree, ctx.corp_id, ctx.directory.details)


async def _users(ctx: Context) -> Section[list[User]]:
    users = await collect_users(ctx.client, await _department_tree(ctx), ctx.directory.members)
    return within_scope(users, ctx.section(S.SCOPES))


async def _user_emails(ctx: Context) -> Section[bool]:
    return email_field_access(ctx.section(S.SCOPES))


async def _admin_details(ctx: Context) -> Section[bool]:
    return admin_details_coverage(ctx.section(S.ADMINS))


REGISTRY: tuple[SectionSpec, ...] = (
    SectionSpec(S.SCOPES, lambda c: collect_scopes(c.client), (ep.AUTH_SCOPES,)),
    SectionSpec(S.ORG, lambda c: collect_org(c.client, c.corp_id), (ep.ORG_AUTH_INFO,)),
    SectionSpec(
        S.DEPARTMENTS,
        _departments,
        (ep.DEPARTMENT_LISTSUB,),
        (ep.DEPARTMENT_GET,),
        area="department details",
    ),
    SectionSpec(S.USERS, _users, (ep.DEPARTMENT_LISTSUB, ep.USER_LIST), narrowed_by=(S.SCOPES,)),
    SectionSpec(S.USER_EMAILS, _user_emails, depends_on=(S.SCOPES,)),
    SectionSpec(S.ADMINS, lambda c: collect_admins(c.client, c.corp_id), (ep.ADMIN_LIST,)),
    SectionSpec(
        S.ADMIN_DETAILS,
        _admin_details,
        detail_endpoints=(ep.ADMIN_SCOPE, ep.USER_GET),
        depends_on=(S.ADMINS,),
    ),
    SectionSpec(S.ROLES, lambda c: collect_roles(c.client), (ep.ROLE_LIST, ep.ROLE_MEMBERS)),
    SectionSpec(S.EXTERNAL_CONTACTS, lambda c: collect_external_contacts(c.client), (ep.EXTERNAL_CONTACTS,)),
    SectionSpec(S.PARTNER_ORGS, lambda c: collect_partner_orgs(c.client), (ep.PARTNER_ORGS,)),
    SectionSpec(S.APPS, lambda c: collect_apps(c.client), (ep.ALL_APPS,)),
    SectionSpec(S.LEAVE_RECORDS, lambda c: collect_leave_records(c.client, c.as_of), (ep.LEAVE_RECORDS,)),
    SectionSpec(
        S.DORMANCY,
        lambda c: collect_dormancy(c.client, c.as_of, c.dormant_days, c.activity_days),
        (ep.INACTIVE_USERS,),
        hint_endpoints=(ep.USER_COUNT,),
    ),
    SectionSpec(
        S.DIMISSIONS, lambda c: collect_dimissions(c.client), (ep.HR_DISMISSIONS, ep.HR_DIMISSION_INFOS)
    ),
    SectionSpec(
        S.AUDIT_LOG_PROBE,
        lambda c: collect_audit_log_probe(c.client, c.as_of),
        (ep.ADMIN_OPERATION_LOGS, ep.FILE_AUDIT_LOGS),
        deferred=True,
    ),
    SectionSpec(
        S.EXTERNAL_GROUPS,
        lambda c: collect_external_groups(c.client),
        (ep.EXTERNAL_AUDIT_GROUPS,),
        deferred=True,
    ),
    SectionSpec(S.ATTESTATIONS, None),
)

SECTIONS: dict[SectionName, SectionSpec] = {spec.name: spec for spec in REGISTRY}


def feeding(names: Iterable[SectionName]) -> list[Endpoint]:
    """The endpoints whose answers feed these sections (directly or through their dependencies)."""
    found: dict[str, Endpoint] = {}
    for name in closure(names):
        found |= {e.name: e for e in SECTIONS[name].all_endpoints}
    return list(found.values())


def closure(names: Iterable[SectionName]) -> list[SectionName]:
    """These sections and every section they are collected after, in registry order."""
    wanted = set(names)
    for spec in reversed(REGISTRY):  # dependencies come before their dependents
        if spec.name in wanted:
            wanted |= set(spec.depends_on + spec.narrowed_by)
    return [spec.name for spec in REGISTRY if spec.name in wanted]


def permissions(names: Iterable[SectionName]) -> list[str]:
    """The permission points the app needs for these sections, each once."""
    return list(dict.fromkeys(e.permission for e in feeding(names)))


def consequences(endpoint: Endpoint) -> tuple[frozenset[SectionName], frozenset[SectionName]]:
    """(sections that fail, sections left partial) when ``endpoint`` never answers."""
    failed: set[SectionName] = set()
    partial: set[SectionName] = set()
    for spec in REGISTRY:
        if endpoint in spec.endpoints or failed & set(spec.depends_on):
            failed.add(spec.name)
        elif endpoint in spec.detail_endpoints or (failed | partial) & set(spec.narrowed_by):
            partial.add(spec.name)
    return frozenset(failed), frozenset(partial - failed)
