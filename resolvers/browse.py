"""Browse queries: lists with filters and cursors, lookups by code (浏览与按编码查询)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from graph.model import Label, Node
from graph.store import Where
from resolvers.context import Info
from resolvers.permissions import SIGNED_IN, forbidden
from schema.errors import CatalogError, ErrorCode, not_found
from schema.node import from_global_id, wrap
from schema.pagination import Connection, connection, decode_cursor, encode_cursor, page_size
from sharing.disclosure import hidden_from

T = TypeVar("T")

MAX_CODE_LENGTH = 200


def check_code(code: str, field: str = "code") -> str:
    code = code.strip()
    if not code:
        raise CatalogError(ErrorCode.INVALID_INPUT, "编码不能为空", "code must not be empty",
                           field=field)
    if len(code) > MAX_CODE_LENGTH:
        raise CatalogError(
            ErrorCode.INPUT_TOO_LONG,
            f"编码过长（最多 {MAX_CODE_LENGTH} 个字符）",
            f"code too long (at most {MAX_CODE_LENGTH} characters)",
            field=field,
        )
    return code


async def page_of(
    info: Info,
    label: Label,
    where: Where,
    first: int | None,
    after: str | None,
    make: Callable[[Node], T],
) -> Connection[T]:
    size = page_size(first)
    start = decode_cursor("k", after)
    store = info.context.store
    page = await store.find_nodes(label, where, after=start, limit=size)
    total = await store.count_nodes(label, where)
    return connection(
        [make(n) for n in page.nodes],
        [encode_cursor("k", n.key) for n in page.nodes],
        page.has_next,
        total,
        has_previous=start is not None,
    )


def _both(a: Where, b: Where) -> Where | None:
    """The filter matching what both `a` and `b` match (None if nothing can)."""
    merged: dict[str, Any] = dict(a)
    for name, value in b.items():
        if name not in merged:
            merged[name] = value
            continue
        mine = merged[name] if isinstance(merged[name], list | tuple) else [merged[name]]
        theirs = value if isinstance(value, list | tuple) else [value]
        common = [v for v in mine if v in theirs]
        if not common:
            return None
        merged[name] = common
    return merged


async def page_of_either(
    info: Info,
    label: Label,
    a: Where,
    b: Where,
    first: int | None,
    after: str | None,
    make: Callable[[Node], T],
) -> Connection[T]:
    """A key-ordered page of the nodes matching `a` or `b`: the store filters by equality
    alone, so this merges one page of each (the union's next `size` keys are among them) and
    counts |a| + |b| - |a and b|."""
    size = page_size(first)
    start = decode_cursor("k", after)
    store = info.context.store
    pages = [await store.find_nodes(label, w, after=start, limit=size) for w in (a, b)]
    merged = sorted({n.key: n for p in pages for n in p.nodes}.values(), key=lambda n: n.key)
    shown = merged[:size]
    both = _both(a, b)
    total = (await store.count_nodes(label, a) + await store.count_nodes(label, b)
             - (await store.count_nodes(label, both) if both is not None else 0))
    return connection(
        [make(n) for n in shown],
        [encode_cursor("k", n.key) for n in shown],
        len(merged) > size or any(p.has_next for p in pages),
        total,
        has_previous=start is not None,
    )


async def by_code(info: Info, label: Label, code: str, zh: str, en: str) -> Any:
    node = await info.context.loaders.nodes(label).load(check_code(code))
    if node is None:
        raise not_found(zh, en, code)
    return wrap(node)


async def by_id(info: Info, global_id: str) -> Any:
    ref = from_global_id(global_id)
    # workflow objects carry their own read rules: the queries that check them answer
    if ref.label is Label.QUALITY_ISSUE:
        from resolvers.workflows.follow_up import quality_issue

        return await quality_issue(info, ref.key)
    if ref.label is Label.APPLICATION:
        from resolvers.workflows.applications import application

        found = await application(info, global_id)
        if found is None:
            raise not_found("对象", "node", global_id)
        return found
    node = await info.context.loaders.nodes(ref.label).load(ref.key)
    if node is None:
        raise not_found("对象", "node", global_id)
    if hidden_from(info.context.actor, node.label):
        raise forbidden(SIGNED_IN, "匿名调用不能查看授权、申请等使用情况",
                        "anonymous callers do not see grants or applications")
    if node.label is Label.GRANT:
        from resolvers.grant_visibility import check_grant_visible

        await check_grant_visible(info, node)
    return wrap(node)


def where(**filters: Any) -> dict[str, Any]:
    """Equality filters without the unset ones; enums become their codes."""
    return {k: getattr(v, "value", v) for k, v in filters.items() if v is not None}
