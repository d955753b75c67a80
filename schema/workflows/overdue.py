"""Counts of items awaiting a step and overdue, per kind (待办与逾期统计), R7, R9, R10."""

from __future__ import annotations

from enum import StrEnum

import strawberry


class ClockedKind(StrEnum):
    """Kinds of node that run on a deadline clock (有时限的事项)."""

    DEMAND = "DEMAND"
    QUALITY_ISSUE = "QUALITY_ISSUE"
    APPLICATION = "APPLICATION"


strawberry.enum(
    ClockedKind, name="ClockedKind",
    description=(
        "有时限的事项 / Kinds of item with a deadline. DEMAND: 需求答复（3个工作日）demand answers (3 working "
        "days); QUALITY_ISSUE: 数据问题反馈与核查（2/5个工作日）quality feedback and verification (2/5); "
        "APPLICATION: 申请审核（2个工作日）application reviews (2)"
    ),
)
for _value in ClockedKind.__strawberry_definition__.values:  # type: ignore[attr-defined]
    _value.description = {"DEMAND": "需求答复 / demand answers", "QUALITY_ISSUE": "数据问题 / quality issues",
                          "APPLICATION": "申请审核 / application reviews"}[_value.value]


@strawberry.type(description="一类事项的待办与逾期数 / Items of one kind awaiting a step, and how many are late.")
class OverdueCount:
    kind: ClockedKind = strawberry.field(description="事项类别 / Kind of item.")
    awaiting: int = strawberry.field(description="待办数 / Awaiting a step.")
    overdue: int = strawberry.field(description="逾期数 / Of them overdue.")
