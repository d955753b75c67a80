"""Search results: hits with score, highlight and reasons, and facet counts (检索结果)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.agency import Agency
from schema.enums import MatchReason, SearchKind
from schema.field import Field
from schema.pagination import PageInfo
from schema.resource import DataResource
from schema.scenario import Scenario

SearchEntity = Annotated[
    Field | DataResource | Agency | Scenario,
    strawberry.union("SearchEntity", description="检索命中的对象 / What a hit is."),
]


@strawberry.type(description="评分明细 / One contribution to a hit's score.")
class ScoreContribution:
    rule: str = strawberry.field(description="规则或词项 / Rule or term.")
    score: float = strawberry.field(description="贡献分值 / Score added.")


@strawberry.type(description="检索命中 / A search hit.")
class SearchHit:
    score: float = strawberry.field(description="相关度 / Relevance score.")
    kind: SearchKind = strawberry.field(description="对象类型 / Kind of hit.")
    highlight: str = strawberry.field(
        description="高亮名称，命中部分以 <em> 标出 / Name with matched parts in <em>."
    )
    reasons: list[MatchReason] = strawberry.field(description="命中原因 / Why it matched.")
    explanation: list[ScoreContribution] | None = strawberry.field(
        description="评分明细（explain: true 时）/ Score breakdown when `explain: true`."
    )
    entity: SearchEntity = strawberry.field(description="命中的对象 / The matched object.")


@strawberry.type(description="检索命中边 / An edge of the search connection.")
class SearchEdge:
    cursor: str = strawberry.field(description="不透明游标 / Opaque cursor.")
    node: SearchHit = strawberry.field(description="命中 / The hit.")


@strawberry.type(description="分面计数 / A facet value with its count.")
class FacetValue:
    value: str = strawberry.field(description="取值（代码）/ Value (code).")
    label: str = strawberry.field(description="显示名称 / Display label.")
    count: int = strawberry.field(description="命中数 / Number of hits.")


@strawberry.type(description="分面 / Facet counts over all hits.")
class SearchFacets:
    kind: list[FacetValue] = strawberry.field(description="对象类型 / By kind.")
    sharing_type: list[FacetValue] = strawberry.field(description="共享类型 / By sharing type.")
    category: list[FacetValue] = strawberry.field(description="资源分类 / By category.")
    provider: list[FacetValue] = strawberry.field(description="提供方机构 / By provider agency.")
    level: list[FacetValue] = strawberry.field(description="层级 / By level.")


@strawberry.type(description="检索结果（游标分页）/ Search results (a connection).")
class SearchConnection:
    edges: list[SearchEdge] = strawberry.field(description="命中 / Hits of this page.")
    page_info: PageInfo = strawberry.field(description="分页信息 / Page information.")
    total_count: int = strawberry.field(description="命中总数 / Total hits.")
    facets: SearchFacets = strawberry.field(description="分面计数 / Facet counts.")
    degraded: bool = strawberry.field(
        description=(
            "检索索引是否落后于目录（有待索引的变更）/ Whether the index lags the catalog "
            "(changes pending indexing)."
        )
    )


@strawberry.type(description="自动补全建议 / An autocomplete suggestion.")
class Suggestion:
    text: str = strawberry.field(description="建议的名称 / The suggested name.")
    kind: SearchKind = strawberry.field(description="对象类型 / Kind of object.")
    entity: SearchEntity | None = strawberry.field(
        description="一个同名对象（文档最多者）/ One object of that name."
    )
