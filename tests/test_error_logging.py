"""Refusals are logged on one line at INFO, failures at ERROR with their traceback."""

from __future__ import annotations

import logging

import pytest
from graphql import GraphQLError

from schema.build import build_schema
from schema.error_logging import is_expected
from schema.errors import CatalogError, ErrorCode
from tests.api import Api


def test_typed_refusals_and_bad_queries_are_expected_other_failures_are_not() -> None:
    refusal = CatalogError(ErrorCode.FORBIDDEN, "无权限", "forbidden")
    assert is_expected(GraphQLError("forbidden", original_error=refusal))
    assert is_expected(GraphQLError("Cannot query field 'x'"))
    assert not is_expected(GraphQLError("boom", original_error=RuntimeError("boom")))


async def test_a_forbidden_field_is_not_logged_as_an_error(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        body = (await api.raw("{ grants { totalCount } }")).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    [line] = [r for r in caplog.records if r.name == "catalog.graphql"]
    assert line.levelno == logging.INFO and "FORBIDDEN" in line.getMessage() and line.exc_info is None


async def test_an_unexpected_failure_is_logged_with_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    schema = build_schema()
    with caplog.at_level(logging.INFO):
        schema.process_errors([GraphQLError("boom", original_error=RuntimeError("boom"))])
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.name == "strawberry.execution" and record.exc_info is not None
