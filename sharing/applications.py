"""Applications for data (数据共享申请), R10 and R11: one scenario, one application.

A consumer agency applies, for one of its scenarios, for one resource: the service demand form
(数据服务需求清单: which kind of service), the fields it needs (a subset of the resource's) and its
signed commitment letter (R11). What happens is decided by the sharing attribute of what is
asked for — each requested field counts with its own attribute where it has one, else the
resource's, and the least open one decides:

- 无条件共享 UNCONDITIONAL: granted at once (ReviewPath.DIRECT);
- 有条件共享 CONDITIONAL, consumer and provider of the same level: PENDING_REVIEW by the provider's
  chief representative within REVIEW_DAYS (2) working days (PROVIDER_REVIEW); across levels the
  bureau of the provider's level reviews (BUREAU_REVIEW), within the same time;
- 不予共享 NOT_SHARED: refused at submission, naming the legal basis; nothing is written.

The reviewer approves (a grant for exactly the approved fields, a subset of those requested) or
rejects with the legal reasons. A rejected applicant may dispute; the bureau of the provider's
level then opens a negotiation and records its decision, which grants or finally refuses (R10).

    PENDING_REVIEW ─approve→ APPROVED          REJECTED ─dispute→ DISPUTED ─open→ NEGOTIATING
    PENDING_REVIEW ─reject→ REJECTED           NEGOTIATING ─decide: grant→ APPROVED | refuse→ REFUSED

The review clock follows the convention every workflow node with a deadline keeps: `status`,
`receivedOn` (the day the clock started: the day received, or the next working day when received
on a day off), `dueOn` (the last working day allowed) and `dueAgency` (who must act); an item is
overdue when today is after `dueOn` and its status is still open. The application key is
`<scenario code>|<resource code>`, so a second application for the same pair is found by key.

Every function here is pure: it takes the nodes it needs and returns the change set (the
application, its edges, the grant if one is made, and an audit entry per state change) or raises
`WorkflowRefusal` before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from graph.model import ChangeSet, Label, Node, NodeRef, PropValue, Rel
from sharing.application_errors import ApplicationRefusal as Code
from sharing.application_errors import WorkflowRefusal
from sharing.audit import audit_entry, record
from sharing.grants import NewGrant, appended, grant_changes, history_step, is_live, reason_text
from sharing.identity import Actor, Role
from sharing.terms import ApplicationStatus, ReviewPath, ServiceKind, ServiceStatus, SharingType
from sharing.working_days import WorkingCalendar, default_calendar

REVIEW_DAYS = 2  # R10: conditional data is reviewed within 2 working days
MAX_PURPOSE_CHARS = 2000
MAX_FIELDS = 500

OPEN_STATUSES = (ApplicationStatus.PENDING_REVIEW,)  # statuses a review clock runs for
_OPENNESS = {SharingType.UNCONDITIONAL: 0, SharingType.CONDITIONAL: 1, SharingType.NOT_SHARED: 2}


def application_key(scenario_code: str, resource_code: str) -> str:
    return f"{scenario_code}|{resource_code}"


@dataclass(frozen=True, slots=True)
class SubmitRequest:
    """The application as filed (申请单)."""

    scenario_code: str
    resource_code: str
    service_kind: ServiceKind
    fields: tuple[str, ...]
    letter_key: str | None
    purpose: str | None = None
    valid_until: date | None = None


@dataclass(frozen=True, slots=True)
class SubmitFacts:
    """What the store holds that a submission is judged against."""

    scenario: Node
    consumer: Node  # the scenario's agency
    resource: Node
    provider: Node  # the resource's agency
    fields: Sequence[Node]  # the resource's fields
    services: Sequence[tuple[Node, Sequence[str]]]  # the resource's services with the field names they expose
    letter: Node | None
    existing_application: Node | None
    grants: dict[str, Node] = field(default_factory=dict)  # existing grants of the scenario, by service code
    bureau: Node | None = None  # the big-data bureau of the provider's level (and region)


@dataclass(frozen=True, slots=True)
class Outcome:
    """A step's change set and the nodes it leaves."""

    changes: ChangeSet
    application: Node
    grant: Node | None = None


def effective_sharing(resource: Node, fields: Sequence[Node]) -> SharingType:
    """The least open attribute among the requested fields (a field's own, else the resource's)."""
    own = SharingType(resource.get("sharingType"))
    types = [SharingType(f.get("sharingType")) if f.get("sharingType") else own for f in fields] or [own]
    return max(types, key=_OPENNESS.__getitem__)


def submit(request: SubmitRequest, facts: SubmitFacts, actor: Actor, at: datetime, today: date,
           calendar: WorkingCalendar | None = None) -> Outcome:
    """The change set of a submission, or a refusal (nothing written)."""
    calendar = calendar or default_calendar()
    requested = _requested_fields(request.fields, facts.fields)
    sharing = effective_sharing(facts.resource, requested)
    if sharing is SharingType.NOT_SHARED:
        raise _not_shared(facts.resource, requested)
    if facts.existing_application is not None:
        existing = facts.existing_application
        status = ApplicationStatus(existing.get("status"))
        raise WorkflowRefusal(
            Code.DUPLICATE_APPLICATION, "scenario",
            f"一场景一申请：场景「{facts.scenario.get('name')}」已就资源「{facts.resource.get('name')}」提出申请"
            f"（{existing.key}，{status.label_zh}），不能重复申请",
            f"one scenario, one application: scenario {facts.scenario.key} already applied for resource "
            f"{facts.resource.key} ({existing.key}, {status.value})",
            application=existing.key, status=status.value,
        )
    service = _service_for(request.service_kind, [f.get("name") for f in requested], facts.services)
    held = facts.grants.get(service.key)
    if is_live(held, today):
        assert held is not None
        raise WorkflowRefusal(
            Code.ALREADY_GRANTED, "scenario",
            f"场景已持有该服务（{service.key}）的有效授权，无需再申请",
            f"the scenario already holds a live grant on service {service.key}", grant=held.key,
        )
    if request.letter_key is None or facts.letter is None:
        raise WorkflowRefusal(
            Code.LETTER_REQUIRED if request.letter_key is None else Code.NOT_FOUND, "commitmentLetter",
            "须上传并附上签署的《公共数据规范使用承诺书》" if request.letter_key is None
            else f"承诺书「{request.letter_key}」不存在",
            "the signed commitment letter must be uploaded and attached" if request.letter_key is None
            else f"commitment letter {request.letter_key!r} does not exist",
        )
    if facts.letter.get("agencyCode") != facts.consumer.key:
        raise WorkflowRefusal(
            Code.LETTER_OF_OTHER_AGENCY, "commitmentLetter", "承诺书须由申请机构本机构上传",
            "the commitment letter must be one the applying agency uploaded",
        )
    purpose = _purpose(request.purpose)
    if request.valid_until is not None and request.valid_until < today:
        raise WorkflowRefusal(
            Code.INVALID_INPUT, "validUntil", "授权有效期不能早于今天", "validUntil cannot be before today"
        )

    key = application_key(facts.scenario.key, facts.resource.key)
    names = [str(f.get("name")) for f in requested]
    path = _path(sharing, facts.consumer, facts.provider)
    props: dict[str, PropValue] = {
        "code": key,
        "scenarioCode": facts.scenario.key,
        "resourceCode": facts.resource.key,
        "serviceCode": service.key,
        "serviceKind": request.service_kind.value,
        "applicantCode": facts.consumer.key,
        "applicantLevel": facts.consumer.get("level"),
        "providerCode": facts.provider.key,
        "providerLevel": facts.provider.get("level"),
        "sharingType": sharing.value,
        "path": path.value,
        "requestedFields": names,
        "approvedFields": None,
        "purpose": purpose,
        "letterKey": facts.letter.key,
        "letterSha256": facts.letter.get("sha256"),
        "validUntil": request.valid_until.isoformat() if request.valid_until else None,
        "submittedAt": at.isoformat(),
        "submittedBy": actor.person,
        "receivedOn": None,
        "dueOn": None,
        "dueAgency": None,
        "dueEstimated": False,
        "grantKey": None,
        "reviewBureau": facts.bureau.key if facts.bureau is not None else None,
    }
    # one scenario, one application even against a concurrent submit: the key is created, never
    # replaced, so the slower of two writes fails (graph.errors.AlreadyExists)
    changes = ChangeSet(new={NodeRef(Label.APPLICATION, key)})
    grant: Node | None = None
    if path is ReviewPath.DIRECT:
        status = ApplicationStatus.APPROVED
        props["approvedFields"] = names
        grant = grant_changes(changes, _new_grant(props, service, names), actor, at)
        props["grantKey"] = grant.key
    else:
        status = ApplicationStatus.PENDING_REVIEW
        deadline = calendar.deadline(today, REVIEW_DAYS)
        props["receivedOn"] = deadline.received_on.isoformat()
        props["dueOn"] = deadline.due_on.isoformat()
        props["dueEstimated"] = deadline.estimated
        reviewer = facts.provider if path is ReviewPath.PROVIDER_REVIEW else facts.bureau
        props["dueAgency"] = reviewer.key if reviewer is not None else None
    props["status"] = status.value
    props["history"] = appended(None, history_step(actor, at, "application.submit", None, status.value, fields=names))
    node = Node(Label.APPLICATION, key, props)
    changes.upserts.insert(0, node)
    changes.set_edges(node.ref, Rel.FOR_SCENARIO, [facts.scenario.ref])
    changes.set_edges(node.ref, Rel.APPLIES_FOR, [facts.resource.ref])
    changes.set_edges(node.ref, Rel.REQUESTS, [f.ref for f in requested])
    changes.set_edges(node.ref, Rel.ATTACHES, [facts.letter.ref])
    if grant is not None:
        changes.set_edges(node.ref, Rel.RESULTED_IN, [grant.ref])
    record(changes, audit_entry(actor, "application.submit", node.ref, at, None, props))
    return Outcome(changes, node, grant)


def approve(application: Node, service: Node | None, held: Node | None, fields: Sequence[str] | None,
            actor: Actor, at: datetime, today: date, note: str | None = None) -> Outcome:
    """Approve a pending application: a grant for exactly `fields` (default: all requested)."""
    _expect(application, (ApplicationStatus.PENDING_REVIEW,), "批准", "approve")
    return _grant(application, service, held, fields, actor, at, today, "application.approve",
                  _optional_note(note, "note"))


def reject(application: Node, reasons: str | None, actor: Actor, at: datetime) -> Outcome:
    """Reject a pending application with its legal reasons (required)."""
    _expect(application, (ApplicationStatus.PENDING_REVIEW,), "驳回", "reject")
    text = reason_text(reasons, "legalReasons", "驳回申请", "rejecting an application")
    return _move(application, ApplicationStatus.REJECTED, "application.reject", actor, at, text,
                 {"rejectionReasons": text})


def dispute(application: Node, reason: str | None, actor: Actor, at: datetime) -> Outcome:
    """The applicant disputes a rejection; the bureau of the provider's level is to negotiate.

    The rules set no time limit for the bureau, so no clock runs (`dueOn` is cleared)."""
    _expect(application, (ApplicationStatus.REJECTED,), "提出异议", "dispute")
    text = reason_text(reason, "reason", "提出异议", "a dispute")
    return _move(application, ApplicationStatus.DISPUTED, "application.dispute", actor, at, text,
                 {"disputeReason": text, "dueAgency": application.get("reviewBureau"), "dueOn": None,
                  "receivedOn": None})


def open_negotiation(application: Node, note: str | None, actor: Actor, at: datetime) -> Outcome:
    """The bureau opens the negotiation of a disputed rejection."""
    _expect(application, (ApplicationStatus.DISPUTED,), "组织协商", "open a negotiation")
    text = _optional_note(note, "note")
    return _move(application, ApplicationStatus.NEGOTIATING, "application.negotiation.open", actor, at, text,
                 {"negotiationNote": text, "negotiationOpenedAt": at.isoformat()})


def acts_as_bureau_for(actor: Actor, application: Node) -> bool:
    """Whether the actor administers the bureau of the provider's level (and region): that
    bureau's administrator when the catalog names it, else any bureau administrator of the level."""
    if actor.role is not Role.BUREAU_ADMIN:
        return False
    bureau = application.get("reviewBureau")
    if bureau:
        return bool(actor.agency_code == bureau)
    return actor.level is not None and bool(actor.level.value == application.get("providerLevel"))


def may_review(actor: Actor, application: Node) -> bool:
    """The provider's chief representative (same level) or the bureau (across levels)."""
    if ReviewPath(application.get("path")) is ReviewPath.BUREAU_REVIEW:
        return acts_as_bureau_for(actor, application)
    return actor.role is Role.CHIEF_REPRESENTATIVE and actor.acts_for(application.get("providerCode"))


def decide_negotiation(application: Node, grant: bool, reason: str | None, service: Node | None,
                       held: Node | None, fields: Sequence[str] | None, actor: Actor, at: datetime,
                       today: date) -> Outcome:
    """The negotiation's decision: a grant (for `fields`, default all requested) or a final refusal."""
    _expect(application, (ApplicationStatus.NEGOTIATING,), "记录协商结果", "record the negotiation's decision")
    text = reason_text(reason, "reason", "协商结果", "the negotiation's decision")
    if grant:
        return _grant(application, service, held, fields, actor, at, today, "application.negotiation.grant",
                      text, {"decisionReason": text})
    return _move(application, ApplicationStatus.REFUSED, "application.negotiation.refuse", actor, at, text,
                 {"decisionReason": text})


def is_overdue(application: Node, today: date) -> bool:
    due = application.get("dueOn")
    return (
        bool(due)
        and ApplicationStatus(application.get("status")) in OPEN_STATUSES
        and today > date.fromisoformat(str(due))
    )


# -- internals ----------------------------------------------------------------------------------


def _requested_fields(names: Sequence[str], fields: Sequence[Node]) -> list[Node]:
    by_name = {str(f.get("name")): f for f in fields}
    cleaned = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    if not cleaned:
        raise WorkflowRefusal(Code.INVALID_INPUT, "fields", "请列出申请的信息项", "list the fields requested")
    if len(cleaned) > MAX_FIELDS:
        raise WorkflowRefusal(
            Code.INVALID_INPUT, "fields", f"信息项过多（最多 {MAX_FIELDS} 个）",
            f"too many fields (at most {MAX_FIELDS})",
        )
    unknown = [n for n in cleaned if n not in by_name]
    if unknown:
        shown = "、".join(unknown[:10])
        raise WorkflowRefusal(
            Code.FIELD_NOT_IN_RESOURCE, "fields", f"资源中没有这些信息项：{shown}",
            f"the resource has no fields named: {', '.join(unknown[:10])}", unknown=unknown,
        )
    return [by_name[n] for n in cleaned]


def _not_shared(resource: Node, requested: Sequence[Node]) -> WorkflowRefusal:
    own = SharingType(resource.get("sharingType"))
    closed = [str(f.get("name")) for f in requested
              if (SharingType(f.get("sharingType")) if f.get("sharingType") else own) is SharingType.NOT_SHARED]
    basis = str(resource.get("legalBasis") or "").strip() or None
    basis_zh = basis or "（提供方未登记法律依据）"
    basis_en = basis or "(the provider recorded no legal basis)"
    return WorkflowRefusal(
        Code.NOT_SHARED, "fields",
        f"资源「{resource.get('name')}」的信息项（{'、'.join(closed)}）为不予共享，不能申请；依据：{basis_zh}",
        f"resource {resource.key}: fields ({', '.join(closed)}) are not shared and cannot be applied for; "
        f"legal basis: {basis_en}",
        legalBasis=basis, notSharedFields=closed,
    )


def _service_for(kind: ServiceKind, names: Sequence[object], services: Sequence[tuple[Node, Sequence[str]]]) -> Node:
    online = [(s, set(exposed)) for s, exposed in services
              if s.get("kind") == kind.value and s.get("status") != ServiceStatus.OFFLINE.value]
    if not online:
        kinds = sorted({str(s.get("kind")) for s, _ in services if s.get("status") != ServiceStatus.OFFLINE.value})
        raise WorkflowRefusal(
            Code.SERVICE_KIND_UNAVAILABLE, "serviceKind",
            f"该资源没有在线的「{kind.label_zh}」服务；可选：{_kinds_zh(kinds)}",
            f"the resource has no online {kind.value} service; available: {', '.join(kinds) or 'none'}",
            availableKinds=kinds,
        )
    wanted = [str(n) for n in names]
    best, exposed = max(online, key=lambda se: sum(n in se[1] for n in wanted))
    missing = [n for n in wanted if n not in exposed]
    if missing:
        raise WorkflowRefusal(
            Code.FIELDS_NOT_SERVED, "fields",
            f"「{kind.label_zh}」服务未开放这些信息项：{'、'.join(missing[:10])}",
            f"no {kind.value} service exposes these fields: {', '.join(missing[:10])}", missing=missing,
        )
    return best


def _kinds_zh(kinds: Sequence[str]) -> str:
    return "、".join(ServiceKind(k).label_zh for k in kinds) or "无"


def _path(sharing: SharingType, consumer: Node, provider: Node) -> ReviewPath:
    if sharing is SharingType.UNCONDITIONAL:
        return ReviewPath.DIRECT
    if consumer.get("level") == provider.get("level"):
        return ReviewPath.PROVIDER_REVIEW
    return ReviewPath.BUREAU_REVIEW


def _purpose(text: str | None) -> str | None:
    cleaned = (text or "").strip() or None
    if cleaned is not None and len(cleaned) > MAX_PURPOSE_CHARS:
        raise WorkflowRefusal(
            Code.INVALID_INPUT, "purpose", f"用途说明过长（最多 {MAX_PURPOSE_CHARS} 个字符）",
            f"purpose too long (at most {MAX_PURPOSE_CHARS} characters)",
        )
    return cleaned


def _optional_note(text: str | None, field_name: str) -> str | None:
    cleaned = (text or "").strip() or None
    if cleaned is not None and len(cleaned) > MAX_PURPOSE_CHARS:
        raise WorkflowRefusal(
            Code.INVALID_INPUT, field_name, f"说明过长（最多 {MAX_PURPOSE_CHARS} 个字符）",
            f"note too long (at most {MAX_PURPOSE_CHARS} characters)",
        )
    return cleaned


def _expect(application: Node, allowed: Sequence[ApplicationStatus], what_zh: str, what_en: str) -> None:
    status = ApplicationStatus(application.get("status"))
    if status not in allowed:
        raise WorkflowRefusal(
            Code.INVALID_STATE, "id", f"申请当前为「{status.label_zh}」，不能{what_zh}",
            f"the application is {status.value}; cannot {what_en}", status=status.value,
        )


def _move(application: Node, target: ApplicationStatus, action: str, actor: Actor, at: datetime,
          note: str | None, updates: dict[str, PropValue], fields: Sequence[str] | None = None,
          changes: ChangeSet | None = None) -> Outcome:
    before = ApplicationStatus(application.get("status"))
    props = dict(application.props)
    props.update(updates)
    props["status"] = target.value
    props["history"] = appended(
        application.get("history"), history_step(actor, at, action, before.value, target.value, note, fields)
    )
    node = Node(Label.APPLICATION, application.key, props)
    changes = changes if changes is not None else ChangeSet()
    changes.upserts.insert(0, node)
    record(changes, audit_entry(actor, action, node.ref, at, application.props, props, note=note))
    return Outcome(changes, node)


def _new_grant(props: dict[str, PropValue], service: Node, fields: Sequence[str]) -> NewGrant:
    until = props.get("validUntil")
    return NewGrant(
        scenario_code=str(props["scenarioCode"]), service=service, resource_code=str(props["resourceCode"]),
        fields=tuple(fields), consumer_code=str(props["applicantCode"]), provider_code=str(props["providerCode"]),
        application_key=str(props["code"]), valid_until=date.fromisoformat(str(until)) if until else None,
    )


def _grant(application: Node, service: Node | None, held: Node | None, fields: Sequence[str] | None,
           actor: Actor, at: datetime, today: date, action: str, note: str | None,
           updates: dict[str, PropValue] | None = None) -> Outcome:
    requested = [str(n) for n in application.get("requestedFields") or []]
    chosen = requested if fields is None else list(dict.fromkeys(f.strip() for f in fields if f.strip()))
    if not chosen:
        raise WorkflowRefusal(Code.INVALID_INPUT, "fields", "批准的信息项不能为空", "approve at least one field")
    extra = [f for f in chosen if f not in requested]
    if extra:
        raise WorkflowRefusal(
            Code.FIELDS_NOT_REQUESTED, "fields", f"只能批准申请中的信息项；未申请：{'、'.join(extra[:10])}",
            f"only requested fields can be approved; not requested: {', '.join(extra[:10])}", extra=extra,
        )
    if service is None or service.get("status") == ServiceStatus.OFFLINE.value:
        raise WorkflowRefusal(
            Code.SERVICE_KIND_UNAVAILABLE, "id", f"申请的服务（{application.get('serviceCode')}）已下线",
            f"the service applied for ({application.get('serviceCode')}) is offline",
        )
    if is_live(held, today):
        assert held is not None
        raise WorkflowRefusal(
            Code.ALREADY_GRANTED, "id", f"场景已持有该服务的有效授权（{held.key}）",
            f"the scenario already holds a live grant on this service ({held.key})", grant=held.key,
        )
    changes = ChangeSet()
    grant = grant_changes(changes, _new_grant(dict(application.props), service, chosen), actor, at)
    changes.set_edges(application.ref, Rel.RESULTED_IN, [NodeRef(Label.GRANT, grant.key)])
    outcome = _move(application, ApplicationStatus.APPROVED, action, actor, at, note,
                    {**(updates or {}), "approvedFields": chosen, "grantKey": grant.key}, chosen, changes)
    return Outcome(outcome.changes, outcome.application, grant)
