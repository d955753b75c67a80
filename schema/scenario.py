"""应用场景 Scenario: what a consumer agency uses data for (R10: one scenario, one application)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.model import Direction, Label, Rel
from resolvers.context import Info
from resolvers.grant_visibility import visible_grants
from resolvers.permissions import SIGNED_IN, allowed
from schema.node import NodeInterface

if TYPE_CHECKING:
    from schema.agency import Agency
    from schema.grant import Grant


@strawberry.type(description="应用场景 / A usage scenario of a consumer agency.")
class Scenario(NodeInterface):
    @strawberry.field(description="场景代码 / Scenario code.")
    def code(self) -> str:
        return self._node.key

    @strawberry.field(description="场景名称 / Name.")
    def name(self) -> str:
        return str(self.prop("name"))

    @strawberry.field(description="场景描述 / Description.")
    def description(self) -> str | None:
        return self.text("description")

    @strawberry.field(description="使用机构 / The consumer agency.")
    async def agency(self, info: Info) -> Annotated[Agency, strawberry.lazy("schema.agency")]:
        from schema.agency import Agency

        node = await info.context.loaders.nodes(Label.AGENCY).load(str(self.prop("agencyCode")))
        assert node is not None, "a scenario's agency always exists"
        return Agency(_node=node)

    @strawberry.field(
        description="本场景获得的授权（需登录，机构人员只见本机构为使用方或提供方的；匿名为 null 并返回 FORBIDDEN）"
        " / Grants held for this scenario (signed-in callers only, an agency's people seeing those "
        "their agency consumes or provides; null with FORBIDDEN for anonymous callers).",
        extensions=[allowed(*SIGNED_IN)],
    )
    async def grants(self, info: Info) -> list[Annotated[Grant, strawberry.lazy("schema.grant")]] | None:
        from schema.grant import Grant

        loader = info.context.loaders.neighbors(Label.SCENARIO, Rel.FOR_SCENARIO, Direction.IN)
        nodes = [n for n in await loader.load(self._node.key) if n.label is Label.GRANT]
        return [Grant(_node=n) for n in await visible_grants(info, nodes)]
