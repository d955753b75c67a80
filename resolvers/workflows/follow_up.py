"""Demand answers, data-quality steps and the overdue views: who may act, then the rules
(需求应答、数据问题与逾期视图解析器), R7 and R9.

- answering a demand: the staff or chief representative of the agency it is routed to;
- routing an unrouted demand: a big-data bureau administrator of the requester's level;
- reporting or withdrawing a quality issue: a bureau administrator of the provider's level;
- feedback and verification: the provider's staff or chief representative;
- the lists: bureau administrators and planners for any agency or level, an agency's staff
  and chief representative for their own agency.
A refusal of the rules is a payload error; a caller without the role gets FORBIDDEN.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from graph.errors import StoreError
from graph.model import Label, Node
from resolvers.browse import check_code
from resolvers.context import Info
from resolvers.permissions import forbidden, require
from resolvers.workflows.catalog_upkeep import maintainer_check, resource_record, step_of, write_failed
from schema.demand import Demand
from schema.errors import not_found
from schema.pagination import page_size
from schema.workflows.demand_answers import AnswerDemandInput, DemandList, DemandStepPayload
from schema.workflows.overdue import ClockedKind, OverdueCount
from schema.workflows.quality_issues import (
    QualityIssue,
    QualityIssueList,
    QualityIssuePayload,
    ReportQualityIssueInput,
)
from schema.workflows.step_errors import step_errors
from sharing import demand_answer, quality_issues
from sharing.catalog_upkeep import Authorize
from sharing.clock import today
from sharing.identity import Actor, Role
from sharing.overdue_views import awaited, overdue_summary
from sharing.quality_issues import QualityIssueStatus, VerificationOutcome
from sharing.refusal import Refusal
from sharing.terms import Level

AGENCY_ROLES = (Role.AGENCY_STAFF, Role.CHIEF_REPRESENTATIVE)
BUREAU = (Role.BUREAU_ADMIN,)
OVERSEERS = (Role.BUREAU_ADMIN, Role.PLANNER)
READERS = (*OVERSEERS, *AGENCY_ROLES)

S = TypeVar("S")


def _own_agency(actor: Actor, what_zh: str, what_en: str) -> Authorize:
    def check(agency: Node) -> None:
        if not actor.acts_for(agency.key):
            raise forbidden(AGENCY_ROLES, f"只有「{agency.get('name') or agency.key}」的人员可以{what_zh}",
                            f"only the staff or chief representative of {agency.key} may {what_en}")

    return check


def _bureau_of_level(actor: Actor, what_zh: str, what_en: str) -> Authorize:
    def check(agency: Node) -> None:
        if actor.level is None or actor.level.value != agency.get("level"):
            raise forbidden(BUREAU, f"只有{agency.get('level')}层级的大数据局可以{what_zh}",
                            f"only the big-data bureau of level {agency.get('level')} may {what_en}")

    return check


async def _run(info: Info, build: Callable[[], Awaitable[S]], changes_of: Callable[[S], object]) -> (
    tuple[S | None, Refusal | None]
):
    try:
        result = await build()
        await info.context.writer.apply(changes_of(result))  # type: ignore[arg-type]
    except Refusal as r:
        return None, r
    except StoreError as e:
        return None, write_failed(e)
    return result, None


# --------------------------------------------------------------------------- demands (R9)


def _demand_payload(step: demand_answer.DemandStep | None, refusal: Refusal | None) -> DemandStepPayload:
    if step is None:
        assert refusal is not None
        return DemandStepPayload(demand=None, errors=step_errors(refusal))
    return DemandStepPayload(demand=Demand(_node=step.demand), errors=[])


async def answer_demand(info: Info, input: AnswerDemandInput) -> DemandStepPayload:
    actor = require(info, *AGENCY_ROLES)
    step = step_of(info, actor)
    request = demand_answer.AnswerRequest(
        code=check_code(input.code), resource=input.resource,
        new_resource=resource_record(input.new_resource) if input.new_resource else None,
        decline_reasons=input.decline_reasons, note=input.note,
    )
    own = _own_agency(actor, "答复该需求", "answer this demand")

    def authorize(agency: Node) -> None:
        own(agency)  # the routed agency answers; a new resource is then its own
        maintainer_check(actor)(agency)

    return _demand_payload(*await _run(
        info, lambda: demand_answer.answer_demand(info.context.store, step, request, authorize),
        lambda s: s.changes))


async def route_demand(info: Info, code: str, agency: str) -> DemandStepPayload:
    actor = require(info, *BUREAU)
    step = step_of(info, actor)
    auth = _bureau_of_level(actor, "分派该机构的需求", "route this agency's demands")
    return _demand_payload(*await _run(
        info, lambda: demand_answer.route_demand(info.context.store, step, check_code(code),
                                                 check_code(agency, "agency"), auth),
        lambda s: s.changes))


def _visible_agency(actor: Actor, agency: str | None) -> str | None:
    """The agency filter the caller may use: overseers any, an agency only its own."""
    if actor.role in OVERSEERS:
        return check_code(agency, "agency") if agency else None
    if agency and agency != actor.agency_code:
        raise forbidden(OVERSEERS, "机构人员只能查看本机构的待办", "agency staff see their own agency's items only")
    return actor.agency_code


async def demands_awaiting(
    info: Info, agency: str | None, level: Level | None, overdue_only: bool, first: int | None
) -> DemandList:
    actor = require(info, *READERS)
    code = _visible_agency(actor, agency)
    items = await awaited(info.context.store, Label.DEMAND, today(info.context.clock), agency=code,
                          level=level.value if level else None, overdue_only=overdue_only)
    return DemandList(total_count=len(items), overdue_count=sum(i.overdue for i in items),
                      demands=[Demand(_node=i.node) for i in items[: page_size(first)]])


# --------------------------------------------------------------------------- quality issues (R7)


def _issue_payload(step: quality_issues.QualityStep | None, refusal: Refusal | None) -> QualityIssuePayload:
    if step is None:
        assert refusal is not None
        return QualityIssuePayload(issue=None, errors=step_errors(refusal))
    return QualityIssuePayload(issue=QualityIssue(_node=step.issue), errors=[])


async def report_quality_issue(info: Info, input: ReportQualityIssueInput) -> QualityIssuePayload:
    actor = require(info, *BUREAU)
    step = step_of(info, actor)
    auth = _bureau_of_level(actor, "报告该机构的数据问题", "report problems of this agency's data")
    return _issue_payload(*await _run(
        info, lambda: quality_issues.report_issue(info.context.store, step, check_code(input.resource, "resource"),
                                                  input.field, input.description, auth),
        lambda s: s.changes))


async def give_quality_feedback(info: Info, code: str, feedback: str) -> QualityIssuePayload:
    actor = require(info, *AGENCY_ROLES)
    step = step_of(info, actor)
    auth = _own_agency(actor, "反馈该问题", "give feedback on this issue")
    return _issue_payload(*await _run(
        info, lambda: quality_issues.give_feedback(info.context.store, step, check_code(code), feedback, auth),
        lambda s: s.changes))


async def complete_quality_verification(
    info: Info, code: str, outcome: VerificationOutcome, result: str
) -> QualityIssuePayload:
    actor = require(info, *AGENCY_ROLES)
    step = step_of(info, actor)
    auth = _own_agency(actor, "核查该问题", "verify this issue")
    return _issue_payload(*await _run(
        info, lambda: quality_issues.complete_verification(info.context.store, step, check_code(code), outcome,
                                                           result, auth),
        lambda s: s.changes))


async def withdraw_quality_issue(info: Info, code: str, reason: str) -> QualityIssuePayload:
    actor = require(info, *BUREAU)
    step = step_of(info, actor)
    auth = _bureau_of_level(actor, "撤回该问题", "withdraw this issue")
    return _issue_payload(*await _run(
        info, lambda: quality_issues.withdraw_issue(info.context.store, step, check_code(code), reason, auth),
        lambda s: s.changes))


async def quality_issue(info: Info, code: str) -> QualityIssue:
    actor = require(info, *READERS)
    node = await info.context.loaders.nodes(Label.QUALITY_ISSUE).load(check_code(code))
    if node is None:
        raise not_found("数据问题", "quality issue", code)
    _visible_agency(actor, str(node.get("dueAgency")))
    return QualityIssue(_node=node)


async def quality_issues_list(
    info: Info, agency: str | None, level: Level | None, status: QualityIssueStatus | None,
    overdue_only: bool, first: int | None,
) -> QualityIssueList:
    """Issues awaiting a step (or, with `status`, every issue in that state)."""
    actor = require(info, *READERS)
    code = _visible_agency(actor, agency)
    now = today(info.context.clock)
    items = await awaited(info.context.store, Label.QUALITY_ISSUE, now, agency=code,
                          level=level.value if level else None, overdue_only=overdue_only,
                          include_final=status is not None)
    if status is not None:
        items = [i for i in items if i.node.get("status") == status.value]
    return QualityIssueList(total_count=len(items), overdue_count=sum(i.overdue for i in items),
                            issues=[QualityIssue(_node=i.node) for i in items[: page_size(first)]])


# --------------------------------------------------------------------------- every clock


async def overdue_counts(info: Info, level: Level | None) -> list[OverdueCount]:
    require(info, *OVERSEERS)
    counts = await overdue_summary(info.context.store, today(info.context.clock), level.value if level else None)
    kinds = {Label.DEMAND: ClockedKind.DEMAND, Label.QUALITY_ISSUE: ClockedKind.QUALITY_ISSUE,
             Label.APPLICATION: ClockedKind.APPLICATION}
    return [OverdueCount(kind=kinds[c.label], awaiting=c.awaiting, overdue=c.overdue) for c in counts]
