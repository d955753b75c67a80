"""What each role may read, end to end with real tokens (角色与可见范围), on every backend.

Anonymous callers get the catalog's metadata and a FORBIDDEN error naming the roles for
contacts and grants; every signed-in role reads contacts, the bureau and planners every grant
(an agency's people see theirs: tests/test_contract_api_grant_visibility.py); lineage for
anonymous callers leaves grants out. Refused calls change nothing in the store.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.config import Settings
from app.graphiql import load_examples
from sharing.identity import Role
from tests.api import Api
from tests.identities import issue
from tests.sample_catalog import DSJ, GAJ, SCJG, SWJ
from tests.store_snapshot import snapshot

DEMO_PLANNER_AGENCY = "11370800004538676Q"  # 济宁市发展和改革委员会 in the demo catalog (seed 2026)
SIGNED_IN = ["BUREAU_ADMIN", "CHIEF_REPRESENTATIVE", "AGENCY_STAFF", "PLANNER"]

CONTACTS = """{ resource(code: "370800-SCJG-0001") {
  name sharingType provider { name contacts { role name phone } } } }"""
GRANTS = "{ grants { totalCount edges { node { id status service { code } } } } }"
NESTED_GRANTS = """{ service(code: "370800-SCJG-0001-S01") { name grants { status } }
  scenarios(agency: "11370800004312345C") { edges { node { name grants { status } } } } }"""
IMPACT = '{ impact(service: "370800-SCJG-0001-S01") { counts { grants } } }'
FIELD_LINEAGE = '{ fieldLineage(resource: "370800-SCJG-0001", field: "企业名称") { grants { grant { id } } } }'
LINEAGE = """query($id: ID!) { lineage(id: $id, direction: BOTH, depth: 3) {
  nodeCount nodes { kind code } edges { source target } paths { node path } } }"""


async def as_role(api: Api, settings: Settings, role: str, agency: str | None = None) -> Api:
    default = DSJ if role == "BUREAU_ADMIN" else GAJ
    return api.as_bearer(await issue(settings, agency=agency or default, role=Role(role), person="王测试"))


def forbidden(body: dict[str, Any], path: list[str | int]) -> dict[str, Any]:
    [error] = [e for e in body["errors"] if e.get("path") == path]
    ext: dict[str, Any] = error["extensions"]
    assert ext["code"] == "FORBIDDEN", error
    assert ext["requiredRoles"] == SIGNED_IN
    assert "首席代表" in ext["messageZh"] and "PLANNER" in ext["messageEn"]
    assert "Bearer" in ext["messageEn"]  # tells an anonymous caller what to send
    return ext


async def test_anonymous_gets_metadata_but_not_contacts(api: Api, sample_settings: Settings) -> None:
    before = await snapshot(sample_settings)
    response = await api.raw(CONTACTS)
    assert response.status_code == 200
    body = response.json()
    resource = body["data"]["resource"]
    assert resource["name"] == "企业登记信息" and resource["sharingType"] == "CONDITIONAL"
    assert resource["provider"] == {"name": "济宁市市场监督管理局", "contacts": None}
    forbidden(body, ["resource", "provider", "contacts"])
    assert await snapshot(sample_settings) == before


async def test_anonymous_gets_no_grants_anywhere(api: Api, sample_settings: Settings) -> None:
    planner = await as_role(api, sample_settings, "PLANNER")
    before = await snapshot(sample_settings)
    body = (await api.raw(GRANTS)).json()
    assert body["data"] is None
    forbidden(body, ["grants"])
    body = (await api.raw(NESTED_GRANTS)).json()
    assert body["data"]["service"] == {"name": "企业登记信息查询接口", "grants": None}
    assert body["data"]["scenarios"]["edges"][0]["node"]["grants"] is None
    forbidden(body, ["service", "grants"])
    forbidden(body, ["scenarios", "edges", 0, "node", "grants"])
    for query, root in ((IMPACT, "impact"), (FIELD_LINEAGE, "fieldLineage")):
        body = (await api.raw(query)).json()
        assert body["data"] is None
        forbidden(body, [root])
    grant_id = (await planner.query(GRANTS))["grants"]["edges"][0]["node"]["id"]
    error = await api.error("query($id: ID!) { node(id: $id) { id } }", {"id": grant_id})
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert (await api.error(LINEAGE, {"id": grant_id}))["extensions"]["code"] == "FORBIDDEN"
    assert await snapshot(sample_settings) == before


@pytest.mark.parametrize("role", SIGNED_IN)
async def test_every_signed_in_role_reads_contacts(api: Api, sample_settings: Settings, role: str) -> None:
    caller = await as_role(api, sample_settings, role)
    assert (await caller.query("{ viewer { role } }"))["viewer"]["role"] == role
    provider = (await caller.query(CONTACTS))["resource"]["provider"]
    assert provider["contacts"][0] == {"role": "CHIEF_REPRESENTATIVE", "name": "张伟", "phone": "0537-2345678"}


@pytest.mark.parametrize("role", ["BUREAU_ADMIN", "PLANNER"])
async def test_the_bureau_and_planners_read_every_grant(api: Api, sample_settings: Settings, role: str) -> None:
    caller = await as_role(api, sample_settings, role)
    grants = (await caller.query(GRANTS))["grants"]
    assert grants["totalCount"] == 2
    nested = await caller.query(NESTED_GRANTS)
    assert nested["service"]["grants"] == [{"status": "ACTIVE"}]
    assert (await caller.query(IMPACT))["impact"]["counts"]["grants"] == 1
    assert (await caller.query(FIELD_LINEAGE))["fieldLineage"]["grants"]


async def test_anonymous_lineage_leaves_grants_and_what_lies_beyond_them_out(
    api: Api, sample_settings: Settings
) -> None:
    planner = await as_role(api, sample_settings, "PLANNER")
    full = (await planner.query(LINEAGE, {"id": "370800-SCJG-0001"}))["lineage"]
    shown = (await api.query(LINEAGE, {"id": "370800-SCJG-0001"}))["lineage"]
    assert "GRANT" in {n["kind"] for n in full["nodes"]}
    assert "GRANT" not in {n["kind"] for n in shown["nodes"]}
    assert 0 < shown["nodeCount"] < full["nodeCount"] == len(full["nodes"])
    assert shown["nodeCount"] == len(shown["nodes"])
    # the scenario reached only through the grant is gone too; the catalog side stays
    assert "SC-370800-0001" in {n["code"] for n in full["nodes"]}
    assert "SC-370800-0001" not in {n["code"] for n in shown["nodes"]}
    assert {"370800-SCJG-0001-S01", "370800-DSJ-0001"} <= {n["code"] for n in shown["nodes"]}
    grant_ids = {p["node"] for p in full["paths"]} - {p["node"] for p in shown["paths"]}
    assert all(e["source"] not in grant_ids and e["target"] not in grant_ids for e in shown["edges"])
    assert all(not set(p["path"]) & grant_ids for p in shown["paths"])
    # the picture served to a browser without a token is the anonymous view
    svg = (await api.client.get("/lineage/370800-SCJG-0001.svg?depth=3")).text
    assert svg.count('class="node"') == shown["nodeCount"]
    signed = await api.client.get("/lineage/370800-SCJG-0001.svg?depth=3", headers=planner.headers)
    assert signed.text.count('class="node"') == full["nodeCount"]
    bad = await api.client.get("/lineage/370800-SCJG-0001.svg", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401 and bad.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_project_report_needs_a_signed_in_caller(api: Api, sample_settings: Settings) -> None:
    url = "/projects/PRJ-2026-001/report.xlsx?asOf=2025-06-02"
    refused = await api.client.get(url)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    planner = await as_role(api, sample_settings, "PLANNER")
    assert (await api.client.get(url, headers=planner.headers)).status_code == 200


async def test_a_staff_token_is_bound_to_its_agency_and_level(api: Api, sample_settings: Settings) -> None:
    staff = await as_role(api, sample_settings, "AGENCY_STAFF", SWJ)
    viewer = (await staff.query("{ viewer { role level agency { code } } }"))["viewer"]
    assert viewer == {"role": "AGENCY_STAFF", "level": "CITY", "agency": {"code": SWJ}}
    chief = await as_role(api, sample_settings, "CHIEF_REPRESENTATIVE", SCJG)
    assert (await chief.query("{ viewer { agency { name } } }"))["viewer"]["agency"]["name"] == "济宁市市场监督管理局"


async def test_every_example_answers_a_planner_and_says_when_it_needs_a_token(
    demo_api: Api, demo_settings: Settings
) -> None:
    planner = demo_api.as_bearer(await issue(demo_settings, agency=DEMO_PLANNER_AGENCY, role=Role.PLANNER,
                                             person="周规划"))
    for title, query in load_examples():
        signed = (await planner.raw(query)).json()
        assert not signed.get("errors"), (title, signed.get("errors"))
        anonymous = (await demo_api.raw(query)).json()
        codes = {e["extensions"]["code"] for e in anonymous.get("errors") or []}
        needs_token = "需要令牌" in query.split("query ", 1)[0]  # said in the tab's comment
        assert codes == ({"FORBIDDEN"} if needs_token else set()), (title, anonymous.get("errors"))
