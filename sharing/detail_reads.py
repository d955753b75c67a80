"""Reads of conditional data details (有条件共享数据明细的读取留痕), R11.

When the answer to a signed-in caller other than a bureau administrator holds a field of a
conditional resource, or a conditional field of any resource, the read is recorded: one audit
entry (`read.conditionalDetails`) per resource per request, naming the fields read, written once
when the request has run, not one write per field. Every way to a field counts alike: a
resource's or a service's field list, `fields`, search hits, a grant's or an application's
fields, lineage, demand matches, `node`.
The provider's own people reading their own resource are not recorded, nor anonymous callers
(they see metadata only and are not identifiable).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from graph.model import Node, NodeRef
from sharing.audit import audit_entry
from sharing.identity import Actor, Role
from sharing.terms import SharingType

READ_ACTION = "read.conditionalDetails"


def is_conditional(resource: Node, fields: Iterable[Node] = ()) -> bool:
    conditional = SharingType.CONDITIONAL.value
    return resource.get("sharingType") == conditional or any(
        f.get("sharingType") == conditional for f in fields
    )


def is_audited_reader(actor: Actor, provider_code: str | None) -> bool:
    """Whether this actor's reads of a provider's conditional details are recorded."""
    if actor.is_anonymous or actor.role is Role.BUREAU_ADMIN:
        return False
    return not actor.acts_for(provider_code)


class DetailReads:
    """The fields one request read, and of those the conditional resources' to record (per
    request; flushed once at its end)."""

    def __init__(self) -> None:
        self._read: dict[NodeRef, set[str]] = {}
        self._seen: dict[NodeRef, Node] = {}

    def saw(self, field: Node) -> None:
        """A field is part of the answer; whether that is recorded is decided at the end."""
        self._seen[field.ref] = field

    def take_seen(self) -> list[Node]:
        """The fields read since the last call, in the order first read."""
        seen, self._seen = list(self._seen.values()), {}
        return seen

    def note(self, resource: NodeRef, fields: Iterable[str] = ()) -> None:
        self._read.setdefault(resource, set()).update(fields)

    def __bool__(self) -> bool:
        return bool(self._read or self._seen)

    def entries(self, actor: Actor, at: datetime, operation: str | None) -> list[Node]:
        """One audit entry per resource read, in a stable order."""
        note = f"operation {operation}" if operation else None
        return [
            audit_entry(actor, READ_ACTION, ref, at, after={"fields": sorted(self._read[ref])}, note=note)
            for ref in sorted(self._read, key=lambda r: r.id)
        ]
