"""Browsing the catalog through GraphQL, on every backend (浏览接口契约)."""

from __future__ import annotations

import base64

from app.config import Settings
from sharing.identity import Role
from tests.api import Api
from tests.identities import issue
from tests.sample_catalog import GAJ, SCJG


async def planner(api: Api, settings: Settings) -> Api:
    """Contacts and grants are for signed-in callers: browse them as a planner."""
    return api.as_bearer(await issue(settings, agency=GAJ, role=Role.PLANNER, person="周规划"))


async def test_resource_by_code_with_provider_fields_and_services(api: Api, sample_settings: Settings) -> None:
    api = await planner(api, sample_settings)
    data = await api.query("""{ resource(code: "370800-SCJG-0001") {
        code name sharingType updateCycle provider { code name level contacts { role name } }
        fields { name dataType length sharingType } fieldCount
        services { code kind status fields { name } } } }""")
    r = data["resource"]
    assert r["name"] == "企业登记信息" and r["sharingType"] == "CONDITIONAL"
    assert r["provider"]["code"] == SCJG
    assert r["provider"]["contacts"][0] == {"role": "CHIEF_REPRESENTATIVE", "name": "张伟"}
    assert [f["name"] for f in r["fields"]][:2] == ["统一社会信用代码", "企业名称"]
    assert r["fields"][0] == {"name": "统一社会信用代码", "dataType": "STRING", "length": 18,
                              "sharingType": "CONDITIONAL"}
    assert r["fieldCount"] == 6
    assert {s["kind"] for s in r["services"]} == {"INTERFACE_QUERY", "INTERFACE_VERIFY"}
    query = next(s for s in r["services"] if s["kind"] == "INTERFACE_QUERY")
    assert [f["name"] for f in query["fields"]] == ["统一社会信用代码", "企业名称", "登记状态"]


async def test_resources_page_with_cursor_and_total(api: Api) -> None:
    q = """query($after: String) { resources(first: 3, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { code } } } }"""
    first = (await api.query(q))["resources"]
    assert first["totalCount"] == 7 and first["pageInfo"]["hasNextPage"]
    codes = [e["node"]["code"] for e in first["edges"]]
    seen = list(codes)
    after = first["pageInfo"]["endCursor"]
    while after:
        page = (await api.query(q, {"after": after}))["resources"]
        seen += [e["node"]["code"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
    assert seen == sorted(seen) and len(seen) == 7 == len(set(seen))


async def test_resource_filters(api: Api) -> None:
    async def codes(flt: str) -> list[str]:
        data = await api.query(f"{{ resources(filter: {flt}) {{ edges {{ node {{ code }} }} }} }}")
        return [e["node"]["code"] for e in data["resources"]["edges"]]

    assert await codes("{ sharingType: NOT_SHARED }") == ["370800-GAJ-0002"]
    assert await codes(f'{{ provider: "{SCJG}" }}') == ["370800-SCJG-0001", "370800-SCJG-0002"]
    assert await codes("{ level: COUNTY }") == ["370811-SCJG-0001"]
    assert await codes("{ aggregated: false }") == ["370811-SCJG-0001"]


async def test_node_by_global_id_round_trips(api: Api) -> None:
    data = await api.query('{ resource(code: "370800-GAJ-0001") { id } }')
    gid = data["resource"]["id"]
    assert base64.b64decode(gid).decode() == "DataResource:370800-GAJ-0001"
    node = await api.query(
        "query($id: ID!) { node(id: $id) { id ... on DataResource { name } } }", {"id": gid}
    )
    assert node["node"] == {"id": gid, "name": "人口基本信息"}


async def test_agencies_lineage_links_and_projects(api: Api, sample_settings: Settings) -> None:
    api = await planner(api, sample_settings)
    data = await api.query("""{
      agencies(filter: { level: COUNTY }) { totalCount edges { node { name parent { name } } } }
      resource(code: "370800-DSJ-0001") { derivedFrom { code } related { code }
                                          services { status } }
      r2: resource(code: "370800-SCJG-0001") { usedBy { code } declaredBy { code }
                                               derivatives { code } }
      project(code: "PRJ-2026-001") { owner { code } supplies { code } uses { code } stage }
      scenarios { edges { node { code agency { name } grants { status service { code }
                                                              fields { name } } } } } }""")
    assert data["agencies"]["totalCount"] == 1
    assert data["agencies"]["edges"][0]["node"]["parent"]["name"] == "济宁市市场监督管理局"
    assert [r["code"] for r in data["resource"]["derivedFrom"]] == [
        "370800-SCJG-0001", "370800-SWJ-0001"]
    assert data["resource"]["related"] == [{"code": "370811-SCJG-0001"}]
    assert data["resource"]["services"] == [{"status": "CHANGED"}]
    assert data["r2"]["usedBy"] == [{"code": "PRJ-2026-002"}]
    assert data["r2"]["declaredBy"] == [{"code": "PRJ-2026-001"}]
    assert data["r2"]["derivatives"] == [{"code": "370800-DSJ-0001"}]
    p = data["project"]
    assert p["stage"] == "APPROVED" and p["owner"]["code"] == SCJG
    assert [r["code"] for r in p["supplies"]] == ["370800-SCJG-0001", "370800-SCJG-0002"]
    grants = {e["node"]["code"]: e["node"]["grants"] for e in data["scenarios"]["edges"]}
    assert grants["SC-370800-0001"][0]["fields"] == [{"name": "统一社会信用代码"},
                                                      {"name": "企业名称"}]
    assert grants["SC-370800-0002"][0]["status"] == "SUSPENDED"


async def test_fields_connection_by_name(api: Api) -> None:
    data = await api.query("""{ fields(filter: { name: "统一社会信用代码" }) { totalCount
        edges { node { resource { code } } } } }""")
    assert data["fields"]["totalCount"] == 4
