"""Every control names the same object by the same id: what history and exceptions key on.

An offender's identity across scans is (tenant, control, resource type, resource id). If one
control named an app by appId and another by agentId, an app moving from "enabled, unapproved"
to "disabled, not removed" would look like two unrelated objects, and an exception written from
one finding would not match the other. So: run every built-in check on the demo tenant and on a
variant in which every app changed state, and require each resource id to be the one canonical
id of an object of its type, with that object's name.
"""

from __future__ import annotations

from collections import defaultdict

from dingscan.check import app_resource
from dingscan.engine import load_checks, run_checks
from dingscan.evidence import read_bundle
from dingscan.findings import Finding
from dingscan.resources import packaged_path
from dingscan.scan import replay_bundle
from dingscan.snapshot import ExternalContact, Section, Snapshot

FLIPPED_STATUS = {0: 1, 1: 0, 3: 1}  # enabled apps become disabled, disabled and expired enabled


def canonical_ids(snapshot: Snapshot) -> dict[str, dict[str, str | None]]:
    """type -> {canonical id: name}, straight from the snapshot's objects."""
    people: dict[str, str | None] = {a.userid: None for a in snapshot.admins.data or []}
    leavers = snapshot.leave_records.data.records if snapshot.leave_records.data else []
    people |= {r.userid: r.name for r in leavers}
    people |= {m.userid: m.name for role in snapshot.roles.data or [] for m in role.members}
    people |= {u.userid: u.name for u in snapshot.users.data or []}
    grants = (snapshot.attestations.data.temporary_access if snapshot.attestations.data else None) or []
    people |= {g.userid: people.get(g.userid) for g in grants}
    apps: dict[str, str | None] = {app_resource(a, "").id: a.name for a in snapshot.apps.data or []}
    return {
        "user": people,
        "admin": people,
        "app": apps,
        "partner_org": {p.corp_id: p.org_name for p in snapshot.partner_orgs.data or []},
        "external_contact": {c.userid: c.name for c in snapshot.external_contacts.data or []},
        "org": {snapshot.corp_id or "": snapshot.org.data.org_name if snapshot.org.data else None},
    }


def variant(snapshot: Snapshot) -> Snapshot:
    apps = [a.model_copy(update={"app_status": FLIPPED_STATUS[a.app_status]}) for a in snapshot.apps.get()]
    shared = ExternalContact(userid="ext-9", name="Shared Contact", share_dept_ids=[1])
    return snapshot.model_copy(
        update={"apps": Section.collected(apps), "external_contacts": Section.collected([shared])}
    )


async def test_every_control_names_each_object_by_its_one_canonical_id() -> None:
    bundle = read_bundle(packaged_path("fixtures/demo"))
    inputs = bundle.judged_against()
    demo = (await replay_bundle(bundle, inputs=inputs, checks=load_checks(plugins=False))).snapshot
    checks = load_checks(plugins=False)
    ids_by_name: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    named = 0
    for snapshot in (demo, variant(demo)):
        canonical = canonical_ids(snapshot)
        findings: list[Finding] = run_checks(checks, snapshot, inputs.policy)
        for finding in findings:
            for resource in finding.resources:
                known = canonical.get(resource.type)
                assert known is not None, f"{finding.control_id}: no canonical id for type {resource.type}"
                assert resource.id in known, (finding.control_id, resource.type, resource.id)
                if known[resource.id] and resource.name:
                    assert resource.name == known[resource.id], (finding.control_id, resource)
                ids_by_name[(resource.type, resource.name)].add(resource.id)
                named += 1
    assert named > 30
    assert {k: v for k, v in ids_by_name.items() if len(v) > 1} == {}
    app_controls = {
        (f.control_id, r.id)
        for s in (demo, variant(demo))
        for f in run_checks(checks, s, inputs.policy)
        for r in f.resources
        if r.type == "app"
    }
    # FinSight CRM (appId 88231): unapproved while enabled (DT.APP.1), not removed once disabled (DT.APP.2)
    assert {("DT.APP.1", "88231"), ("DT.APP.2", "88231")} <= app_controls
