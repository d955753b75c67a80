"""Typed API errors with stable codes (带稳定错误码的接口错误).

Clients branch on `extensions.code`, never on message text. Every error carries a Chinese
and an English message; `message` is the two joined so a plain client shows both.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from graphql import GraphQLError


class ErrorCode(StrEnum):
    NOT_FOUND = "NOT_FOUND"  # 对象不存在
    INVALID_ID = "INVALID_ID"  # ID 格式错误
    INVALID_INPUT = "INVALID_INPUT"  # 输入不合法
    INVALID_CURSOR = "INVALID_CURSOR"  # 游标无效
    PAGE_SIZE_TOO_LARGE = "PAGE_SIZE_TOO_LARGE"  # 每页条数超限
    DEPTH_TOO_LARGE = "DEPTH_TOO_LARGE"  # 血缘遍历层数超限
    EMPTY_QUERY = "EMPTY_QUERY"  # 检索词为空
    EMPTY_DEMAND = "EMPTY_DEMAND"  # 需求未列出信息项
    TOO_MANY_ITEMS = "TOO_MANY_ITEMS"  # 需求信息项过多
    INPUT_TOO_LONG = "INPUT_TOO_LONG"  # 输入过长
    SEARCH_UNAVAILABLE = "SEARCH_UNAVAILABLE"  # 检索服务不可用
    FORBIDDEN = "FORBIDDEN"  # 无权限
    UNAUTHENTICATED = "UNAUTHENTICATED"  # 令牌无效或已吊销（HTTP 401）
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"  # 查询语法错误
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"  # 查询校验失败
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"  # 查询过深/别名过多/过长
    INTERNAL_ERROR = "INTERNAL_ERROR"  # 内部错误


class CatalogError(GraphQLError):
    """An error a resolver raises on purpose; reaches the client with its code."""

    def __init__(
        self, code: ErrorCode, zh: str, en: str, field: str | None = None, **extra: Any
    ) -> None:
        extensions: dict[str, Any] = {"code": code.value, "messageZh": zh, "messageEn": en}
        if field is not None:
            extensions["field"] = field
        extensions.update(extra)
        super().__init__(f"{zh} / {en}", extensions=extensions)
        self.code = code


def not_found(kind_zh: str, kind_en: str, key: str) -> CatalogError:
    return CatalogError(
        ErrorCode.NOT_FOUND,
        f"{kind_zh}「{key}」不存在",
        f"{kind_en} {key!r} does not exist",
        key=key,
    )
