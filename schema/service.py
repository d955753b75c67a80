"""数据服务 DataService: how a resource is served (R8)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.model import Direction, Label, Rel
from resolvers.context import Info
from resolvers.grant_visibility import visible_grants
from resolvers.permissions import SIGNED_IN, allowed
from schema.enums import ServiceKind, ServiceStatus
from schema.node import NodeInterface

if TYPE_CHECKING:
    from schema.field import Field
    from schema.grant import Grant
    from schema.resource import DataResource


@strawberry.type(
    description=(
        "数据服务：接口共享（查询、核验）或批量共享（分析、导出）/ A data service: interface "
        "sharing (query, verification) or batch sharing (analysis, export)."
    )
)
class DataService(NodeInterface):
    @strawberry.field(description="服务代码 / Service code.")
    def code(self) -> str:
        return self._node.key

    @strawberry.field(description="服务名称 / Name.")
    def name(self) -> str:
        return str(self.prop("name"))

    @strawberry.field(description="服务类型 / Kind.")
    def kind(self) -> ServiceKind:
        return ServiceKind(self.prop("kind"))

    @strawberry.field(description="服务状态 / Status.")
    def status(self) -> ServiceStatus:
        return ServiceStatus(self.prop("status"))

    @strawberry.field(description="挂接的数据资源 / The resource it is mounted on.")
    async def resource(
        self, info: Info
    ) -> Annotated[DataResource, strawberry.lazy("schema.resource")]:
        from schema.resource import DataResource

        node = await info.context.loaders.nodes(Label.RESOURCE).load(str(self.prop("resourceCode")))
        assert node is not None, "a service's resource always exists"
        return DataResource(_node=node)

    @strawberry.field(description="开放的信息项 / Fields it exposes.")
    async def fields(self, info: Info) -> list[Annotated[Field, strawberry.lazy("schema.field")]]:
        from schema.field import Field

        loader = info.context.loaders.neighbors(Label.SERVICE, Rel.EXPOSES, Direction.OUT)
        nodes = await loader.load(self._node.key)
        return [Field(_node=n) for n in nodes]

    @strawberry.field(
        description="基于本服务的授权（需登录，机构人员只见本机构为使用方或提供方的；匿名为 null 并返回 FORBIDDEN）"
        " / Grants on this service (signed-in callers only, an agency's people seeing those their "
        "agency consumes or provides; null with FORBIDDEN for anonymous callers).",
        extensions=[allowed(*SIGNED_IN)],
    )
    async def grants(self, info: Info) -> list[Annotated[Grant, strawberry.lazy("schema.grant")]] | None:
        from schema.grant import Grant

        loader = info.context.loaders.neighbors(Label.SERVICE, Rel.GRANTS_ACCESS_TO, Direction.IN)
        return [Grant(_node=n) for n in await visible_grants(info, await loader.load(self._node.key))]
