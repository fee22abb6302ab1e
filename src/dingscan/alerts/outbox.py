"""The alerts a scan owes: built once, with a delivery id that stays the same for every attempt.

The id is derived from the tenant, the scan and the target, so the same scan never owes one
target two different alerts; a receiver de-duplicates on it (header and body).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from dingscan.alerts.channels import NotifyTarget, channel_of, target_key
from dingscan.alerts.news import new_findings
from dingscan.findings import FindingsDocument
from dingscan.state.store import OwedAlert


def delivery_id(tenant: str, scan_id: str, target: str) -> str:
    return hashlib.sha256(f"{tenant}\n{scan_id}\n{target}".encode()).hexdigest()[:32]


def owed_alerts(
    targets: Sequence[NotifyTarget], tenant: str, name: str, document: FindingsDocument
) -> list[OwedAlert]:
    """What ``document`` owes each target (none to a quiet target when nothing is new).

    ``tenant`` keys the outbox (the corp_id); ``name`` is how messages call the tenant.
    """
    anything_new = bool(new_findings(document))
    owed = []
    for target in targets:
        if target.quiet and not anything_new:
            continue
        key = target_key(target)
        uid = delivery_id(tenant, document.scan.id, key)
        payload = channel_of(target).message(target, name, document, uid)
        owed.append(
            OwedAlert(
                uid,
                tenant,
                key,
                document.scan.id,
                document.scan.as_of,
                json.dumps(payload, ensure_ascii=False),
            )
        )
    return owed
