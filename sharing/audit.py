"""The audit trail (审计留痕, R11): one append-only entry per state change or detail read.

Entries are written in the same change set (hence the same transaction) as the change they
record, so a failed mutation leaves no entry either. An entry names its target by id in a
property rather than by an edge, so it outlives the node it describes; nothing ever updates or
deletes an `AuditEntry`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime

from graph.model import ChangeSet, Label, Node, NodeRef, PropValue
from sharing.identity import Actor


def _snapshot(props: Mapping[str, PropValue] | None) -> str | None:
    return None if props is None else json.dumps(dict(props), ensure_ascii=False, sort_keys=True)


def audit_entry(
    actor: Actor,
    action: str,
    target: NodeRef,
    at: datetime,
    before: Mapping[str, PropValue] | None = None,
    after: Mapping[str, PropValue] | None = None,
    note: str | None = None,
) -> Node:
    """An entry for `action` (e.g. "application.submit") by `actor` on `target` at `at`."""
    # Keys sort by time first so a key-ordered listing is chronological.
    key = f"{at.strftime('%Y%m%dT%H%M%S%f%z')}-{uuid.uuid4().hex[:12]}"
    return Node(
        Label.AUDIT_ENTRY,
        key,
        {
            "action": action,
            "target": target.id,
            "targetLabel": target.label.value,
            "at": at.isoformat(),
            "role": actor.role.value,
            "agency": actor.agency_code,
            "person": actor.person,
            "token": actor.token_id,
            "before": _snapshot(before),
            "after": _snapshot(after),
            "note": note,
        },
    )


def record(changes: ChangeSet, entry: Node) -> ChangeSet:
    """Add the entry to the change set that makes the change it records."""
    changes.upserts.append(entry)
    return changes
