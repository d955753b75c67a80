"""The audit trail query: check the filter, read a page (审计查询)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from graph.model import Node
from resolvers.context import Info
from resolvers.permissions import forbidden, require
from schema.errors import CatalogError, ErrorCode
from schema.pagination import Connection, connection, decode_cursor, encode_cursor, page_size
from sharing.audit_trail import AuditFilter, AuditFilterError, audit_page, count_audit
from sharing.identity import Role

T = TypeVar("T")


async def audit_trail(
    info: Info,
    agency: str | None,
    action: str | None,
    target: str | None,
    since: str | None,
    until: str | None,
    first: int | None,
    after: str | None,
    make: Callable[[Node], T],
) -> Connection[T]:
    size = page_size(first)
    start = decode_cursor("a", after)
    actor = require(info, Role.BUREAU_ADMIN)
    if actor.level is None:
        raise forbidden((Role.BUREAU_ADMIN,), "令牌未关联层级", "the token carries no level")
    try:
        # a bureau administrator reads its own level's trail (R13)
        wanted = AuditFilter.parse(level=actor.level, agency=agency, action=action, target=target,
                                   since=since, until=until)
    except AuditFilterError as e:
        raise CatalogError(ErrorCode.INVALID_INPUT, e.message_zh, e.message_en, field=f"filter.{e.field}") from None
    store = info.context.store
    nodes, more = await audit_page(store, wanted, start, size)
    return connection(
        [make(n) for n in nodes], [encode_cursor("a", n.key) for n in nodes], more,
        await count_audit(store, wanted), has_previous=start is not None,
    )
