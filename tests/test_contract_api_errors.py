"""Bad input gets a typed error with a stable code, never a stack trace (错误处理契约)."""

from __future__ import annotations

from tests.api import Api


async def test_unknown_code_is_a_typed_not_found(api: Api) -> None:
    error = await api.error('{ resource(code: "NO-SUCH-CODE") { name } }')
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "不存在" in error["message"] and "does not exist" in error["message"]


async def test_page_size_over_the_cap(api: Api) -> None:
    error = await api.error("{ resources(first: 101) { totalCount } }")
    assert error["extensions"]["code"] == "PAGE_SIZE_TOO_LARGE"
    assert error["extensions"]["max"] == 100


async def test_bad_cursor_and_bad_id(api: Api) -> None:
    error = await api.error('{ resources(after: "garbage") { totalCount } }')
    assert error["extensions"]["code"] == "INVALID_CURSOR"
    error = await api.error('{ node(id: "!!!") { id } }')
    assert error["extensions"]["code"] == "INVALID_ID"


async def test_malformed_graphql_is_a_parse_error_not_a_500(api: Api) -> None:
    error = await api.error("{ resources(first: ) ")
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    error = await api.error("{ noSuchField }")
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    response = await api.client.post("/graphql", content=b"{not json",
                                     headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_query_depth_and_alias_limits(api: Api) -> None:
    deep = "{ resource(code: \"370800-SCJG-0001\") { " + "derivatives { " * 14 + "code" + " }" * 15
    error = await api.error(deep + " }")
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    aliases = " ".join(f'a{i}: resource(code: "370800-SCJG-0001") {{ code }}' for i in range(40))
    error = await api.error("{ " + aliases + " }")
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_over_long_and_empty_inputs(api: Api) -> None:
    error = await api.error('{ resource(code: "' + "x" * 500 + '") { code } }')
    assert error["extensions"]["code"] == "INPUT_TOO_LONG"
    error = await api.error('{ search(query: "   ") { totalCount } }')
    assert error["extensions"]["code"] == "EMPTY_QUERY"
    error = await api.error('{ search(query: "' + "信" * 300 + '") { totalCount } }')
    assert error["extensions"]["code"] == "INPUT_TOO_LONG"
