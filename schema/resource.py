"""数据资源 DataResource: a catalog entry (目录条目) with its fields and services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.model import Direction, Label, Rel
from resolvers.context import Info
from schema.enums import ResourceFormat, SharingType, UpdateCycle
from schema.node import NodeInterface
from schema.pagination import page_size

if TYPE_CHECKING:
    from schema.agency import Agency
    from schema.field import Field
    from schema.project import Project
    from schema.service import DataService
    from schema.workflows.catalog_upkeep import ResourceStatus


@strawberry.type(
    description="数据资源（目录条目）/ A data resource: one entry of the resource catalog."
)
class DataResource(NodeInterface):
    @strawberry.field(description="信息资源代码 / Catalog code.")
    def code(self) -> str:
        return self._node.key

    @strawberry.field(description="信息资源名称 / Name.")
    def name(self) -> str:
        return str(self.prop("name"))

    @strawberry.field(description="信息资源摘要 / Summary.")
    def summary(self) -> str | None:
        return self.text("summary")

    @strawberry.field(description="资源分类 / Category (R2).")
    def category(self) -> str | None:
        return self.text("category")

    @strawberry.field(description="分类代码 / Category code.")
    def category_code(self) -> str | None:
        return self.text("categoryCode")

    @strawberry.field(description="信息资源格式 / Format.")
    def format(self) -> ResourceFormat:
        return ResourceFormat(self.prop("format"))

    @strawberry.field(description="共享类型 / Sharing attribute (R3).")
    def sharing_type(self) -> SharingType:
        return SharingType(self.prop("sharingType"))

    @strawberry.field(description="共享条件 / Sharing condition (for conditional sharing).")
    def sharing_condition(self) -> str | None:
        return self.text("sharingCondition")

    @strawberry.field(description="不予共享依据 / Legal basis for not sharing.")
    def legal_basis(self) -> str | None:
        return self.text("legalBasis")

    @strawberry.field(description="是否向社会开放 / Open to the public.")
    def open_to_public(self) -> bool:
        return bool(self.prop("openToPublic"))

    @strawberry.field(description="更新周期 / Update cycle.")
    def update_cycle(self) -> UpdateCycle:
        return UpdateCycle(self.prop("updateCycle"))

    @strawberry.field(description="发布日期 / Publication date (ISO).")
    def published_at(self) -> str | None:
        return self.text("publishedAt")

    @strawberry.field(description="最近更新日期 / Date of the last data update (ISO).")
    def updated_at(self) -> str | None:
        return self.text("updatedAt")

    @strawberry.field(description="资源状态（在用或已停用）/ State: in use or retired.")
    def status(self) -> Annotated[ResourceStatus, strawberry.lazy("schema.workflows.catalog_upkeep")]:
        from schema.workflows.catalog_upkeep import ResourceStatus

        return ResourceStatus(self.prop("status") or ResourceStatus.ACTIVE.value)

    @strawberry.field(description="停用日期 / Date retired (ISO).")
    def retired_on(self) -> str | None:
        return self.text("retiredOn")

    @strawberry.field(description="是否已汇聚至共享平台 / Aggregated onto the platform (R6).")
    def aggregated(self) -> bool:
        return bool(self.prop("aggregated"))

    @strawberry.field(description="未汇聚说明（法律依据）/ Why not aggregated (R6).")
    def not_aggregated_reason(self) -> str | None:
        return self.text("notAggregatedReason")

    @strawberry.field(description="提供方机构 / Providing agency.")
    async def provider(self, info: Info) -> Annotated[Agency, strawberry.lazy("schema.agency")]:
        from schema.agency import Agency

        node = await info.context.loaders.nodes(Label.AGENCY).load(str(self.prop("providerCode")))
        assert node is not None, "a resource's provider always exists"
        return Agency(_node=node)

    @strawberry.field(description="信息项（按目录顺序）/ Fields, in catalog order.")
    async def fields(
        self,
        info: Info,
        first: Annotated[
            int | None,
            strawberry.argument(description="最多返回条数（≤100）/ At most this many (≤100)."),
        ] = None,
    ) -> list[Annotated[Field, strawberry.lazy("schema.field")]]:
        from schema.field import Field

        limit = page_size(first) if first is not None else None
        loader = info.context.loaders.neighbors(Label.RESOURCE, Rel.HAS_FIELD, Direction.OUT)
        nodes = (await loader.load(self._node.key))[:limit]
        return [Field(_node=n) for n in nodes]

    @strawberry.field(description="信息项数 / Number of fields.")
    async def field_count(self, info: Info) -> int:
        loader = info.context.loaders.neighbors(Label.RESOURCE, Rel.HAS_FIELD, Direction.OUT)
        return len(await loader.load(self._node.key))

    @strawberry.field(description="挂接的数据服务 / Data services mounted on it (R8).")
    async def services(
        self, info: Info
    ) -> list[Annotated[DataService, strawberry.lazy("schema.service")]]:
        from schema.service import DataService

        loader = info.context.loaders.neighbors(Label.RESOURCE, Rel.MOUNTED_ON, Direction.IN)
        return [DataService(_node=n) for n in await loader.load(self._node.key)]

    @strawberry.field(description="关联资源 / Related resources.")
    async def related(
        self, info: Info
    ) -> list[Annotated[DataResource, strawberry.lazy("schema.resource")]]:
        loader = info.context.loaders.neighbors(Label.RESOURCE, Rel.RELATED_TO, Direction.OUT)
        return [DataResource(_node=n) for n in await loader.load(self._node.key)]

    @strawberry.field(description="来源资源（本资源由其加工）/ Resources this one derives from.")
    async def derived_from(
        self, info: Info
    ) -> list[Annotated[DataResource, strawberry.lazy("schema.resource")]]:
        loader = info.context.loaders.neighbors(Label.RESOURCE, Rel.DERIVED_FROM, Direction.OUT)
        return [DataResource(_node=n) for n in await loader.load(self._node.key)]

    @strawberry.field(description="由本资源加工的资源 / Resources derived from this one.")
    async def derivatives(
        self, info: Info
    ) -> list[Annotated[DataResource, strawberry.lazy("schema.resource")]]:
        loader = info.context.loaders.neighbors(Label.RESOURCE, Rel.DERIVED_FROM, Direction.IN)
        return [DataResource(_node=n) for n in await loader.load(self._node.key)]

    @strawberry.field(
        description="在供给清单中申报本资源的项目 / Projects declaring it on their supply list."
    )
    async def declared_by(
        self, info: Info
    ) -> list[Annotated[Project, strawberry.lazy("schema.project")]]:
        from schema.project import Project

        loader = info.context.loaders.neighbors(Label.RESOURCE, Rel.DECLARES, Direction.IN)
        return [Project(_node=n) for n in await loader.load(self._node.key)]

    @strawberry.field(description="依赖本资源的项目 / Projects that depend on it.")
    async def used_by(
        self, info: Info
    ) -> list[Annotated[Project, strawberry.lazy("schema.project")]]:
        from schema.project import Project

        loader = info.context.loaders.neighbors(Label.RESOURCE, Rel.DEPENDS_ON, Direction.IN)
        return [Project(_node=n) for n in await loader.load(self._node.key)]
