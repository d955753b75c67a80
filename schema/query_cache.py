"""Remembered parses of query texts (查询解析缓存).

Strawberry's `ParserCache`, except that a text that does not parse is left to strawberry's
own parsing step, which reports the syntax error the usual way (a typed
GRAPHQL_PARSE_FAILED error); raised from the cache's hook it would escape that handling.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress

from graphql import GraphQLError
from strawberry.extensions import ParserCache


class ParseCache(ParserCache):
    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query:
            with suppress(GraphQLError):  # then parsed again by strawberry, which reports it
                context.graphql_document = self.cached_parse_document(context.query, **context.parse_options)
        yield
