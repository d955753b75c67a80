"""信息项 Field: one data item of a resource."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.model import Direction, Label, Rel
from resolvers.context import Info
from resolvers.detail_reads import saw_field
from schema.enums import DataType, SharingType
from schema.node import NodeInterface

if TYPE_CHECKING:
    from schema.resource import DataResource
    from schema.service import DataService


@strawberry.type(description="信息项（数据项）/ A field (data item) of a resource.")
class Field(NodeInterface):
    def __post_init__(self) -> None:
        # a field in an answer is a read: of a conditional resource it is recorded (resolvers/detail_reads.py)
        saw_field(self._node)

    @strawberry.field(description="信息项名称 / Name.")
    def name(self) -> str:
        return str(self.prop("name"))

    @strawberry.field(description="数据类型 / Data type.")
    def data_type(self) -> DataType:
        return DataType(self.prop("dataType"))

    @strawberry.field(description="长度 / Length.")
    def length(self) -> int | None:
        return self.number("length")

    @strawberry.field(description="信息项描述 / Description.")
    def description(self) -> str | None:
        return self.text("description")

    @strawberry.field(
        description=(
            "本信息项自身的共享类型，空表示同资源 / The field's own sharing attribute; "
            "null means the resource's."
        )
    )
    def own_sharing_type(self) -> SharingType | None:
        value = self.prop("sharingType")
        return SharingType(value) if value else None

    @strawberry.field(
        description="生效的共享类型（自身或资源的）/ Effective sharing attribute (own or resource's)."
    )
    async def sharing_type(self, info: Info) -> SharingType:
        own = self.prop("sharingType")
        if own:
            return SharingType(own)
        res = await info.context.loaders.nodes(Label.RESOURCE).load(str(self.prop("resourceCode")))
        return SharingType(res.get("sharingType") if res else "CONDITIONAL")

    @strawberry.field(description="所属数据资源 / The resource it belongs to.")
    async def resource(
        self, info: Info
    ) -> Annotated[DataResource, strawberry.lazy("schema.resource")]:
        from schema.resource import DataResource

        node = await info.context.loaders.nodes(Label.RESOURCE).load(str(self.prop("resourceCode")))
        assert node is not None, "a field's resource always exists"
        return DataResource(_node=node)

    @strawberry.field(description="开放本信息项的数据服务 / Services that expose this field.")
    async def services(
        self, info: Info
    ) -> list[Annotated[DataService, strawberry.lazy("schema.service")]]:
        from schema.service import DataService

        loader = info.context.loaders.neighbors(Label.FIELD, Rel.EXPOSES, Direction.IN)
        return [DataService(_node=n) for n in await loader.load(self._node.key)]
