"""Answering and routing demands in GraphQL: inputs and payloads (需求应答与分派), R9.
The root fields are in `follow_up_api`."""

from __future__ import annotations

import strawberry

from schema.demand import Demand
from schema.workflows.catalog_upkeep import CreateResourceInput
from schema.workflows.step_errors import WorkflowStepError


@strawberry.input(
    description=(
        "需求应答：指定已有资源、新编目资源或说明理由不予受理（三选一）/ An answer to a demand: an existing "
        "resource, a new one, or reasons to decline (exactly one)."
    )
)
class AnswerDemandInput:
    code: str = strawberry.field(description="需求编号 / Demand code.")
    resource: str | None = strawberry.field(default=None, description="本机构已有资源代码 / An existing resource.")
    new_resource: CreateResourceInput | None = strawberry.field(
        default=None, description="随应答编目的新资源 / A resource catalogued with the answer."
    )
    decline_reasons: str | None = strawberry.field(
        default=None, description="不予受理的理由（必填）/ Reasons for declining (required to decline)."
    )
    note: str | None = strawberry.field(default=None, description="备注 / Note.")


@strawberry.type(description="需求应答或分派结果 / Result of answering or routing a demand.")
class DemandStepPayload:
    demand: Demand | None = strawberry.field(description="需求（变更后）/ The demand, as written.")
    errors: list[WorkflowStepError] = strawberry.field(
        description="错误（有错误时未写入）/ Errors; nothing written."
    )


@strawberry.type(description="待答复需求 / Demands awaiting an answer.")
class DemandList:
    total_count: int = strawberry.field(description="符合条件的总数 / How many match.")
    overdue_count: int = strawberry.field(description="其中逾期的数量 / How many of them are overdue.")
    demands: list[Demand] = strawberry.field(description="需求（按期限）/ The demands, by deadline.")
