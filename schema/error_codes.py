"""Give every error a stable code and keep internals out of responses (错误码与脱敏).

Errors raised on purpose (`CatalogError`) pass as they are. Errors of the GraphQL layer
itself (syntax, validation, the depth/alias/token limits) get a code by kind. Anything else
is an unexpected failure: it is logged with its traceback and the client sees only
INTERNAL_ERROR.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from schema.errors import CatalogError, ErrorCode

log = logging.getLogger(__name__)

# Messages of strawberry's limit extensions (QueryDepthLimiter, MaxAliasesLimiter,
# MaxTokensLimiter); graphql-core gives their errors no class of their own.
_LIMIT_MARKERS = ("maximum operation depth", "aliases found", "more than", "parsing aborted")


def coded(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if isinstance(original, CatalogError):
        return GraphQLError(
            original.message, nodes=error.nodes, source=error.source, positions=error.positions,
            path=error.path, original_error=original, extensions=original.extensions,
        )
    if isinstance(error, CatalogError) or (error.extensions or {}).get("code"):
        return error
    if original is None:
        text = error.message
        if any(m in text.lower() for m in _LIMIT_MARKERS):
            code, zh = ErrorCode.QUERY_TOO_COMPLEX, "查询过深、别名过多或过长"
        elif isinstance(error, GraphQLSyntaxError) or text.startswith("Syntax Error"):
            code, zh = ErrorCode.GRAPHQL_PARSE_FAILED, "查询语法错误"
        else:
            code, zh = ErrorCode.GRAPHQL_VALIDATION_FAILED, "查询不符合模式"
        return GraphQLError(
            f"{zh} / {text}", nodes=error.nodes, source=error.source, positions=error.positions,
            path=error.path, extensions={"code": code.value, "messageZh": zh, "messageEn": text},
        )
    log.error("unexpected error in %s", error.path, exc_info=original)
    zh, en = "服务内部错误，已记录", "internal error; it has been logged"
    return GraphQLError(
        f"{zh} / {en}", nodes=error.nodes, path=error.path,
        extensions={"code": ErrorCode.INTERNAL_ERROR.value, "messageZh": zh, "messageEn": en},
    )


class ErrorCodes(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [coded(e) for e in result.errors]
