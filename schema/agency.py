"""机构 Agency: who holds data, at which level, with whom to talk (R4, R5)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.model import Direction, Label, Rel
from resolvers.context import Info
from resolvers.permissions import SIGNED_IN, allowed
from schema.enums import ContactRole, Level
from schema.node import NodeInterface

if TYPE_CHECKING:
    from schema.resource import DataResource
    from schema.scenario import Scenario


@strawberry.type(description="联系人（首席代表、分管负责人、联络人）/ A contact person (R5).")
class Contact:
    role: ContactRole = strawberry.field(description="角色 / Role.")
    name: str = strawberry.field(description="姓名 / Name.")
    phone: str | None = strawberry.field(description="电话 / Phone.")
    email: str | None = strawberry.field(description="邮箱 / E-mail.")


@strawberry.type(
    description="公共管理和服务机构（数据提供方或使用方）/ A public agency (provider or consumer)."
)
class Agency(NodeInterface):
    @strawberry.field(description="机构代码（统一社会信用代码）/ Agency code.")
    def code(self) -> str:
        return self._node.key

    @strawberry.field(description="机构名称 / Full name.")
    def name(self) -> str:
        return str(self.prop("name"))

    @strawberry.field(description="简称 / Short name.")
    def short_name(self) -> str | None:
        return self.text("shortName")

    @strawberry.field(description="层级（省/市/县）/ Level.")
    def level(self) -> Level:
        return Level(self.prop("level"))

    @strawberry.field(description="行政区划代码 / Region code.")
    def region_code(self) -> str | None:
        return self.text("regionCode")

    @strawberry.field(description="行政区划名称 / Region name.")
    def region_name(self) -> str | None:
        return self.text("regionName")

    @strawberry.field(description="上级（主管）机构 / Supervising agency.")
    async def parent(self, info: Info) -> Annotated[Agency, strawberry.lazy("schema.agency")] | None:
        code = self.prop("parentCode")
        if not code:
            return None
        node = await info.context.loaders.nodes(Label.AGENCY).load(code)
        return Agency(_node=node) if node else None

    @strawberry.field(
        description="联系人（需登录：匿名调用为 null 并返回 FORBIDDEN）/ Contacts: chief representative, "
        "leader, liaisons (signed-in callers only; null with FORBIDDEN for anonymous callers).",
        extensions=[allowed(*SIGNED_IN)],
    )
    def contacts(self) -> list[Contact] | None:
        raw = json.loads(self.prop("contacts") or "[]")
        return [
            Contact(role=ContactRole(c["role"]), name=c["name"], phone=c.get("phone"),
                    email=c.get("email"))
            for c in raw
        ]

    @strawberry.field(description="本机构提供的数据资源 / Resources this agency provides.")
    async def resources(
        self, info: Info
    ) -> list[Annotated[DataResource, strawberry.lazy("schema.resource")]]:
        from schema.resource import DataResource

        loader = info.context.loaders.neighbors(Label.AGENCY, Rel.PROVIDED_BY, Direction.IN)
        return [DataResource(_node=n) for n in await loader.load(self._node.key)]

    @strawberry.field(description="本机构提供的数据资源数 / Number of resources provided.")
    async def resource_count(self, info: Info) -> int:
        loader = info.context.loaders.neighbors(Label.AGENCY, Rel.PROVIDED_BY, Direction.IN)
        return len(await loader.load(self._node.key))

    @strawberry.field(description="本机构的应用场景 / Scenarios of this agency.")
    async def scenarios(
        self, info: Info
    ) -> list[Annotated[Scenario, strawberry.lazy("schema.scenario")]]:
        from schema.scenario import Scenario

        loader = info.context.loaders.neighbors(Label.AGENCY, Rel.OWNED_BY, Direction.IN)
        nodes = await loader.load(self._node.key)
        return [Scenario(_node=n) for n in nodes if n.label is Label.SCENARIO]
