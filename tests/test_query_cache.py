"""Parses and validations are remembered per query text, and still refuse what they refused (查询缓存)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.extensions.validation_cache import _get_validate_cache

from schema.build import QUERY_CACHE, build_schema

DEEP = "{ resource(code: \"R\") { " + "derivatives { " * 14 + "code" + " }" * 15 + " }"
ALIASES = "{ " + " ".join(f'a{i}: resource(code: "R") {{ code }}' for i in range(40)) + " }"


async def _code(schema: strawberry.Schema, query: str) -> str:
    result = await schema.execute(query)
    assert result.errors, query
    return str((result.errors[0].extensions or {}).get("code"))


async def test_the_second_ask_is_refused_like_the_first() -> None:
    schema = build_schema()
    for _ in range(2):
        assert await _code(schema, DEEP) == "QUERY_TOO_COMPLEX"
        assert await _code(schema, ALIASES) == "QUERY_TOO_COMPLEX"
        assert await _code(schema, "{ resource(code: ) }") == "GRAPHQL_PARSE_FAILED"
        assert await _code(schema, "{ noSuchField }") == "GRAPHQL_VALIDATION_FAILED"


async def test_a_repeated_text_is_parsed_and_validated_once() -> None:
    schema = build_schema()
    # the LRU wrappers strawberry's caches share (functools.lru_cache: cache_info())
    parse: Any = _get_parse_cache(QUERY_CACHE)
    validate: Any = _get_validate_cache(QUERY_CACHE)
    query = "query Once { __typename }"
    first = await schema.execute(query)
    parsed, validated = parse.cache_info().hits, validate.cache_info().hits
    second = await schema.execute(query)
    assert first.data == second.data == {"__typename": "Query"} and not second.errors
    assert parse.cache_info().hits == parsed + 1 and validate.cache_info().hits == validated + 1
