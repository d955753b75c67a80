"""updateSynonyms: the administrator edits the dictionary; search changes at once (同义词维护)."""

from __future__ import annotations

from typing import Any

import pytest

from app.config import Settings
from sharing.identity import Role
from tests.api import Api
from tests.identities import issue
from tests.sample_catalog import DSJ, SCJG

UPDATE = """mutation($input: UpdateSynonymsInput!) { updateSynonyms(input: $input) {
  added extended removed groupCount errors { code field message messageZh messageEn } } }"""

TOP = """query($q: String!) { search(query: $q, types: [FIELD], first: 1) {
  edges { node { reasons entity { ... on Field { name } } } } } }"""


async def update(api: Api, **input: Any) -> dict[str, Any]:
    data: dict[str, Any] = (await api.query(UPDATE, {"input": input}))["updateSynonyms"]
    return data


@pytest.fixture
async def bureau(api: Api, sample_settings: Settings) -> Api:
    """The API as the city big-data bureau's administrator."""
    return api.as_bearer(await issue(sample_settings, agency=DSJ, role=Role.BUREAU_ADMIN, person="李明"))


async def top(api: Api, text: str) -> tuple[str | None, list[str]]:
    edges = (await api.query(TOP, {"q": text}))["search"]["edges"]
    if not edges:
        return None, []
    return edges[0]["node"]["entity"]["name"], edges[0]["node"]["reasons"]


async def test_a_new_variant_is_searchable_at_once_and_gone_when_removed(bureau: Api) -> None:
    api = bureau
    assert (await top(api, "纳税编码"))[0] != "纳税人识别号"
    added = await update(api, add=[{"canonical": "纳税人识别号", "variants": ["纳税编码"]}])
    assert added["errors"] == [] and added["extended"] == ["纳税人识别号"] and added["groupCount"] >= 200
    name, reasons = await top(api, "纳税编码")
    assert name == "纳税人识别号" and "SYNONYM" in reasons

    fresh = await update(api, add=[{"canonical": "宠物犬登记证号", "variants": ["犬证号"]}])
    assert fresh["added"] == ["宠物犬登记证号"]
    removed = await update(api, remove=["纳税人识别号"])
    assert removed["removed"] == ["纳税人识别号"]
    assert (await top(api, "税号"))[0] != "纳税人识别号"


async def test_a_conflicting_edit_changes_nothing(bureau: Api) -> None:
    api = bureau
    result = await update(api, add=[{"canonical": "企业名称", "variants": ["信用代码"]}])
    (problem,) = result["errors"]
    assert (problem["code"], problem["field"]) == ("CONFLICT", "add[0].variants[0]")
    assert problem["messageZh"] and problem["messageEn"]
    name, reasons = await top(api, "信用代码")
    assert name == "统一社会信用代码" and "SYNONYM" in reasons


async def test_bad_terms_are_typed_errors(bureau: Api) -> None:
    api = bureau
    result = await update(api, add=[{"canonical": "😀", "variants": ["甲" * 60]}], remove=["没有这个组"])
    assert {p["code"] for p in result["errors"]} == {"INVALID_TERM", "TERM_TOO_LONG", "NOT_FOUND"}
    assert (await update(api))["errors"][0]["code"] == "EMPTY_EDIT"


@pytest.mark.parametrize("role", [None, Role.AGENCY_STAFF, Role.CHIEF_REPRESENTATIVE, Role.PLANNER])
async def test_only_a_bureau_administrator_may_edit(
    api: Api, sample_settings: Settings, role: Role | None
) -> None:
    # the request comes from 127.0.0.1 (the old stop-gap's one criterion): no longer enough
    caller = api if role is None else api.as_bearer(
        await issue(sample_settings, agency=SCJG, role=role, person="张伟"))
    before = sample_settings.synonyms_path.read_bytes() if sample_settings.synonyms_path else b""
    result = await update(caller, add=[{"canonical": "纳税人识别号", "variants": ["纳税编码"]}])
    assert [p["code"] for p in result["errors"]] == ["FORBIDDEN"]
    assert "BUREAU_ADMIN" in result["errors"][0]["messageEn"] and "大数据局管理员" in result["errors"][0]["messageZh"]
    assert result["added"] == result["extended"] == [] and result["groupCount"] is None
    assert (await top(caller, "纳税编码"))[0] != "纳税人识别号"
    assert sample_settings.synonyms_path is not None
    assert sample_settings.synonyms_path.read_bytes() == before
