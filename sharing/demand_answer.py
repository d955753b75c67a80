"""Answering and routing demand-list entries (需求应答与分派), R9.

An OPEN demand routed to a provider must be answered by that provider within 3 working days
of the day it was received (`dueOn`): it accepts, naming one of its own catalogued resources
or cataloguing a new one in the same write (`catalog_upkeep.create_resource`), or it declines,
stating its reasons. Either way the entry becomes RESPONDED with `answer` ACCEPTED / DECLINED,
`answeredOn`, and `answeredLate` when after `dueOn`; an accepted entry points at its resource
(`ANSWERED_WITH`). A demand nobody seemed to hold is filed unrouted; the big-data bureau of the
requester's level routes it, which starts the provider's 3 working days on the day routed.
Every step appends an audit entry with the entry before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from graph.model import ChangeSet, Label, Node, NodeRef, PropValue, Rel
from graph.store import GraphStore
from interchange.records import ResourceRecord
from sharing.audit import audit_entry
from sharing.bureaus import is_big_data_bureau
from sharing.catalog_upkeep import RETIRED, Authorize, StepContext, create_resource
from sharing.deadline_clock import clock_props
from sharing.demand_filing import RESPONSE_DAYS
from sharing.refusal import Refusal, RefusalCode, not_found
from sharing.terms import DemandStatus
from sharing.working_days import WorkingCalendar, default_calendar

MAX_REASONS = 4000


class DemandAnswer(StrEnum):
    """How a provider answered a demand (应答结果)."""

    ACCEPTED = "ACCEPTED"  # 已受理：指定或新编目资源
    DECLINED = "DECLINED"  # 不予受理：说明理由


@dataclass(frozen=True, slots=True)
class AnswerRequest:
    """Exactly one of `resource`, `new_resource` or `decline_reasons`."""

    code: str
    resource: str | None = None  # an existing resource of the provider
    new_resource: ResourceRecord | None = None  # or one catalogued with the answer
    decline_reasons: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class DemandStep:
    changes: ChangeSet
    demand: Node


async def _open_demand(store: GraphStore, code: str) -> Node:
    (demand,) = await store.get_nodes(Label.DEMAND, [code])
    if demand is None:
        raise not_found("需求", "demand", code, "code")
    if demand.get("status") != DemandStatus.OPEN.value:
        raise Refusal(RefusalCode.WRONG_STATE, "code", f"需求「{code}」已答复或已办结",
                      f"demand {code!r} has already been answered or closed")
    return demand


async def routed_agency(store: GraphStore, code: str) -> Node | None:
    """The agency an open demand is routed to (None while unrouted)."""
    demand = await _open_demand(store, code)
    routed = demand.get("routedToCode")
    if not routed:
        return None
    (agency,) = await store.get_nodes(Label.AGENCY, [str(routed)])
    return agency


async def bureau_for(store: GraphStore, agency: Node) -> Node | None:
    """The big-data bureau of an agency's level (and, below the province, its region)."""
    where: dict[str, PropValue] = {"level": agency.get("level")}
    if agency.get("regionCode") and agency.get("level") != "PROVINCE":
        where["regionCode"] = agency.get("regionCode")
    after: str | None = None
    while True:
        page = await store.find_nodes(Label.AGENCY, where, after=after, limit=500)
        found = next((a for a in page.nodes if is_big_data_bureau(a)), None)
        if found is not None or not page.has_next:
            return found
        after = page.nodes[-1].key


async def answer_demand(
    store: GraphStore, step: StepContext, request: AnswerRequest, authorize: Authorize
) -> DemandStep:
    """The routed provider's answer to an open demand."""
    demand = await _open_demand(store, request.code)
    routed = demand.get("routedToCode")
    if not routed:
        raise Refusal(RefusalCode.NOT_ROUTED_HERE, "code", "该需求尚未分派，须由大数据局先分派承办机构",
                      "the demand is not routed yet; the big-data bureau routes it first")
    (agency,) = await store.get_nodes(Label.AGENCY, [str(routed)])
    if agency is None:
        raise not_found("机构", "agency", str(routed), "code")
    authorize(agency)
    chosen = [x is not None for x in (request.resource, request.new_resource, request.decline_reasons)]
    if sum(chosen) != 1:
        raise Refusal(
            RefusalCode.ANSWER_AMBIGUOUS, None,
            "应答须且只能选择一种：指定已有资源、新编目资源或说明理由不予受理",
            "answer in exactly one way: name an existing resource, catalogue a new one, or decline with reasons",
        )
    changes = ChangeSet()
    props: dict[str, PropValue] = {**demand.props}
    resource_code: str | None = None
    if request.decline_reasons is not None:
        reasons = request.decline_reasons.strip()
        if not reasons:
            raise Refusal(RefusalCode.REASONS_REQUIRED, "declineReasons", "不予受理须说明理由",
                          "declining a demand requires the reasons")
        if len(reasons) > MAX_REASONS:
            raise Refusal(RefusalCode.TOO_LONG, "declineReasons", f"理由过长（最多 {MAX_REASONS} 个字符）",
                          f"the reasons are too long (at most {MAX_REASONS} characters)")
        props.update(answer=DemandAnswer.DECLINED.value, answerReasons=reasons)
    elif request.resource is not None:
        (resource,) = await store.get_nodes(Label.RESOURCE, [request.resource])
        if resource is None:
            raise not_found("信息资源", "resource", request.resource, "resource")
        if resource.get("providerCode") != agency.key:
            raise Refusal(RefusalCode.WRONG_PROVIDER, "resource", "只能以本机构提供的资源应答",
                          "answer with a resource your agency provides")
        if resource.get("status") == RETIRED:
            raise Refusal(RefusalCode.RETIRED, "resource", f"信息资源「{resource.key}」已停用",
                          f"resource {resource.key!r} is retired")
        resource_code = resource.key
    else:
        assert request.new_resource is not None
        if request.new_resource.provider != agency.key:
            raise Refusal(RefusalCode.WRONG_PROVIDER, "newResource.provider", "新编目资源的提供方须为承办机构",
                          "the new resource must be provided by the agency the demand is routed to")
        created = await create_resource(store, step, request.new_resource, authorize)
        changes = created.changes
        resource_code = created.target.key
    if resource_code is not None:
        props.update(answer=DemandAnswer.ACCEPTED.value, answerReasons=None, answeredWithCode=resource_code)
        changes.set_edges(demand.ref, Rel.ANSWERED_WITH, [NodeRef(Label.RESOURCE, resource_code)])
    props.update(
        status=DemandStatus.RESPONDED.value, answeredOn=step.day, answeredBy=step.actor.person,
        answeredLate=step.day > str(demand.get("dueOn") or demand.get("deadline") or step.day),
        answerNote=(request.note or "").strip()[:MAX_REASONS] or None,
    )
    node = Node(Label.DEMAND, demand.key, props)
    changes.upserts.append(node)
    changes.upserts.append(audit_entry(step.actor, "demand.answer", node.ref, step.at, demand.props, node.props))
    return DemandStep(changes, node)


async def route_demand(
    store: GraphStore, step: StepContext, code: str, agency_code: str, authorize: Authorize,
    calendar: WorkingCalendar | None = None,
) -> DemandStep:
    """Route an unrouted open demand to a provider; its 3 working days start that day.
    `authorize` is asked about the requesting agency (the bureau of its level routes)."""
    calendar = calendar or default_calendar()
    demand = await _open_demand(store, code)
    (requester,) = await store.get_nodes(Label.AGENCY, [str(demand.get("requesterCode"))])
    if requester is None:
        raise not_found("机构", "agency", str(demand.get("requesterCode")), "code")
    authorize(requester)
    if demand.get("routedToCode"):
        raise Refusal(RefusalCode.WRONG_STATE, "code", f"需求「{code}」已分派",
                      f"demand {code!r} is already routed")
    (agency,) = await store.get_nodes(Label.AGENCY, [agency_code])
    if agency is None:
        raise not_found("机构", "agency", agency_code, "agency")
    deadline = calendar.deadline(date.fromisoformat(step.day), RESPONSE_DAYS)
    props: dict[str, PropValue] = {
        **demand.props, **clock_props(deadline, agency.key), "deadline": deadline.due_on.isoformat(),
        "deadlineEstimated": deadline.estimated, "routedToCode": agency.key, "routingBasis": None,
        "routedOn": step.day,
    }
    node = Node(Label.DEMAND, demand.key, props)
    changes = ChangeSet(upserts=[node])
    changes.set_edges(node.ref, Rel.ROUTED_TO, [agency.ref])
    changes.upserts.append(audit_entry(step.actor, "demand.route", node.ref, step.at, demand.props, node.props))
    return DemandStep(changes, node)
