"""Relay cursor connections (游标分页): opaque cursors, capped page sizes."""

from __future__ import annotations

import base64
import binascii
from typing import Generic, TypeVar

import strawberry

from schema.errors import CatalogError, ErrorCode

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

T = TypeVar("T")


@strawberry.type(description="分页信息 / Page information (Relay).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="是否还有下一页 / Whether more follow.")
    has_previous_page: bool = strawberry.field(
        description="是否有上一页 / Whether earlier items exist."
    )
    start_cursor: str | None = strawberry.field(description="本页首条游标 / First cursor.")
    end_cursor: str | None = strawberry.field(
        description="本页末条游标，传给 after 取下一页 / Last cursor; pass as `after`."
    )


@strawberry.type(description="连接中的一条 / An edge of a connection.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="不透明游标 / Opaque cursor.")
    node: T = strawberry.field(description="对象 / The item.")


@strawberry.type(description="分页连接 / A page of items (Relay connection).")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="本页各条 / Edges of this page.")
    page_info: PageInfo = strawberry.field(description="分页信息 / Page information.")
    total_count: int = strawberry.field(description="符合条件的总数 / Total matching items.")


def encode_cursor(kind: str, value: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str | None) -> str | None:
    """The value inside a cursor of this kind; a typed error for anything else."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    prefix, sep, value = raw.partition(":")
    if prefix != kind or not sep:
        raise CatalogError(
            ErrorCode.INVALID_CURSOR,
            "游标无效，请使用上一页返回的 endCursor",
            "invalid cursor: pass the endCursor of a previous page",
            field="after",
        )
    return value


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if first < 0:
        raise CatalogError(
            ErrorCode.INVALID_INPUT, "first 不能为负数", "`first` must not be negative",
            field="first",
        )
    if first > MAX_PAGE_SIZE:
        raise CatalogError(
            ErrorCode.PAGE_SIZE_TOO_LARGE,
            f"每页最多 {MAX_PAGE_SIZE} 条（请求了 {first} 条）",
            f"`first` is capped at {MAX_PAGE_SIZE} (asked for {first})",
            field="first",
            max=MAX_PAGE_SIZE,
        )
    return first


def connection(
    items: list[T], cursors: list[str], has_next: bool, total: int, has_previous: bool
) -> Connection[T]:
    return Connection(
        edges=[Edge(cursor=c, node=i) for i, c in zip(items, cursors, strict=True)],
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        ),
        total_count=total,
    )
