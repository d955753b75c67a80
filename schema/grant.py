"""授权 Grant: a service granted to a scenario for some fields (R10, R11)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.model import Direction, Label, Rel
from resolvers.context import Info
from schema.enums import GrantStatus
from schema.node import NodeInterface

if TYPE_CHECKING:
    from schema.field import Field
    from schema.scenario import Scenario
    from schema.service import DataService


@strawberry.type(description="授权 / A grant of a data service to a scenario.")
class Grant(NodeInterface):
    @strawberry.field(description="授权状态 / Status.")
    def status(self) -> GrantStatus:
        return GrantStatus(self.prop("status"))

    @strawberry.field(description="应用场景 / The scenario.")
    async def scenario(self, info: Info) -> Annotated[Scenario, strawberry.lazy("schema.scenario")]:
        from schema.scenario import Scenario

        node = await info.context.loaders.nodes(Label.SCENARIO).load(str(self.prop("scenarioCode")))
        assert node is not None, "a grant's scenario always exists"
        return Scenario(_node=node)

    @strawberry.field(description="授权的数据服务 / The granted service.")
    async def service(self, info: Info) -> Annotated[DataService, strawberry.lazy("schema.service")]:
        from schema.service import DataService

        node = await info.context.loaders.nodes(Label.SERVICE).load(str(self.prop("serviceCode")))
        assert node is not None, "a grant's service always exists"
        return DataService(_node=node)

    @strawberry.field(description="授权的信息项 / The granted fields.")
    async def fields(self, info: Info) -> list[Annotated[Field, strawberry.lazy("schema.field")]]:
        from schema.field import Field

        loader = info.context.loaders.neighbors(Label.GRANT, Rel.COVERS_FIELD, Direction.OUT)
        return [Field(_node=n) for n in await loader.load(self._node.key)]
