"""The audit trail (审计留痕, R11): one append-only entry per state change or detail read.

Entries are written in the same change set (hence the same transaction) as the change they
record, so a failed mutation leaves no entry either. An entry names its target by id in a
property rather than by an edge, so it outlives the node it describes; nothing ever updates or
deletes an `AuditEntry`.

Each entry carries the administrative level it belongs to (the acting agency's, or for an
operation on an agency's behalf such as issuing its token, that agency's): a bureau
administrator reads the trail of its own level (R13). Keys order the trail: the recorded
time, then a per-process sequence, so entries of one instant (one change set, a fixed clock)
keep the order they were made in; a random tail keeps keys from two processes apart.
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Mapping
from datetime import datetime

from graph.model import ChangeSet, Label, Node, NodeRef, PropValue
from sharing.identity import Actor
from sharing.terms import Level

_MADE = itertools.count(1)  # entries made by this process, in order


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
    level: Level | None = None,
) -> Node:
    """An entry for `action` (e.g. "application.submit") by `actor` on `target` at `at`;
    `level` defaults to the actor's."""
    # Keys sort by time first so a key-ordered listing is chronological.
    key = f"{at.strftime('%Y%m%dT%H%M%S%f%z')}-{next(_MADE):012d}-{uuid.uuid4().hex[:8]}"
    belongs = level or actor.level
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
            "level": belongs.value if belongs else None,
        },
    )


def record(changes: ChangeSet, entry: Node) -> ChangeSet:
    """Add the entry to the change set that makes the change it records."""
    changes.upserts.append(entry)
    return changes
