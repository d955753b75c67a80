"""Data-quality issues in GraphQL: the issue, its states, inputs and payloads (数据问题), R7.
The root fields are in `follow_up_api`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.model import Label
from resolvers.context import Info
from schema.demand import CalendarNotice
from schema.node import NodeInterface
from schema.workflows.step_errors import WorkflowStepError
from sharing.clock import today
from sharing.deadline_clock import calendar_warnings, overdue
from sharing.quality_issues import QualityIssueStatus, VerificationOutcome

if TYPE_CHECKING:
    from schema.agency import Agency
    from schema.field import Field
    from schema.resource import DataResource

strawberry.enum(
    QualityIssueStatus, name="QualityIssueStatus",
    description=(
        "数据问题状态（R7）/ State of a data-quality issue (R7). REPORTED: 已报告待反馈 awaiting feedback; "
        "FEEDBACK_GIVEN: 已反馈待核查 awaiting verification; VERIFIED: 已核查 verified; WITHDRAWN: 已撤回 withdrawn"
    ),
)
strawberry.enum(
    VerificationOutcome, name="VerificationOutcome",
    description=(
        "核查结论 / Outcome of the verification. FIXED: 属实已整改 fixed; NOT_A_PROBLEM: 不属于问题 not a problem"
    ),
)


_ZH = {
    QualityIssueStatus: {"REPORTED": "已报告，待反馈", "FEEDBACK_GIVEN": "已反馈，待核查", "VERIFIED": "已核查",
                         "WITHDRAWN": "已撤回"},
    VerificationOutcome: {"FIXED": "问题属实，已整改", "NOT_A_PROBLEM": "经核查不属于问题"},
}
for _cls, _labels in _ZH.items():
    for _value in _cls.__strawberry_definition__.values:  # type: ignore[attr-defined]
        _value.description = f"{_labels[_value.value]} / {_value.name.replace('_', ' ').lower()}"


@strawberry.type(description="数据问题（R7）/ A data-quality issue reported by the big-data bureau (R7).")
class QualityIssue(NodeInterface):
    @strawberry.field(description="问题编号 / Issue code.")
    def code(self) -> str:
        return self._node.key

    @strawberry.field(description="状态 / State.")
    def status(self) -> QualityIssueStatus:
        return QualityIssueStatus(self.prop("status"))

    @strawberry.field(description="问题描述 / What is wrong.")
    def description(self) -> str:
        return str(self.prop("description"))

    @strawberry.field(description="所涉数据资源 / The resource concerned.")
    async def resource(self, info: Info) -> Annotated[DataResource, strawberry.lazy("schema.resource")] | None:
        from schema.resource import DataResource

        node = await info.context.loaders.nodes(Label.RESOURCE).load(str(self.prop("resourceCode")))
        return DataResource(_node=node) if node else None

    @strawberry.field(description="所涉信息项（如有）/ The field concerned, if any.")
    async def field(self, info: Info) -> Annotated[Field, strawberry.lazy("schema.field")] | None:
        from schema.field import Field

        name = self.prop("fieldName")
        if not name:
            return None
        node = await info.context.loaders.nodes(Label.FIELD).load(f"{self.prop('resourceCode')}#{name}")
        return Field(_node=node) if node else None

    @strawberry.field(description="信息项名称（如有）/ Name of the field concerned, if any.")
    def field_name(self) -> str | None:
        return self.text("fieldName")

    @strawberry.field(description="报告日期 / Day reported.")
    def reported_on(self) -> str:
        return str(self.prop("reportedOn"))

    @strawberry.field(description="受理日（两个时限的起算日）/ Day both clocks started.")
    def received_on(self) -> str:
        return str(self.prop("receivedOn"))

    @strawberry.field(description="反馈的最后工作日（2个工作日）/ Last working day for feedback (2 working days).")
    def feedback_due_on(self) -> str:
        return str(self.prop("feedbackDueOn"))

    @strawberry.field(
        description="核查完成的最后工作日（5个工作日）/ Last working day to complete verification (5 working days)."
    )
    def verification_due_on(self) -> str:
        return str(self.prop("verificationDueOn"))

    @strawberry.field(description="当前步骤的最后工作日 / Last working day of the step now awaited.")
    def due_on(self) -> str | None:
        return self.text("dueOn")

    @strawberry.field(description="须办理的机构（提供方）/ The agency that must act: the provider.")
    async def due_agency(self, info: Info) -> Annotated[Agency, strawberry.lazy("schema.agency")] | None:
        from schema.agency import Agency

        node = await info.context.loaders.nodes(Label.AGENCY).load(str(self.prop("dueAgency")))
        return Agency(_node=node) if node else None

    @strawberry.field(description="当前步骤是否逾期 / Whether the step now awaited is overdue.")
    def overdue(self, info: Info) -> bool:
        return overdue(self._node, today(info.context.clock))

    @strawberry.field(description="反馈是否逾期（未反馈且已过期限）/ Whether feedback is overdue now.")
    def feedback_overdue(self, info: Info) -> bool:
        waiting = self.prop("status") == QualityIssueStatus.REPORTED.value
        return waiting and overdue(self._node, today(info.context.clock), "feedbackDueOn")

    @strawberry.field(description="核查是否逾期（未核查且已过期限）/ Whether verification is overdue now.")
    def verification_overdue(self, info: Info) -> bool:
        return overdue(self._node, today(info.context.clock), "verificationDueOn")

    @strawberry.field(description="反馈意见 / The provider's feedback.")
    def feedback(self) -> str | None:
        return self.text("feedback")

    @strawberry.field(description="反馈日期 / Day of the feedback.")
    def feedback_on(self) -> str | None:
        return self.text("feedbackOn")

    @strawberry.field(description="是否逾期反馈 / Whether the feedback came late.")
    def feedback_late(self) -> bool | None:
        value = self.prop("feedbackLate")
        return None if value is None else bool(value)

    @strawberry.field(description="核查结论 / Outcome of the verification.")
    def outcome(self) -> VerificationOutcome | None:
        value = self.prop("outcome")
        return VerificationOutcome(value) if value else None

    @strawberry.field(description="核查结果说明 / The verification's result.")
    def verification_result(self) -> str | None:
        return self.text("verificationResult")

    @strawberry.field(description="核查完成日期 / Day verified.")
    def verified_on(self) -> str | None:
        return self.text("verifiedOn")

    @strawberry.field(description="是否逾期核查 / Whether the verification came late.")
    def verification_late(self) -> bool | None:
        value = self.prop("verificationLate")
        return None if value is None else bool(value)

    @strawberry.field(description="日历提示（日期为估算时）/ Calendar notices when the dates are estimates.")
    def warnings(self) -> list[CalendarNotice]:
        names = ("receivedOn", "feedbackDueOn", "verificationDueOn")
        return [CalendarNotice(_w=w) for w in calendar_warnings(self._node, names)]


@strawberry.input(description="报告数据问题 / A data-quality problem to report (R7).")
class ReportQualityIssueInput:
    resource: str = strawberry.field(description="信息资源代码 / Resource code.")
    field: str | None = strawberry.field(default=None, description="信息项名称（可选）/ Field name (optional).")
    description: str = strawberry.field(description="问题描述 / What is wrong.")


@strawberry.type(description="数据问题操作结果 / Result of a data-quality step.")
class QualityIssuePayload:
    issue: QualityIssue | None = strawberry.field(description="数据问题（变更后）/ The issue, as written.")
    errors: list[WorkflowStepError] = strawberry.field(
        description="错误（有错误时未写入）/ Errors; nothing written."
    )


@strawberry.type(description="待办数据问题 / Quality issues awaiting a step.")
class QualityIssueList:
    total_count: int = strawberry.field(description="符合条件的总数 / How many match.")
    overdue_count: int = strawberry.field(description="其中逾期的数量 / How many of them are overdue.")
    issues: list[QualityIssue] = strawberry.field(description="问题（按期限）/ The issues, by deadline.")
