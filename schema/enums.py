"""GraphQL enums of the catalog's terms, documented in Chinese and English (枚举)."""

from __future__ import annotations

import strawberry

from search.index import DocKind as SearchKind
from search.index import MatchReason
from sharing import terms
from sharing.terms import (
    ApprovalPath,
    ContactRole,
    DataType,
    DemandStatus,
    GrantStatus,
    Level,
    ProjectStage,
    ProviderBasis,
    ResourceFormat,
    ServiceKind,
    ServiceStatus,
    SharingType,
    UncoveredReason,
    UpdateCycle,
)


def _doc(cls: type[terms.Term], zh: str, en: str) -> str:
    return f"{zh} / {en}. " + "; ".join(f"{m.value}: {m.label_zh}" for m in cls)


def _describe_values(cls: type[terms.Term]) -> None:
    """Each value's own description: its Chinese label and its English words."""
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    for value in definition.values:
        english = value.name.replace("_", " ").lower()
        value.description = f"{cls(value.value).label_zh} / {english}"


strawberry.enum(
    Level, name="Level", description=_doc(terms.Level, "行政层级", "Administrative level")
)
strawberry.enum(
    ContactRole,
    name="ContactRole",
    description=_doc(terms.ContactRole, "联系人角色（R5）", "Contact role (R5)"),
)
strawberry.enum(
    ResourceFormat,
    name="ResourceFormat",
    description=_doc(terms.ResourceFormat, "信息资源格式", "Resource format"),
)
strawberry.enum(
    SharingType,
    name="SharingType",
    description=_doc(terms.SharingType, "共享类型（R3）", "Sharing attribute (R3)"),
)
strawberry.enum(
    UpdateCycle,
    name="UpdateCycle",
    description=_doc(terms.UpdateCycle, "更新周期", "Update cycle"),
)
strawberry.enum(
    DataType, name="DataType", description=_doc(terms.DataType, "数据类型", "Data type")
)
strawberry.enum(
    ServiceKind,
    name="ServiceKind",
    description=_doc(terms.ServiceKind, "数据服务方式（R8）", "How a service shares (R8)"),
)
strawberry.enum(
    ServiceStatus,
    name="ServiceStatus",
    description=_doc(terms.ServiceStatus, "服务状态", "Service status"),
)
strawberry.enum(
    GrantStatus,
    name="GrantStatus",
    description=_doc(terms.GrantStatus, "授权状态（R11）", "Grant status (R11)"),
)
strawberry.enum(
    ProjectStage,
    name="ProjectStage",
    description=_doc(terms.ProjectStage, "项目阶段（R12）", "Project stage (R12)"),
)
strawberry.enum(
    ApprovalPath,
    name="ApprovalPath",
    description=_doc(terms.ApprovalPath, "获取方式（R3、R10）", "How the data is obtained (R3, R10)"),
)
strawberry.enum(
    DemandStatus,
    name="DemandStatus",
    description=_doc(terms.DemandStatus, "需求状态（R9）", "State of a demand-list entry (R9)"),
)
strawberry.enum(
    UncoveredReason,
    name="UncoveredReason",
    description=_doc(terms.UncoveredReason, "未覆盖原因", "Why an item is not covered"),
)
strawberry.enum(
    ProviderBasis,
    name="ProviderBasis",
    description=_doc(terms.ProviderBasis, "可能提供方的推断依据", "Why an agency is the likely holder"),
)
for _term in (
    ApprovalPath,
    ContactRole,
    DataType,
    DemandStatus,
    GrantStatus,
    Level,
    ProjectStage,
    ProviderBasis,
    ResourceFormat,
    ServiceKind,
    ServiceStatus,
    SharingType,
    UncoveredReason,
    UpdateCycle,
):
    _describe_values(_term)

strawberry.enum(
    SearchKind,
    name="SearchKind",
    description=(
        "检索对象类型 / Kind of search hit. FIELD: 信息项; RESOURCE: 数据资源; "
        "AGENCY: 机构; SCENARIO: 应用场景"
    ),
)
strawberry.enum(
    MatchReason,
    name="MatchReason",
    description=(
        "命中原因 / Why a hit matched. EXACT: 名称完全一致 exact name; SYNONYM: 同义词 synonym; "
        "WORD: 分词命中 word; PARTIAL: 部分词 part of a word; PINYIN: 拼音或首字母 pinyin or "
        "initials; TRADITIONAL: 繁体字 traditional characters; TEXT: 描述中命中 in the description"
    ),
)

__all__ = [
    "ApprovalPath",
    "ContactRole",
    "DataType",
    "DemandStatus",
    "GrantStatus",
    "Level",
    "MatchReason",
    "ProjectStage",
    "ProviderBasis",
    "ResourceFormat",
    "SearchKind",
    "ServiceKind",
    "ServiceStatus",
    "SharingType",
    "UncoveredReason",
    "UpdateCycle",
]
