"""Every GraphiQL example tab is a valid query of the current schema (示例查询与模式一致)."""

from __future__ import annotations

import pytest
from graphql import parse, validate

from app.graphiql import load_examples
from schema.build import build_schema

EXAMPLES = load_examples()


@pytest.mark.parametrize("title, query", EXAMPLES, ids=[t for t, _ in EXAMPLES])
def test_example_validates_against_the_schema(title: str, query: str) -> None:
    errors = validate(build_schema()._schema, parse(query))
    assert errors == [], f"{title}: {errors}"
