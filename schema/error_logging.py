"""How a request's errors are logged (错误日志): expected refusals briefly, failures in full.

strawberry logs every error of an answer at ERROR with its traceback. A typed refusal (a
`CatalogError`: FORBIDDEN, NOT_FOUND, bad input…) or a query that does not parse or validate is
the caller's to mend and already answered in full, so it is logged at INFO on one line; anything
else is a failure of the service and keeps strawberry's ERROR log with the traceback.
"""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from schema.errors import CatalogError

log = logging.getLogger("catalog.graphql")


def is_expected(error: GraphQLError) -> bool:
    original = error.original_error
    return original is None or isinstance(original, CatalogError)


class CatalogSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        unexpected = [e for e in errors if not is_expected(e)]
        for error in errors:
            if is_expected(error):
                code = (error.extensions or {}).get("code")
                log.info("refused %s at %s: %s", code or "QUERY", error.path or "-", error.message)
        if unexpected:
            super().process_errors(unexpected, execution_context)
