"""suggest: autocomplete over field, resource and agency names, by characters, pinyin, initials."""

from __future__ import annotations

from typing import Any

from tests.api import Api

SUGGEST = """query($p: String!, $first: Int, $types: [SearchKind!]) {
  suggest(prefix: $p, first: $first, types: $types) { text kind
    entity { __typename ... on Field { name } ... on Agency { name } ... on DataResource { name } } } }"""


async def suggest(api: Api, prefix: str, **args: Any) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = (await api.query(SUGGEST, {"p": prefix, **args}))["suggest"]
    return data


async def test_a_prefix_in_characters_pinyin_or_initials_suggests_the_name(api: Api) -> None:
    for prefix in ("统一社会", "tongyishe", "tysh"):
        first = (await suggest(api, prefix))[0]
        assert (first["text"], first["kind"]) == ("统一社会信用代码", "FIELD"), prefix
        assert first["entity"]["name"] == "统一社会信用代码"


async def test_agencies_and_resources_are_suggested_too(api: Api) -> None:
    agencies = await suggest(api, "济宁市市场", types=["AGENCY"])
    assert [s["text"] for s in agencies] == ["济宁市市场监督管理局"]
    assert {s["kind"] for s in await suggest(api, "企业")} >= {"FIELD", "RESOURCE"}
    assert len(await suggest(api, "j", first=2)) <= 2


async def test_bad_prefixes_are_typed_errors_or_nothing(api: Api) -> None:
    assert (await api.error(SUGGEST, {"p": "  "}))["extensions"]["code"] == "EMPTY_QUERY"
    assert (await api.error(SUGGEST, {"p": "统一", "first": 21}))["extensions"]["code"] == "PAGE_SIZE_TOO_LARGE"
    assert (await api.error(SUGGEST, {"p": "统" * 300}))["extensions"]["code"] == "INPUT_TOO_LONG"
    assert await suggest(api, "😀😀") == []
    assert await suggest(api, "！？") == []
