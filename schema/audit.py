"""The audit trail in GraphQL (审计记录查询): `auditTrail`, for bureau administrators (R11)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from graph.model import Label
from resolvers.audit import audit_trail
from resolvers.context import Info
from resolvers.permissions import allowed
from schema.enums import Level
from schema.identity import Role
from schema.pagination import Connection


@strawberry.input(description="审计记录筛选条件 / Which audit entries.")
class AuditFilterInput:
    agency: str | None = strawberry.field(default=None, description="操作机构代码 / Acting agency code.")
    action: str | None = strawberry.field(
        default=None, description="动作，如 token.issue、read.conditionalDetails / Action."
    )
    target: str | None = strawberry.field(
        default=None, description="对象 ID，如 DataResource:370800-SCJG-0001 / Target id (Label:key)."
    )
    since: str | None = strawberry.field(
        default=None, description="起始时间（含），ISO 8601，无时区按北京时间 / From (inclusive), ISO 8601."
    )
    until: str | None = strawberry.field(
        default=None, description="截止时间（不含），ISO 8601 / Until (exclusive), ISO 8601."
    )


@strawberry.type(description="一条审计记录（只增不改）/ One audit entry (append-only).")
class AuditEntry:
    key: strawberry.Private[str]
    props: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="记录编号 / Entry id (AuditEntry:key).")
    def id(self) -> str:
        return f"{Label.AUDIT_ENTRY.value}:{self.key}"

    @strawberry.field(description="时间（北京时间，ISO 8601）/ When (China time, ISO 8601).")
    def at(self) -> str:
        return str(self.props.get("at"))

    @strawberry.field(description="动作 / Action, e.g. application.submit.")
    def action(self) -> str:
        return str(self.props.get("action"))

    @strawberry.field(description="对象 ID / Target id (Label:key).")
    def target(self) -> str:
        return str(self.props.get("target"))

    @strawberry.field(description="对象类型 / Target label.")
    def target_label(self) -> str | None:
        value = self.props.get("targetLabel")
        return None if value is None else str(value)

    @strawberry.field(description="操作者角色 / Actor's role.")
    def role(self) -> Role:
        return Role(str(self.props.get("role")))

    @strawberry.field(description="操作机构代码 / Actor's agency code.")
    def agency(self) -> str | None:
        value = self.props.get("agency")
        return None if value is None else str(value)

    @strawberry.field(
        description="所属层级（操作机构的，或代其办理的机构的）/ The level the entry belongs to "
        "(the acting agency's, or that of the agency acted for)."
    )
    def level(self) -> Level | None:
        value = self.props.get("level")
        return Level(value) if value else None

    @strawberry.field(description="操作人 / Actor's name.")
    def person(self) -> str | None:
        value = self.props.get("person")
        return None if value is None else str(value)

    @strawberry.field(description="所用令牌编号 / The token id used.")
    def token_id(self) -> str | None:
        value = self.props.get("token")
        return None if value is None else str(value)

    @strawberry.field(description="变更前（JSON 文本）/ State before, as JSON text.")
    def before(self) -> str | None:
        value = self.props.get("before")
        return None if value is None else str(value)

    @strawberry.field(description="变更后（JSON 文本）/ State after, as JSON text.")
    def after(self) -> str | None:
        value = self.props.get("after")
        return None if value is None else str(value)

    @strawberry.field(description="备注 / Note.")
    def note(self) -> str | None:
        value = self.props.get("note")
        return None if value is None else str(value)


@strawberry.type(description="审计查询 / Audit queries.")
class AuditQuery:
    @strawberry.field(
        description="审计记录，按时间从早到晚（同一时刻按记录先后；游标分页）；仅限大数据局管理员，"
        "且只见本层级的记录 / The audit trail, oldest first (entries of one instant in the order they "
        "were made; cursor pages, pass endCursor as `after` to read on); bureau administrators only, "
        "each reading its own level's entries.",
        extensions=[allowed(Role.BUREAU_ADMIN)],
    )
    async def audit_trail(
        self,
        info: Info,
        filter: Annotated[
            AuditFilterInput | None, strawberry.argument(description="筛选条件 / Filter.")
        ] = None,
        first: Annotated[
            int | None, strawberry.argument(description="每页条数（默认 20，最多 100）/ Page size.")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="从该游标之后开始 / Start after this cursor.")
        ] = None,
    ) -> Connection[AuditEntry]:
        f = filter or AuditFilterInput()
        return await audit_trail(
            info, f.agency, f.action, f.target, f.since, f.until, first, after,
            lambda n: AuditEntry(key=n.key, props=dict(n.props)),
        )
