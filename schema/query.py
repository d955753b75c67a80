"""The root query type (查询入口)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph.model import Label, Node
from resolvers import browse
from resolvers import demand as demand_resolver
from resolvers import search as search_resolver
from resolvers.context import Info
from resolvers.grant_visibility import grant_page
from resolvers.permissions import SIGNED_IN, allowed
from schema.agency import Agency
from schema.demand import Demand, DemandMatchResult, MatchDemandInput
from schema.enums import DemandStatus, SearchKind
from schema.field import Field
from schema.grant import Grant
from schema.inputs import AgencyFilter, FieldFilter, ResourceFilter, SearchFilter, ServiceFilter
from schema.node import NodeInterface
from schema.pagination import Connection
from schema.project import Project
from schema.resource import DataResource
from schema.scenario import Scenario
from schema.search import SearchConnection, Suggestion
from schema.service import DataService

First = Annotated[
    int | None,
    strawberry.argument(description="每页条数（默认 20，最多 100）/ Page size (default 20, max 100)."),
]
After = Annotated[
    str | None,
    strawberry.argument(description="从该游标之后开始 / Start after this cursor."),
]
Code = Annotated[str, strawberry.argument(description="编码 / Code.")]


def _agency(n: Node) -> Agency:
    return Agency(_node=n)


@strawberry.type(description="目录查询 / Catalog queries.")
class Query:
    @strawberry.field(description="按全局 ID 取对象 / Fetch any object by its global ID.")
    async def node(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="全局 ID / Global ID.")]
    ) -> NodeInterface:
        result: NodeInterface = await browse.by_id(info, str(id))
        return result

    @strawberry.field(description="机构列表 / Agencies, by code.")
    async def agencies(
        self,
        info: Info,
        filter: Annotated[AgencyFilter | None, strawberry.argument(description="筛选条件 / Filter.")] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Agency]:
        f = filter or AgencyFilter()
        where = browse.where(level=f.level, regionCode=f.region_code, parentCode=f.parent)
        return await browse.page_of(info, Label.AGENCY, where, first, after, _agency)

    @strawberry.field(description="按机构代码取机构 / An agency by its code.")
    async def agency(self, info: Info, code: Code) -> Agency:
        result: Agency = await browse.by_code(info, Label.AGENCY, code, "机构", "agency")
        return result

    @strawberry.field(description="数据资源列表（目录）/ Resources of the catalog, by code.")
    async def resources(
        self,
        info: Info,
        filter: Annotated[ResourceFilter | None, strawberry.argument(description="筛选条件 / Filter.")] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[DataResource]:
        f = filter or ResourceFilter()
        where = browse.where(
            providerCode=f.provider,
            sharingType=f.sharing_type,
            category=f.category,
            updateCycle=f.update_cycle,
            aggregated=f.aggregated,
        )
        if f.level is not None:
            where["providerCode"] = await _codes_at_level(info, f.level.value, f.provider)
        return await browse.page_of(
            info,
            Label.RESOURCE,
            where,
            first,
            after,
            lambda n: DataResource(_node=n),
        )

    @strawberry.field(description="按信息资源代码取资源 / A resource by its catalog code.")
    async def resource(self, info: Info, code: Code) -> DataResource:
        result: DataResource = await browse.by_code(info, Label.RESOURCE, code, "数据资源", "resource")
        return result

    @strawberry.field(description="信息项列表 / Fields, by resource and name.")
    async def fields(
        self,
        info: Info,
        filter: Annotated[FieldFilter | None, strawberry.argument(description="筛选条件 / Filter.")] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Field]:
        f = filter or FieldFilter()
        where = browse.where(resourceCode=f.resource, name=f.name, sharingType=f.sharing_type)
        return await browse.page_of(
            info,
            Label.FIELD,
            where,
            first,
            after,
            lambda n: Field(_node=n),
        )

    @strawberry.field(description="数据服务列表 / Data services, by code.")
    async def services(
        self,
        info: Info,
        filter: Annotated[ServiceFilter | None, strawberry.argument(description="筛选条件 / Filter.")] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[DataService]:
        f = filter or ServiceFilter()
        where = browse.where(kind=f.kind, resourceCode=f.resource)
        return await browse.page_of(
            info,
            Label.SERVICE,
            where,
            first,
            after,
            lambda n: DataService(_node=n),
        )

    @strawberry.field(description="按服务代码取数据服务 / A data service by its code.")
    async def service(self, info: Info, code: Code) -> DataService:
        result: DataService = await browse.by_code(info, Label.SERVICE, code, "数据服务", "service")
        return result

    @strawberry.field(description="应用场景列表 / Scenarios, by code.")
    async def scenarios(
        self,
        info: Info,
        agency: Annotated[str | None, strawberry.argument(description="使用机构代码 / Consumer agency code.")] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Scenario]:
        where = browse.where(agencyCode=agency)
        return await browse.page_of(
            info,
            Label.SCENARIO,
            where,
            first,
            after,
            lambda n: Scenario(_node=n),
        )

    @strawberry.field(
        description="授权列表（需登录；大数据局管理员与规划人员看全部，机构人员只看本机构作为使用方或提供方的授权）"
        " / Grants (signed-in callers only: bureau administrators and planners see all, an agency's "
        "people the grants their agency consumes or provides; FORBIDDEN for anonymous callers).",
        extensions=[allowed(*SIGNED_IN)],
    )
    async def grants(
        self,
        info: Info,
        scenario: Annotated[str | None, strawberry.argument(description="场景代码 / Scenario code.")] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Grant]:
        return await grant_page(info, scenario, first, after, lambda n: Grant(_node=n))

    @strawberry.field(description="信息化项目列表 / IT projects.")
    async def projects(
        self,
        info: Info,
        owner: Annotated[str | None, strawberry.argument(description="建设单位代码 / Owner agency code.")] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Project]:
        where = browse.where(ownerCode=owner)
        return await browse.page_of(
            info,
            Label.PROJECT,
            where,
            first,
            after,
            lambda n: Project(_node=n),
        )

    @strawberry.field(description="按项目代码取项目 / A project by its code.")
    async def project(self, info: Info, code: Code) -> Project:
        result: Project = await browse.by_code(info, Label.PROJECT, code, "项目", "project")
        return result

    @strawberry.field(
        description=(
            "中文检索：信息项、资源、机构、场景；支持同义词、部分词、拼音及首字母、繁体 / "
            "Chinese search over fields, resources, agencies and scenarios: synonyms, parts of "
            "words, pinyin and initials, traditional characters."
        )
    )
    async def search(
        self,
        info: Info,
        query: Annotated[str, strawberry.argument(description="检索词 / Search text.")],
        types: Annotated[
            list[SearchKind] | None,
            strawberry.argument(description="只检索这些类型 / Only these kinds."),
        ] = None,
        filter: Annotated[SearchFilter | None, strawberry.argument(description="筛选条件 / Filter.")] = None,
        first: First = None,
        after: After = None,
        explain: Annotated[
            bool, strawberry.argument(description="返回评分明细 / Include the score breakdown.")
        ] = False,
    ) -> SearchConnection:
        return await search_resolver.search(info, query, types, filter, first, after, explain)

    @strawberry.field(
        description=(
            "自动补全：信息项、资源、机构名称，支持拼音及首字母 / Autocomplete over field, resource and "
            "agency names, also typed as pinyin or initials."
        )
    )
    async def suggest(
        self,
        info: Info,
        prefix: Annotated[str, strawberry.argument(description="已输入的前缀 / What has been typed.")],
        first: Annotated[
            int | None, strawberry.argument(description="最多条数（默认 10，最多 20）/ At most (default 10, max 20).")
        ] = None,
        types: Annotated[
            list[SearchKind] | None,
            strawberry.argument(description="只建议这些类型（默认信息项、资源、机构）/ Only these kinds."),
        ] = None,
    ) -> list[Suggestion]:
        return await search_resolver.suggest(info, prefix, first, types)

    @strawberry.field(
        description=(
            "供需匹配：逐项给出候选信息项、覆盖方案（资源最少）、获取方式与预计日期、未覆盖项及可能的提供方 / "
            "Match a demand: candidates per item, the coverage plan (fewest resources) with approval "
            "paths and expected dates, and the uncovered items with their likely providers (R9, R10)."
        )
    )
    async def match_demand(
        self,
        info: Info,
        input: Annotated[MatchDemandInput, strawberry.argument(description="需求 / The demand.")],
    ) -> DemandMatchResult:
        return await demand_resolver.match_demand(info, input)

    @strawberry.field(description="按编号取需求 / A demand-list entry by its code.")
    async def demand(self, info: Info, code: Code) -> Demand:
        result: Demand = await browse.by_code(info, Label.DEMAND, code, "需求", "demand")
        return result

    @strawberry.field(description="需求清单 / Demand-list entries, by code.")
    async def demands(
        self,
        info: Info,
        requester: Annotated[str | None, strawberry.argument(description="需求方机构代码 / Requester.")] = None,
        routed_to: Annotated[
            str | None, strawberry.argument(description="承办机构代码 / Agency it is routed to.")
        ] = None,
        status: Annotated[DemandStatus | None, strawberry.argument(description="状态 / Status.")] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Demand]:
        where = browse.where(requesterCode=requester, routedToCode=routed_to, status=status)
        return await browse.page_of(info, Label.DEMAND, where, first, after, lambda n: Demand(_node=n))


async def _codes_at_level(info: Info, level: str, provider: str | None) -> list[str]:
    page = await info.context.store.find_nodes(Label.AGENCY, {"level": level}, limit=1_000_000)
    return [n.key for n in page.nodes if provider is None or n.key == provider]
