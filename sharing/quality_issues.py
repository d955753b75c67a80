"""Data-quality issues (数据问题), R7: reported by the bureau, fed back and verified by the provider.

The big-data bureau of the provider's level reports a problem on a resource, or on one of its
fields (`QualityIssue`, `CONCERNS` the resource and the field). Two clocks start on the day the
report is received (the next working day when reported on a day off): the provider gives
feedback (反馈) within 2 working days (`feedbackDueOn`) and completes verification (核查) within
5 working days (`verificationDueOn`), both counted from that same day.

States: REPORTED → FEEDBACK_GIVEN → VERIFIED (the problem checked and fixed, or found not to be
one: `outcome` FIXED / NOT_A_PROBLEM); the bureau may WITHDRAW an issue not yet verified.
Feedback and verification may come on the same day, but verification needs feedback first.
`dueOn` follows the clock running (feedback, then verification), `dueAgency` is the provider:
the convention of `sharing.deadline_clock`. VERIFIED and WITHDRAWN are among the states the
acceptance gate treats as closed (`sharing.acceptance.CLOSED_ISSUE_STATES`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from graph.model import ChangeSet, Label, Node, NodeRef, PropValue, Rel
from graph.store import GraphStore
from interchange.graph_mapping import field_key
from sharing.audit import audit_entry
from sharing.catalog_upkeep import Authorize, StepContext
from sharing.deadline_clock import late
from sharing.refusal import Refusal, RefusalCode, not_found
from sharing.working_days import Deadline, WorkingCalendar, default_calendar

FEEDBACK_DAYS = 2  # R7: fed back within 2 working days
VERIFICATION_DAYS = 5  # R7: verified within 5 working days
MAX_TEXT = 4000


class QualityIssueStatus(StrEnum):
    """数据问题状态."""

    REPORTED = "REPORTED"  # 已报告，待反馈
    FEEDBACK_GIVEN = "FEEDBACK_GIVEN"  # 已反馈，待核查
    VERIFIED = "VERIFIED"  # 已核查
    WITHDRAWN = "WITHDRAWN"  # 已撤回


class VerificationOutcome(StrEnum):
    """核查结论."""

    FIXED = "FIXED"  # 问题属实，已整改
    NOT_A_PROBLEM = "NOT_A_PROBLEM"  # 经核查不属于问题


@dataclass(frozen=True, slots=True)
class QualityStep:
    changes: ChangeSet
    issue: Node
    deadlines: tuple[Deadline, ...] = ()


def _text(value: str | None, field: str, what_zh: str, what_en: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise Refusal(RefusalCode.REQUIRED, field, f"{what_zh}不能为空", f"{what_en} is required")
    if len(cleaned) > MAX_TEXT:
        raise Refusal(RefusalCode.TOO_LONG, field, f"{what_zh}过长（最多 {MAX_TEXT} 个字符）",
                      f"{what_en} is too long (at most {MAX_TEXT} characters)")
    return cleaned


async def report_issue(
    store: GraphStore,
    step: StepContext,
    resource_code: str,
    field_name: str | None,
    description: str,
    authorize: Authorize,
    calendar: WorkingCalendar | None = None,
) -> QualityStep:
    """The bureau reports a problem; `authorize` is asked about the providing agency."""
    calendar = calendar or default_calendar()
    (resource,) = await store.get_nodes(Label.RESOURCE, [resource_code])
    if resource is None:
        raise not_found("信息资源", "resource", resource_code, "resource")
    (provider,) = await store.get_nodes(Label.AGENCY, [str(resource.get("providerCode"))])
    assert provider is not None, "a resource's provider always exists"
    authorize(provider)
    concerns = [resource.ref]
    if field_name is not None:
        (found,) = await store.get_nodes(Label.FIELD, [field_key(resource_code, field_name)])
        if found is None:
            raise not_found("信息项", "field", f"{resource_code}#{field_name}", "field")
        concerns.append(found.ref)
    text = _text(description, "description", "问题描述", "the description")
    reported = date.fromisoformat(step.day)
    feedback = calendar.deadline(reported, FEEDBACK_DAYS)
    verification = calendar.deadline(reported, VERIFICATION_DAYS)
    key = f"QI-{reported:%Y%m%d}-{uuid.uuid4().hex[:8]}"
    node = Node(Label.QUALITY_ISSUE, key, {
        "code": key,
        "resourceCode": resource.key,
        "fieldName": field_name,
        "description": text,
        "status": QualityIssueStatus.REPORTED.value,
        "reportedOn": step.day,
        "reportedBy": step.actor.person,
        "reporterAgency": step.actor.agency_code,
        "receivedOn": feedback.received_on.isoformat(),
        "feedbackDueOn": feedback.due_on.isoformat(),
        "verificationDueOn": verification.due_on.isoformat(),
        "dueOn": feedback.due_on.isoformat(),
        "dueAgency": provider.key,
        "dueOnEstimated": feedback.estimated or verification.estimated,
        "rule": "R7",
    })
    changes = ChangeSet(upserts=[node])
    changes.set_edges(node.ref, Rel.CONCERNS, concerns)
    changes.upserts.append(audit_entry(step.actor, "qualityIssue.report", node.ref, step.at, None, node.props))
    return QualityStep(changes, node, (feedback, verification))


async def _issue(store: GraphStore, code: str) -> Node:
    (issue,) = await store.get_nodes(Label.QUALITY_ISSUE, [code])
    if issue is None:
        raise not_found("数据问题", "quality issue", code, "code")
    return issue


async def _provider(store: GraphStore, issue: Node) -> Node:
    (agency,) = await store.get_nodes(Label.AGENCY, [str(issue.get("dueAgency"))])
    if agency is None:
        raise not_found("机构", "agency", str(issue.get("dueAgency")), "code")
    return agency


def _wrong_state(issue: Node, wanted_zh: str, wanted_en: str) -> Refusal:
    return Refusal(
        RefusalCode.WRONG_STATE, "code",
        f"数据问题「{issue.key}」当前状态为 {issue.get('status')}，{wanted_zh}",
        f"quality issue {issue.key!r} is {issue.get('status')}; {wanted_en}",
    )


def _step(step: StepContext, action: str, issue: Node, props: dict[str, PropValue]) -> QualityStep:
    node = Node(Label.QUALITY_ISSUE, issue.key, props)
    changes = ChangeSet(upserts=[node])
    changes.upserts.append(audit_entry(step.actor, action, node.ref, step.at, issue.props, node.props))
    return QualityStep(changes, node)


async def give_feedback(
    store: GraphStore, step: StepContext, code: str, feedback: str, authorize: Authorize
) -> QualityStep:
    """The provider's feedback (反馈); the verification clock then runs."""
    issue = await _issue(store, code)
    authorize(await _provider(store, issue))
    if issue.get("status") != QualityIssueStatus.REPORTED.value:
        raise _wrong_state(issue, "只有待反馈的问题可以反馈", "only a REPORTED issue takes feedback")
    text = _text(feedback, "feedback", "反馈意见", "the feedback")
    today = date.fromisoformat(step.day)
    return _step(step, "qualityIssue.feedback", issue, {
        **issue.props, "status": QualityIssueStatus.FEEDBACK_GIVEN.value, "feedback": text,
        "feedbackOn": step.day, "feedbackLate": late(today, issue.get("feedbackDueOn")),
        "dueOn": issue.get("verificationDueOn"),
    })


async def complete_verification(
    store: GraphStore, step: StepContext, code: str, outcome: VerificationOutcome, result: str,
    authorize: Authorize,
) -> QualityStep:
    """The provider's completed verification (核查完成): VERIFIED with its outcome."""
    issue = await _issue(store, code)
    authorize(await _provider(store, issue))
    if issue.get("status") != QualityIssueStatus.FEEDBACK_GIVEN.value:
        raise _wrong_state(issue, "须先反馈，再完成核查", "feedback comes before verification")
    text = _text(result, "result", "核查结果", "the verification result")
    today = date.fromisoformat(step.day)
    return _step(step, "qualityIssue.verify", issue, {
        **issue.props, "status": QualityIssueStatus.VERIFIED.value, "outcome": outcome.value,
        "verificationResult": text, "verifiedOn": step.day,
        "verificationLate": late(today, issue.get("verificationDueOn")),
    })


async def withdraw_issue(
    store: GraphStore, step: StepContext, code: str, reason: str, authorize: Authorize
) -> QualityStep:
    """The bureau withdraws an issue not yet verified; `authorize` is asked about the provider."""
    issue = await _issue(store, code)
    authorize(await _provider(store, issue))
    if issue.get("status") not in (QualityIssueStatus.REPORTED.value, QualityIssueStatus.FEEDBACK_GIVEN.value):
        raise _wrong_state(issue, "已核查或已撤回的问题不能撤回", "a verified or withdrawn issue cannot be withdrawn")
    text = _text(reason, "reason", "撤回理由", "the reason")
    return _step(step, "qualityIssue.withdraw", issue, {
        **issue.props, "status": QualityIssueStatus.WITHDRAWN.value, "withdrawnOn": step.day,
        "withdrawReason": text,
    })


def concerns(issue: Node) -> NodeRef:
    """The resource the issue is about."""
    return NodeRef(Label.RESOURCE, str(issue.get("resourceCode")))
