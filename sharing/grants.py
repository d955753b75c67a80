"""Grants and their states (授权及其状态), R11.

A grant gives one scenario access to one data service for some of its fields; its key is
`<scenario code>|<service code>` (interchange.graph_mapping.grant_key), so grants made by the
workflow sit beside imported ones and show in the same queries.

States: ACTIVE → SUSPENDED → ACTIVE (resume), ACTIVE/SUSPENDED → TERMINATED (final). A grant
with a `validUntil` date is EXPIRED on every day after it, per the workflow clock; expiry is
derived when read rather than written, so no job has to run at midnight. The bureau or the
provider suspends or terminates, always with a reason (R11: on a security problem).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from graph.model import ChangeSet, Label, Node, NodeRef, PropValue, Rel
from interchange.graph_mapping import field_key, grant_key
from sharing.application_errors import ApplicationRefusal as Code
from sharing.application_errors import WorkflowRefusal
from sharing.audit import audit_entry, record
from sharing.identity import Actor
from sharing.terms import GrantStatus

MAX_REASON_CHARS = 2000
_LIVE = (GrantStatus.ACTIVE, GrantStatus.SUSPENDED)


def effective_status(grant: Node, today: date) -> GrantStatus:
    """The grant's status on `today`: EXPIRED once past its validUntil, else as stored."""
    status = GrantStatus(grant.get("status") or GrantStatus.ACTIVE.value)
    until = grant.get("validUntil")
    if status in _LIVE and until and today > date.fromisoformat(str(until)):
        return GrantStatus.EXPIRED
    return status


def is_live(grant: Node | None, today: date) -> bool:
    return grant is not None and effective_status(grant, today) in _LIVE


def reason_text(text: str | None, field: str, what_zh: str, what_en: str) -> str:
    """A required reason, trimmed; refused when blank or too long."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise WorkflowRefusal(
            Code.REASON_REQUIRED, field, f"{what_zh}必须说明理由", f"{what_en} requires a reason"
        )
    if len(cleaned) > MAX_REASON_CHARS:
        raise WorkflowRefusal(
            Code.INVALID_INPUT, field, f"理由过长（最多 {MAX_REASON_CHARS} 个字符）",
            f"reason too long (at most {MAX_REASON_CHARS} characters)",
        )
    return cleaned


def history_step(actor: Actor, at: datetime, action: str, before: str | None, after: str,
                 note: str | None = None, fields: Sequence[str] | None = None) -> dict[str, object]:
    step: dict[str, object] = {
        "at": at.isoformat(), "action": action, "role": actor.role.value, "agency": actor.agency_code,
        "person": actor.person, "from": before, "to": after,
    }
    if note is not None:
        step["note"] = note
    if fields is not None:
        step["fields"] = list(fields)
    return step


def appended(history: PropValue, step: dict[str, object]) -> str:
    steps = json.loads(str(history)) if history else []
    steps.append(step)
    return json.dumps(steps, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class NewGrant:
    """What a grant is made of when an application succeeds."""

    scenario_code: str
    service: Node
    resource_code: str
    fields: tuple[str, ...]
    consumer_code: str
    provider_code: str
    application_key: str
    valid_until: date | None


def grant_changes(changes: ChangeSet, new: NewGrant, actor: Actor, at: datetime) -> Node:
    """Add the grant, its edges and its audit entry to `changes`; returns the grant node."""
    key = grant_key(new.scenario_code, new.service.key)
    step = history_step(actor, at, "grant.create", None, GrantStatus.ACTIVE.value, fields=new.fields)
    node = Node(
        Label.GRANT,
        key,
        {
            "scenarioCode": new.scenario_code,
            "serviceCode": new.service.key,
            "resourceCode": new.resource_code,
            "fields": list(new.fields),
            "status": GrantStatus.ACTIVE.value,
            "consumerCode": new.consumer_code,
            "providerCode": new.provider_code,
            "applicationKey": new.application_key,
            "grantedAt": at.isoformat(),
            "validUntil": new.valid_until.isoformat() if new.valid_until else None,
            "statusReason": None,
            "history": json.dumps([step], ensure_ascii=False),
        },
    )
    changes.upserts.append(node)
    changes.set_edges(node.ref, Rel.FOR_SCENARIO, [NodeRef(Label.SCENARIO, new.scenario_code)])
    changes.set_edges(node.ref, Rel.GRANTS_ACCESS_TO, [new.service.ref])
    changes.set_edges(
        node.ref, Rel.COVERS_FIELD,
        [NodeRef(Label.FIELD, field_key(new.resource_code, f)) for f in new.fields],
    )
    record(changes, audit_entry(actor, "grant.create", node.ref, at, None, node.props))
    return node


class GrantAction:
    SUSPEND = "grant.suspend"
    RESUME = "grant.resume"
    TERMINATE = "grant.terminate"


_MOVES: dict[str, tuple[tuple[GrantStatus, ...], GrantStatus, str, str]] = {
    GrantAction.SUSPEND: ((GrantStatus.ACTIVE,), GrantStatus.SUSPENDED, "暂停授权", "suspending a grant"),
    GrantAction.RESUME: ((GrantStatus.SUSPENDED,), GrantStatus.ACTIVE, "恢复授权", "resuming a grant"),
    GrantAction.TERMINATE: (_LIVE, GrantStatus.TERMINATED, "终止授权", "terminating a grant"),
}


def grant_status_change(grant: Node, action: str, reason: str | None, actor: Actor, at: datetime,
                        today: date) -> tuple[ChangeSet, Node]:
    """Suspend, resume or terminate a grant, with its audit entry; a refusal when not allowed."""
    allowed, target, what_zh, what_en = _MOVES[action]
    text = reason_text(reason, "reason", what_zh, what_en)
    current = effective_status(grant, today)
    if current is GrantStatus.EXPIRED:
        raise WorkflowRefusal(
            Code.GRANT_EXPIRED, "id", f"授权已于 {grant.get('validUntil')} 到期，不能{what_zh}",
            f"the grant expired after {grant.get('validUntil')}; {what_en} is not possible",
            status=current.value,
        )
    if current not in allowed:
        raise WorkflowRefusal(
            Code.INVALID_STATE, "id", f"授权当前为「{current.label_zh}」，不能{what_zh}",
            f"the grant is {current.value}; {what_en} is not possible", status=current.value,
        )
    props = dict(grant.props)
    props["status"] = target.value
    props["statusReason"] = text
    props["history"] = appended(
        grant.get("history"), history_step(actor, at, action, current.value, target.value, note=text)
    )
    updated = Node(Label.GRANT, grant.key, props)
    changes = ChangeSet(upserts=[updated])
    record(changes, audit_entry(actor, action, updated.ref, at, grant.props, updated.props, note=text))
    return changes, updated
