"""Who is calling (调用者身份): the Role enum and the `viewer` query."""

from __future__ import annotations

import strawberry

from graph.model import Label
from resolvers.context import Info
from schema.agency import Agency
from schema.enums import Level
from sharing.identity import Role

# Schema modules import `Role` from here, so the enum is registered (with its descriptions)
# before any type that names it.
__all__ = ["IdentityQuery", "Role", "Viewer"]

strawberry.enum(
    Role,
    name="Role",
    description="调用者角色 / Caller role. "
    + "; ".join(f"{r.value}: {r.label_zh}" for r in Role),
)
for _value in Role.__strawberry_definition__.values:  # type: ignore[attr-defined]
    _value.description = f"{Role(_value.value).label_zh} / {_value.name.replace('_', ' ').lower()}"


@strawberry.type(
    description="本次请求的调用者（由 Authorization: Bearer 令牌确定，无令牌为匿名）"
    " / Who this request acts as (from its bearer token; anonymous without one)."
)
class Viewer:
    role: Role = strawberry.field(description="角色 / Role.")
    person: str | None = strawberry.field(description="令牌持有人 / The person the token names.")
    token_id: str | None = strawberry.field(
        description="令牌编号（公开部分，不含密钥）/ The token's public id (never its secret)."
    )
    level: Level | None = strawberry.field(description="所属机构层级 / The agency's level.")
    agency_code: strawberry.Private[str | None]

    @strawberry.field(description="是否已认证 / Whether a token was presented and accepted.")
    def authenticated(self) -> bool:
        return self.role is not Role.ANONYMOUS

    @strawberry.field(description="所属机构 / The agency the token was issued for.")
    async def agency(self, info: Info) -> Agency | None:
        if self.agency_code is None:
            return None
        node = await info.context.loaders.nodes(Label.AGENCY).load(self.agency_code)
        return Agency(_node=node) if node else None


@strawberry.type(description="身份查询 / Identity queries.")
class IdentityQuery:
    @strawberry.field(description="当前调用者 / Who this request acts as.")
    def viewer(self, info: Info) -> Viewer:
        actor = info.context.actor
        return Viewer(
            role=actor.role, person=actor.person, token_id=actor.token_id,
            level=actor.level, agency_code=actor.agency_code,
        )
