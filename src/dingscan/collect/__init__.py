"""Collection: DingTalk answers in, one typed tenant snapshot out.

Areas that do not depend on each other are collected concurrently; the per-API pacing in the
client keeps each under its rate limit, so a scan takes about as long as its busiest API.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from dingscan.client.paging import Caller
from dingscan.collect.admins import admin_details_coverage, collect_admins
from dingscan.collect.apps import collect_apps
from dingscan.collect.base import Progress, QuietProgress, ScanAborted, SectionRunner
from dingscan.collect.directory import collect_department_details, collect_departments, collect_users
from dingscan.collect.exclusive import collect_audit_log_probe, collect_external_groups
from dingscan.collect.external import collect_external_contacts, collect_partner_orgs
from dingscan.collect.lifecycle import collect_dimissions, collect_dormancy, collect_leave_records
from dingscan.collect.org import collect_org
from dingscan.collect.roles import collect_roles
from dingscan.collect.scopes import collect_scopes, email_field_access, within_scope
from dingscan.snapshot import Department, Section, Snapshot, User

__all__ = ["Progress", "QuietProgress", "ScanAborted", "collect"]


async def collect(
    client: Caller, *, as_of: datetime, corp_id: str | None, progress: Progress | None = None
) -> Snapshot:
    """Everything the baseline needs about the tenant, as of ``as_of``.

    Raises :class:`ScanAborted` when DingTalk answered that no scan can succeed.
    """
    runner = SectionRunner(progress or QuietProgress())
    run = runner.run
    scopes = await run("scopes", lambda: collect_scopes(client))

    async def directory() -> tuple[Section[list[Department]], Section[list[User]]]:
        tree = await run("departments", lambda: collect_departments(client))
        async with asyncio.TaskGroup() as parts:
            users = parts.create_task(run("users", lambda: collect_users(client, tree)))
            details = parts.create_task(
                run("department details", lambda: collect_department_details(client, tree, corp_id))
            )
        return details.result(), within_scope(users.result(), scopes)

    async with asyncio.TaskGroup() as areas:  # the runner catches every area's errors
        directory_task = areas.create_task(directory())
        org = areas.create_task(run("org", lambda: collect_org(client, corp_id)))
        admins = areas.create_task(run("admins", lambda: collect_admins(client, corp_id)))
        roles = areas.create_task(run("roles", lambda: collect_roles(client)))
        contacts = areas.create_task(run("external_contacts", lambda: collect_external_contacts(client)))
        partners = areas.create_task(run("partner_orgs", lambda: collect_partner_orgs(client)))
        apps = areas.create_task(run("apps", lambda: collect_apps(client)))
        leavers = areas.create_task(run("leave_records", lambda: collect_leave_records(client, as_of)))
        dormancy = areas.create_task(run("dormancy", lambda: collect_dormancy(client, as_of)))
        dimissions = areas.create_task(run("dimissions", lambda: collect_dimissions(client)))
    departments, users = directory_task.result()
    # Optional, counted, edition-dependent evidence goes last, so a call budget spends on essentials.
    audit_log_probe = await run("audit_log_probe", lambda: collect_audit_log_probe(client, as_of))
    external_groups = await run("external_groups", lambda: collect_external_groups(client))
    if runner.fatal is not None:
        raise ScanAborted(runner.fatal.reason)
    return Snapshot(
        as_of=as_of,
        corp_id=corp_id,
        scopes=scopes,
        org=org.result(),
        departments=departments,
        users=users,
        user_emails=email_field_access(scopes),
        admins=admins.result(),
        admin_details=admin_details_coverage(admins.result()),
        roles=roles.result(),
        external_contacts=contacts.result(),
        partner_orgs=partners.result(),
        apps=apps.result(),
        leave_records=leavers.result(),
        dormancy=dormancy.result(),
        dimissions=dimissions.result(),
        audit_log_probe=audit_log_probe,
        external_groups=external_groups,
    )
