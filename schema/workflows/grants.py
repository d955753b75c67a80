"""Grant management in the API (授权管理), R11: payload, queries and mutations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.context import Info
from schema.grant import Grant
from schema.pagination import Connection
from schema.query import After, First
from schema.workflows.applications import ApplicationError

GrantId = Annotated[strawberry.ID, strawberry.argument(description="授权的全局 ID / The grant's global ID.")]
Reason = Annotated[str, strawberry.argument(description="理由（必填）/ Reason (required).")]


@strawberry.type(description="授权操作结果 / Result of a grant step.")
class GrantPayload:
    grant: Grant | None = strawberry.field(description="授权（操作后）/ The grant after the step.")
    errors: list[ApplicationError] = strawberry.field(description="错误 / Errors; nothing written.")


@strawberry.type(description="授权查询 / Grant queries.")
class GrantQuery:
    @strawberry.field(
        description="本机构（使用方）持有的授权（工作人员、首席代表）/ Grants my agency holds, as consumer."
    )
    async def my_grants(self, info: Info, first: First = None, after: After = None) -> Connection[Grant]:
        from resolvers.workflows import grants

        return await grants.my_grants(info, first, after)

    @strawberry.field(
        description="谁持有本机构（提供方）数据的授权 / Grants on my agency's data: who holds what, as provider."
    )
    async def grants_on_my_data(self, info: Info, first: First = None, after: After = None) -> Connection[Grant]:
        from resolvers.workflows import grants

        return await grants.grants_on_my_data(info, first, after)


@strawberry.type(description="授权变更 / Grant mutations.")
class GrantMutation:
    @strawberry.mutation(
        description="暂停授权（提供方所在层级大数据局或提供方首席代表，须说明理由）/ Suspend a grant "
        "(the bureau of the provider's level or the provider's chief representative; reason required)."
    )
    async def suspend_grant(self, info: Info, id: GrantId, reason: Reason) -> GrantPayload:
        from resolvers.workflows import grants

        return await grants.suspend(info, str(id), reason)

    @strawberry.mutation(
        description="恢复已暂停的授权（同上，须说明理由）/ Resume a suspended grant (same callers; reason required)."
    )
    async def resume_grant(self, info: Info, id: GrantId, reason: Reason) -> GrantPayload:
        from resolvers.workflows import grants

        return await grants.resume(info, str(id), reason)

    @strawberry.mutation(
        description="终止授权（不可恢复，须说明理由）/ Terminate a grant (final; reason required)."
    )
    async def terminate_grant(self, info: Info, id: GrantId, reason: Reason) -> GrantPayload:
        from resolvers.workflows import grants

        return await grants.terminate(info, str(id), reason)
