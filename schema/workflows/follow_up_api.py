"""Demand answers, data-quality issues and the overdue views: the root fields
(需求应答、数据问题与逾期视图入口), R7 and R9. Who may call is stated per field and checked by
`resolvers.workflows.follow_up`; a refused step answers with `errors` and writes nothing."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.context import Info
from resolvers.workflows import follow_up as resolver
from schema.enums import Level
from schema.workflows.demand_answers import AnswerDemandInput, DemandList, DemandStepPayload
from schema.workflows.overdue import OverdueCount
from schema.workflows.quality_issues import (
    QualityIssue,
    QualityIssueList,
    QualityIssuePayload,
    ReportQualityIssueInput,
)
from sharing.quality_issues import QualityIssueStatus, VerificationOutcome

Code = strawberry.argument(description="编号 / Code.")
AgencyFilter = strawberry.argument(description="须办理的机构代码 / Code of the agency that must act.")
LevelFilter = strawberry.argument(description="该机构的层级 / Level of that agency.")
OverdueOnly = strawberry.argument(description="只列逾期的 / Only the overdue ones.")
First = strawberry.argument(description="最多返回条数（默认20，≤100）/ At most this many (default 20, ≤100).")


@strawberry.type(description="需求应答与数据问题 / Demand answers and data-quality steps.")
class FollowUpMutation:
    @strawberry.mutation(
        description=(
            "承办机构答复需求（3个工作日内，R9）：指定或新编目资源，或说明理由不予受理 / The routed provider "
            "answers a demand within 3 working days (R9): name or catalogue a resource, or decline with reasons."
        )
    )
    async def answer_demand(
        self, info: Info, input: Annotated[AnswerDemandInput, strawberry.argument(description="应答 / The answer.")]
    ) -> DemandStepPayload:
        return await resolver.answer_demand(info, input)

    @strawberry.mutation(
        description="大数据局分派未分派的需求（时限自分派日起算）/ The bureau routes an unrouted demand; clock starts."
    )
    async def route_demand(
        self, info: Info, code: Annotated[str, Code],
        agency: Annotated[str, strawberry.argument(description="承办机构代码 / Agency to route to.")],
    ) -> DemandStepPayload:
        return await resolver.route_demand(info, code, agency)

    @strawberry.mutation(
        description=(
            "大数据局报告数据问题（反馈2个工作日、核查5个工作日，R7）/ The bureau reports a data problem: feedback "
            "due in 2 working days, verification in 5 (R7)."
        )
    )
    async def report_quality_issue(
        self, info: Info,
        input: Annotated[ReportQualityIssueInput, strawberry.argument(description="问题 / The problem.")],
    ) -> QualityIssuePayload:
        return await resolver.report_quality_issue(info, input)

    @strawberry.mutation(description="提供方反馈数据问题 / The provider's feedback on an issue.")
    async def give_quality_feedback(
        self, info: Info, code: Annotated[str, Code],
        feedback: Annotated[str, strawberry.argument(description="反馈意见 / The feedback.")],
    ) -> QualityIssuePayload:
        return await resolver.give_quality_feedback(info, code, feedback)

    @strawberry.mutation(description="提供方完成核查 / The provider completes the verification.")
    async def complete_quality_verification(
        self, info: Info, code: Annotated[str, Code],
        outcome: Annotated[VerificationOutcome, strawberry.argument(description="核查结论 / Outcome.")],
        result: Annotated[str, strawberry.argument(description="核查结果说明 / What was found and done.")],
    ) -> QualityIssuePayload:
        return await resolver.complete_quality_verification(info, code, outcome, result)

    @strawberry.mutation(description="大数据局撤回数据问题 / The bureau withdraws an issue not yet verified.")
    async def withdraw_quality_issue(
        self, info: Info, code: Annotated[str, Code],
        reason: Annotated[str, strawberry.argument(description="撤回理由 / Why.")],
    ) -> QualityIssuePayload:
        return await resolver.withdraw_quality_issue(info, code, reason)


@strawberry.type(description="待办与逾期 / What awaits a step, and what is overdue.")
class FollowUpQuery:
    @strawberry.field(
        description="待答复的需求（可按机构、层级、逾期筛选）/ Demands awaiting an answer, by agency, level, overdue."
    )
    async def demands_awaiting_answer(
        self, info: Info, agency: Annotated[str | None, AgencyFilter] = None,
        level: Annotated[Level | None, LevelFilter] = None, overdue: Annotated[bool, OverdueOnly] = False,
        first: Annotated[int | None, First] = None,
    ) -> DemandList:
        return await resolver.demands_awaiting(info, agency, level, overdue, first)

    @strawberry.field(description="数据问题 / A data-quality issue by code.")
    async def quality_issue(self, info: Info, code: Annotated[str, Code]) -> QualityIssue:
        return await resolver.quality_issue(info, code)

    @strawberry.field(
        description=(
            "待办的数据问题（给出状态时为该状态的全部问题）/ Quality issues awaiting a step; with `status`, every "
            "issue in that state."
        )
    )
    async def quality_issues(
        self, info: Info, agency: Annotated[str | None, AgencyFilter] = None,
        level: Annotated[Level | None, LevelFilter] = None,
        status: Annotated[QualityIssueStatus | None, strawberry.argument(description="状态 / State.")] = None,
        overdue: Annotated[bool, OverdueOnly] = False, first: Annotated[int | None, First] = None,
    ) -> QualityIssueList:
        return await resolver.quality_issues_list(info, agency, level, status, overdue, first)

    @strawberry.field(
        description=(
            "各类有时限事项的待办与逾期数（需求、数据问题、申请审核）/ Per kind of item with a deadline (demands, "
            "quality issues, application reviews): how many await a step and how many are overdue."
        )
    )
    async def overdue_summary(
        self, info: Info, level: Annotated[Level | None, strawberry.argument(description="层级 / Level.")] = None
    ) -> list[OverdueCount]:
        return await resolver.overdue_counts(info, level)
