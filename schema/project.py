"""信息化项目 Project: declares a supply list before approval, delivers it by acceptance (R12)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.model import Direction, Label, Rel
from resolvers.context import Info
from schema.enums import ProjectStage
from schema.node import NodeInterface

if TYPE_CHECKING:
    from schema.agency import Agency
    from schema.resource import DataResource


@strawberry.type(description="政务信息化项目 / A government IT project.")
class Project(NodeInterface):
    @strawberry.field(description="项目代码 / Project code.")
    def code(self) -> str:
        return self._node.key

    @strawberry.field(description="项目名称 / Name.")
    def name(self) -> str:
        return str(self.prop("name"))

    @strawberry.field(description="项目阶段 / Stage.")
    def stage(self) -> ProjectStage:
        return ProjectStage(self.prop("stage"))

    @strawberry.field(description="建设单位 / Owner agency.")
    async def owner(self, info: Info) -> Annotated[Agency, strawberry.lazy("schema.agency")]:
        from schema.agency import Agency

        node = await info.context.loaders.nodes(Label.AGENCY).load(str(self.prop("ownerCode")))
        assert node is not None, "a project's owner always exists"
        return Agency(_node=node)

    @strawberry.field(description="供给清单申报的资源 / Resources declared on its supply list.")
    async def supplies(
        self, info: Info
    ) -> list[Annotated[DataResource, strawberry.lazy("schema.resource")]]:
        from schema.resource import DataResource

        loader = info.context.loaders.neighbors(Label.PROJECT, Rel.DECLARES, Direction.OUT)
        return [DataResource(_node=n) for n in await loader.load(self._node.key)]

    @strawberry.field(description="依赖的资源 / Resources it depends on.")
    async def uses(
        self, info: Info
    ) -> list[Annotated[DataResource, strawberry.lazy("schema.resource")]]:
        from schema.resource import DataResource

        loader = info.context.loaders.neighbors(Label.PROJECT, Rel.DEPENDS_ON, Direction.OUT)
        return [DataResource(_node=n) for n in await loader.load(self._node.key)]
