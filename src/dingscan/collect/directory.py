"""The directory: the department tree, then every member of every department.

DingTalk lists only the direct children of a department and only its direct members, so the
tree is walked breadth-first from the root (one level at a time, concurrently) and members are
listed per department with ``contain_access_limit`` on (access-restricted staff are members too),
then de-duplicated by userid. A department outside the app's contact scope makes the inventory
partial, never silently smaller.

On a large tenant the tree walk, the member lists and the details each take about a minute, on
three different APIs; a :class:`PerDepartment` starts a department's members and details the
moment the walk finds it, so the three overlap instead of running one after the other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from dingscan.client import endpoints as ep
from dingscan.client.errors import MalformedResponse, OutOfScope
from dingscan.client.paging import Caller, cursor_pages, items_at, result_of
from dingscan.collect.base import as_bool, from_epoch_ms, id_list, partner_corp_id
from dingscan.snapshot import Department, Section, SectionStatus, User

ROOT_DEPT = 1
T = TypeVar("T")


class PerDepartment(Generic[T]):
    """``fetch`` for each department, started as soon as :meth:`start` names it; a department
    outside the app's scope gives None. Call :meth:`cancel` when the results are no longer wanted."""

    def __init__(self, fetch: Callable[[int], Awaitable[T]]) -> None:
        self._fetch = fetch
        self._tasks: dict[int, asyncio.Future[T | None]] = {}

    def start(self, dept_id: int) -> None:
        if dept_id not in self._tasks:
            self._tasks[dept_id] = asyncio.ensure_future(_scoped(self._fetch(dept_id)))

    async def results(self, dept_ids: Iterable[int]) -> list[tuple[int, T | None]]:
        keys = list(dept_ids)
        for dept_id in keys:
            self.start(dept_id)
        results = await asyncio.gather(*(self._tasks[k] for k in keys))
        return list(zip(keys, results, strict=True))

    def cancel(self) -> None:
        for task in self._tasks.values():
            if not task.done():
                task.cancel()
            elif not task.cancelled():
                task.exception()  # seen: nobody will read a result of a walk that was given up


def member_lists(client: Caller) -> PerDepartment[list[User]]:
    return PerDepartment(lambda dept_id: _members(client, dept_id))


def department_details(client: Caller) -> PerDepartment[dict[str, Any]]:
    return PerDepartment(lambda dept_id: _detail(client, dept_id))


class DirectoryWalks:
    """One scan's per-department walks, started by the tree walk: members always, details only
    when a loaded check reads them (None otherwise)."""

    def __init__(self, client: Caller, *, details: bool) -> None:
        self.members = member_lists(client)
        self.details = department_details(client) if details else None

    @property
    def found(self) -> list[PerDepartment[Any]]:
        return [walk for walk in (self.members, self.details) if walk is not None]

    def cancel(self) -> None:
        """For walks nobody reads once the scan is over (a failed tree, an aborted scan)."""
        for walk in self.found:
            walk.cancel()


async def collect_departments(
    client: Caller, found: Sequence[PerDepartment[Any]] = ()
) -> Section[list[Department]]:
    """The tree, breadth-first from the root; each department is handed to ``found`` on sight."""
    tree = {ROOT_DEPT: Department(dept_id=ROOT_DEPT, name="(root)")}
    for fetches in found:
        fetches.start(ROOT_DEPT)
    level = [ROOT_DEPT]
    hidden: list[int] = []
    while level:
        answers = await _each(level, lambda d: client.call(ep.DEPARTMENT_LISTSUB, body={"dept_id": d}))
        level = []
        for parent, answer in answers:
            if answer is None:
                hidden.append(parent)
                continue
            for raw in items_at(answer, "result", endpoint=ep.DEPARTMENT_LISTSUB):
                department = _department(raw)
                if department.dept_id not in tree:
                    tree[department.dept_id] = department
                    level.append(department.dept_id)
                    for fetches in found:
                        fetches.start(department.dept_id)
    departments = list(tree.values())
    if hidden:
        return Section.partial(
            departments, f"sub-departments of {sorted(hidden)} are outside the app's contact scope"
        )
    return Section.collected(departments)


async def collect_department_details(
    client: Caller,
    departments: Section[list[Department]],
    corp_id: str | None,
    details: PerDepartment[dict[str, Any]] | None = None,
) -> Section[list[Department]]:
    """``department/get`` for each department: is it mirrored from a partner org (关联组织)?

    An unreadable detail leaves that department's ``from_union_org`` unknown and the section
    partial, so no control can read "not mirrored" into a department nobody looked at.
    ``corp_id`` is the tenant's own, which a partner link can never name.
    """
    if departments.data is None:
        return departments
    answers = await (details or department_details(client)).results(d.dept_id for d in departments.data)
    read = {dept_id: result_of(answer, ep.DEPARTMENT_GET) for dept_id, answer in answers if answer}
    merged = [_with_union(d, read.get(d.dept_id), corp_id) for d in departments.data]
    hidden = sorted(d.dept_id for d in departments.data if d.dept_id not in read)
    if hidden:
        return Section.partial(merged, f"details of departments {hidden} are outside the app's contact scope")
    if departments.status is SectionStatus.PARTIAL:
        return Section.partial(merged, departments.reason or "the department tree is partial")
    return Section.collected(merged)


async def details_not_needed(departments: Section[list[Department]]) -> Section[list[Department]]:
    """The tree without details: partial, so no check can read "not mirrored" into it."""
    if departments.data is None:
        return departments
    return Section.partial(
        departments.data, "department details were not fetched: no loaded check needs them"
    )


def _with_union(department: Department, detail: Any, own_corp_id: str | None) -> Department:
    """Mirrored when any field shows a partner link: the ``from_union_org`` flag, or a
    ``union_dept_ext.corp_id`` other than our own. The documented example of ``department/get``
    carries ``union_dept_ext`` without the flag, so neither is trusted to speak for the other."""
    if detail is None:
        return department
    union = detail.get("union_dept_ext") or {}
    if not isinstance(union, dict):
        raise MalformedResponse("shape", "union_dept_ext is not an object", endpoint=ep.DEPARTMENT_GET)
    partner = partner_corp_id(union.get("corp_id"), own_corp_id)
    signals = []
    if as_bool(detail.get("from_union_org")):
        signals.append("from_union_org")
    if partner:
        signals.append("union_dept_ext.corp_id")
    return department.model_copy(
        update={
            "from_union_org": bool(signals),
            "union_corp_id": partner,
            "union_signal": " + ".join(signals) or None,
        }
    )


async def collect_users(
    client: Caller, departments: Section[list[Department]], lists: PerDepartment[list[User]] | None = None
) -> Section[list[User]]:
    if departments.data is None:
        return Section[list[User]].failed(f"the department tree was not collected: {departments.reason}")
    answers = await (lists or member_lists(client)).results(d.dept_id for d in departments.data)
    users: dict[str, User] = {}
    hidden = []
    for dept_id, members in answers:
        if members is None:
            hidden.append(dept_id)
            continue
        for user in members:
            users.setdefault(user.userid, user)
    found = sorted(users.values(), key=lambda u: u.userid)
    if hidden:
        return Section.partial(
            found, f"members of departments {sorted(hidden)} are outside the app's contact scope"
        )
    if departments.status is SectionStatus.PARTIAL:
        return Section.partial(found, departments.reason or "the department tree is partial")
    return Section.collected(found)


async def _detail(client: Caller, dept_id: int) -> dict[str, Any]:
    return await client.call(ep.DEPARTMENT_GET, body={"dept_id": dept_id, "language": "en_US"})


async def _members(client: Caller, dept_id: int) -> list[User]:
    """Read as each page arrives: a large tenant's raw answers are several times the users' size."""
    body = {"dept_id": dept_id, "contain_access_limit": True, "language": "en_US"}
    pages = cursor_pages(client, ep.USER_LIST, body, size=100, single=True)
    return [_user(raw) async for page in pages for raw in page]


async def _each(keys: Iterable[int], fetch: Callable[[int], Awaitable[T]]) -> list[tuple[int, T | None]]:
    """``fetch`` for every key concurrently; a key outside the app's scope maps to None."""
    keys = list(keys)
    results = await asyncio.gather(*(_scoped(fetch(k)) for k in keys))
    return list(zip(keys, results, strict=True))


async def _scoped(call: Awaitable[T]) -> T | None:
    try:
        return await call
    except OutOfScope:
        return None


def _department(raw: dict[str, Any]) -> Department:
    return Department(
        dept_id=int(raw["dept_id"]),
        name=str(raw.get("name", "")),
        from_union_org=as_bool(raw.get("from_union_org")),
    )


def _user(raw: dict[str, Any]) -> User:
    return User(
        userid=str(raw["userid"]),
        name=str(raw.get("name", "")),
        email=raw.get("email") or None,
        org_email=raw.get("org_email") or None,
        active=as_bool(raw.get("active")),
        admin=bool(as_bool(raw.get("admin"))),
        boss=bool(as_bool(raw.get("boss"))),
        dept_ids=id_list(raw.get("dept_id_list"), "dept_id_list"),
        hired_at=from_epoch_ms(raw.get("hired_date")),
        exclusive_account=bool(as_bool(raw.get("exclusive_account"))),
        exclusive_account_type=raw.get("exclusive_account_type"),
        disable_status=as_bool(raw.get("disable_status")),
    )
