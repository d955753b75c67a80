"""Search through GraphQL: hits, highlights, reasons, facets, filters, cursors (检索接口契约)."""

from __future__ import annotations

from tests.api import Api
from tests.sample_catalog import SCJG

SEARCH = """query($q: String!, $types: [SearchKind!], $filter: SearchFilter, $first: Int,
                  $after: String, $explain: Boolean! = false) {
  search(query: $q, types: $types, filter: $filter, first: $first, after: $after,
         explain: $explain) {
    totalCount degraded pageInfo { hasNextPage endCursor }
    edges { cursor node { score kind highlight reasons explanation { rule score }
      entity { __typename
        ... on Field { name resource { code provider { code name } } }
        ... on DataResource { code name }
        ... on Agency { code name } } } }
    facets { kind { value label count } sharingType { value label count }
             provider { value label count } level { value label count } } } }"""


async def test_credit_code_finds_the_market_regulation_field_first(api: Api) -> None:
    data = (await api.query(SEARCH, {"q": "信用代码", "types": ["FIELD"]}))["search"]
    top = data["edges"][0]["node"]
    assert top["entity"]["name"] == "统一社会信用代码"
    assert top["entity"]["resource"]["provider"]["code"] == SCJG
    assert "<em>" in top["highlight"] and "SYNONYM" in top["reasons"]
    assert data["degraded"] is False
    names = {e["node"]["entity"]["name"] for e in data["edges"]}
    assert "统一社会信用代码" in names


async def test_facets_count_hits_and_carry_chinese_labels(api: Api) -> None:
    data = (await api.query(SEARCH, {"q": "统一社会信用代码", "types": ["FIELD"]}))["search"]
    facets = data["facets"]
    assert sum(v["count"] for v in facets["kind"]) == data["totalCount"]
    providers = {v["value"]: v for v in facets["provider"]}
    assert providers[SCJG]["label"] == "济宁市市场监督管理局"
    labels = {v["value"]: v["label"] for v in facets["sharingType"]}
    assert labels.get("CONDITIONAL") == "有条件共享"
    levels = {v["value"]: v["count"] for v in facets["level"]}
    assert levels.get("COUNTY") == 1


async def test_filters_restrict_hits(api: Api) -> None:
    data = (await api.query(SEARCH, {"q": "统一社会信用代码", "types": ["FIELD"],
                                     "filter": {"levels": ["COUNTY"]}}))["search"]
    assert data["totalCount"] == 1
    assert data["edges"][0]["node"]["entity"]["resource"]["code"] == "370811-SCJG-0001"
    data = (await api.query(SEARCH, {"q": "统一社会信用代码",
                                     "filter": {"sharingTypes": ["UNCONDITIONAL"]}}))["search"]
    assert {e["node"]["entity"]["resource"]["code"] for e in data["edges"]} == {"370800-SWJ-0001"}


async def test_cursor_pages_through_hits_without_repeats(api: Api) -> None:
    first = (await api.query(SEARCH, {"q": "代码", "first": 2}))["search"]
    assert first["pageInfo"]["hasNextPage"]
    second = (await api.query(SEARCH, {"q": "代码", "first": 2,
                                       "after": first["pageInfo"]["endCursor"]}))["search"]
    ids = [e["cursor"] for e in first["edges"] + second["edges"]]
    assert len(set(ids)) == 4
    assert first["totalCount"] == second["totalCount"] >= 4


async def test_explain_shows_what_contributed(api: Api) -> None:
    data = (await api.query(SEARCH, {"q": "信用代码", "types": ["FIELD"], "explain": True}))
    explanation = data["search"]["edges"][0]["node"]["explanation"]
    assert explanation and all(isinstance(c["score"], float) for c in explanation)
    plain = (await api.query(SEARCH, {"q": "信用代码", "types": ["FIELD"]}))
    assert plain["search"]["edges"][0]["node"]["explanation"] is None


async def test_pinyin_initials_and_traditional_characters(api: Api) -> None:
    for text in ("tyshxydm", "統一社會信用代碼"):
        data = (await api.query(SEARCH, {"q": text, "types": ["FIELD"]}))["search"]
        assert data["edges"][0]["node"]["entity"]["name"] == "统一社会信用代码", text


async def test_nothing_found_is_an_honest_empty_result(api: Api) -> None:
    for text in ("😀😀", "！！？", "zzzzqqqq"):
        data = (await api.query(SEARCH, {"q": text}))["search"]
        assert data["totalCount"] == 0 and data["edges"] == [], text
