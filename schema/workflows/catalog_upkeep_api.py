"""Catalog upkeep and supply lists: the root fields (目录维护与供给清单入口).

Who may call: the providing agency's staff or chief representative, or a big-data bureau
administrator of the provider's level; anyone else gets a top-level FORBIDDEN error naming
the roles. A refused step answers with `errors` and writes nothing.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.context import Info
from resolvers.workflows import catalog_upkeep as resolver
from schema.enums import Level
from schema.workflows.catalog_upkeep import (
    ChangeServiceInput,
    CreateResourceInput,
    FieldInput,
    PublishServiceInput,
    ResourceUpkeepPayload,
    ServiceUpkeepPayload,
    SupplyList,
    SupplyListPage,
    UpdateFieldInput,
    UpdateResourceInput,
)

Input = strawberry.argument(description="输入 / The input.")
Reason = strawberry.argument(description="理由 / The reason (required).")
Code = strawberry.argument(description="代码 / Code.")


@strawberry.type(description="目录维护 / Catalog upkeep mutations.")
class CatalogUpkeepMutation:
    @strawberry.mutation(description="编目新数据资源（R3、R6）/ Catalogue a new resource with its fields (R3, R6).")
    async def create_resource(self, info: Info, input: Annotated[CreateResourceInput, Input]) -> ResourceUpkeepPayload:
        return await resolver.create_resource(info, input)

    @strawberry.mutation(description="修改数据资源 / Change a resource's attributes.")
    async def update_resource(self, info: Info, input: Annotated[UpdateResourceInput, Input]) -> ResourceUpkeepPayload:
        return await resolver.update_resource(info, input)

    @strawberry.mutation(
        description="停用数据资源（服务下线、移出供给清单）/ Retire a resource: services offline, off the supply list."
    )
    async def retire_resource(
        self, info: Info, code: Annotated[str, Code], reason: Annotated[str, Reason]
    ) -> ResourceUpkeepPayload:
        return await resolver.retire_resource(info, code, reason)

    @strawberry.mutation(description="新增信息项 / Add a field to a resource.")
    async def add_field(
        self, info: Info, resource: Annotated[str, strawberry.argument(description="信息资源代码 / Resource code.")],
        field: Annotated[FieldInput, strawberry.argument(description="信息项 / The field.")],
    ) -> ResourceUpkeepPayload:
        return await resolver.add_field(info, resource, field)

    @strawberry.mutation(description="修改信息项 / Change a field.")
    async def update_field(self, info: Info, input: Annotated[UpdateFieldInput, Input]) -> ResourceUpkeepPayload:
        return await resolver.update_field(info, input)

    @strawberry.mutation(
        description="停用（移除）信息项；仍由在线服务开放时拒绝 / Retire (remove) a field; refused while an online "
        "service exposes it."
    )
    async def retire_field(
        self, info: Info, resource: Annotated[str, strawberry.argument(description="信息资源代码 / Resource code.")],
        name: Annotated[str, strawberry.argument(description="信息项名称 / Field name.")],
    ) -> ResourceUpkeepPayload:
        return await resolver.retire_field(info, resource, name)

    @strawberry.mutation(description="发布数据服务（R8）/ Publish a service mounted on a resource (R8).")
    async def publish_service(self, info: Info, input: Annotated[PublishServiceInput, Input]) -> ServiceUpkeepPayload:
        return await resolver.publish_service(info, input)

    @strawberry.mutation(description="变更数据服务 / Change a service (status CHANGED).")
    async def change_service(self, info: Info, input: Annotated[ChangeServiceInput, Input]) -> ServiceUpkeepPayload:
        return await resolver.change_service(info, input)

    @strawberry.mutation(description="下线数据服务 / Take a service offline.")
    async def take_service_offline(
        self, info: Info, code: Annotated[str, Code], reason: Annotated[str, Reason]
    ) -> ServiceUpkeepPayload:
        return await resolver.take_service_offline(info, code, reason)


@strawberry.type(description="供给清单 / Supply lists.")
class SupplyListQuery:
    @strawberry.field(description="一个机构的供给清单 / One agency's supply list.")
    async def supply_list(
        self, info: Info, agency: Annotated[str, strawberry.argument(description="机构代码 / Agency code.")]
    ) -> SupplyList:
        return await resolver.supply_list(info, agency)

    @strawberry.field(description="某层级各机构的供给清单 / The supply lists of one level's agencies.")
    async def supply_lists(
        self,
        info: Info,
        level: Annotated[Level, strawberry.argument(description="层级 / Level.")],
        first: Annotated[int | None, strawberry.argument(description="每页机构数（≤100）/ Agencies a page.")] = None,
        after: Annotated[str | None, strawberry.argument(description="上一页的 endCursor / Cursor.")] = None,
    ) -> SupplyListPage:
        return await resolver.supply_lists(info, level, first, after)
