"""Lineage and the planner's questions through GraphQL, on every backend (血缘与规划查询契约).

The sample catalog plus two projects in acceptance (one that delivered, one that did not)
and two quality issues (one closed, one open).
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.backends import open_backends
from app.web import create_app
from graph.model import ChangeSet, Label, Node
from interchange.load import load_document
from interchange.origins import Origins
from interchange.records import ProjectRecord
from sharing.clock import SystemClock
from sharing.identity import Role
from sharing.tokens import issue_token
from tests.api import Api
from tests.backends import BackendCase
from tests.sample_catalog import DSJ, SCJG, SWJ, sample_document

R = "370800-SCJG-0001"
S01 = "370800-SCJG-0001-S01"


def gid(label: Label, key: str) -> str:
    return base64.b64encode(f"{label.value}:{key}".encode()).decode()


@pytest.fixture
async def planner(backend_case: BackendCase, tmp_path: Path) -> AsyncIterator[Api]:
    settings = backend_case.settings(tmp_path, uuid.uuid4().hex[:8])
    doc = sample_document()
    doc.projects += [
        ProjectRecord("PRJ-2025-003", "企业开办一件事平台", SCJG, "ACCEPTANCE", supplies=[R],
                      uses=["370800-SWJ-0001"]),
        ProjectRecord("PRJ-2024-004", "法人库建设项目", DSJ, "ACCEPTANCE", supplies=["370800-DSJ-0001"], uses=[R]),
    ]
    async with open_backends(settings) as b:
        await b.store.clear()
        await b.index.clear()
        await load_document(doc, Origins(), "sample", b.writer)
        await b.store.write(ChangeSet(upserts=[
            Node(Label.QUALITY_ISSUE, "QI-1", {"resourceCode": R, "status": "VERIFIED"}),
            Node(Label.QUALITY_ISSUE, "QI-2", {"resourceCode": "370800-DSJ-0001", "status": "REPORTED"}),
        ]))
        token = await issue_token(b.writer, agency_code=DSJ, role=Role.PLANNER, person="周规划",
                                  clock=SystemClock())
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            yield Api(client).as_bearer(token.bearer)
    async with open_backends(settings) as b:
        await b.store.clear()
        await b.index.clear()


LINEAGE = """query($id: ID!, $direction: LineageDirection!, $depth: Int, $first: Int, $types: [RelationshipKind!]) {
  lineage(id: $id, direction: $direction, depth: $depth, first: $first, types: $types) {
    nodeCount edgeCount depth first truncated { byDepth bySize any }
    root { id code kind side hop }
    nodes { id code kind hop side hasMore agency { code } entity { __typename } }
    edges { type source target upstream downstream }
    paths { node path }
  }
}"""


async def lineage(api: Api, id: str, direction: str = "BOTH", **args: Any) -> dict[str, Any]:
    data = await api.query(LINEAGE, {"id": id, "direction": direction, **args})
    result: dict[str, Any] = data["lineage"]
    return result


def by_code(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["code"]: n for n in result["nodes"]}


async def test_lineage_of_a_resource_runs_upstream_and_downstream(planner: Api) -> None:
    result = await lineage(planner, R, depth=3)
    nodes = by_code(result)
    assert result["root"] == {"id": gid(Label.RESOURCE, R), "code": R, "kind": "RESOURCE", "side": "ROOT", "hop": 0}
    assert result["nodeCount"] == len(result["nodes"]) and result["nodes"][0]["code"] == R
    expected = {
        SCJG: (1, "UPSTREAM"), "PRJ-2026-001": (1, "UPSTREAM"), "PRJ-2025-003": (1, "UPSTREAM"),
        "370800-DSJ-0001": (1, "DOWNSTREAM"), S01: (1, "DOWNSTREAM"), "370800-SCJG-0001-S02": (1, "DOWNSTREAM"),
        "PRJ-2026-002": (1, "DOWNSTREAM"), "PRJ-2024-004": (1, "DOWNSTREAM"),
        f"SC-370800-0001|{S01}": (2, "DOWNSTREAM"), "SC-370800-0001": (3, "DOWNSTREAM"),
        "370800-GAJ-0001": (2, "UPSTREAM"),
    }
    for code, (hop, side) in expected.items():
        assert (nodes[code]["hop"], nodes[code]["side"]) == (hop, side), code
    assert nodes[S01]["entity"] == {"__typename": "DataService"} and nodes[S01]["agency"] == {"code": SCJG}
    grant = nodes[f"SC-370800-0001|{S01}"]
    assert grant["agency"] == {"code": SWJ}  # a grant is drawn with its consumer
    # One shortest path per node, root first.
    paths = {p["node"]: p["path"] for p in result["paths"]}
    assert len(paths) == result["nodeCount"]
    assert paths[gid(Label.SCENARIO, "SC-370800-0001")] == [
        gid(Label.RESOURCE, R), gid(Label.SERVICE, S01), gid(Label.GRANT, f"SC-370800-0001|{S01}"),
        gid(Label.SCENARIO, "SC-370800-0001"),
    ]
    mounted = next(e for e in result["edges"] if e["type"] == "MOUNTED_ON" and e["source"] == gid(Label.SERVICE, S01))
    assert mounted["upstream"] == gid(Label.RESOURCE, R) and mounted["downstream"] == gid(Label.SERVICE, S01)
    ids = {n["id"] for n in result["nodes"]}
    assert all(e["upstream"] in ids and e["downstream"] in ids for e in result["edges"])


async def test_the_root_may_be_named_by_global_id_label_key_or_code(planner: Api) -> None:
    for given in (gid(Label.RESOURCE, R), f"DataResource:{R}", R):
        result = await lineage(planner, given, "UPSTREAM", depth=1)
        assert result["root"]["code"] == R


async def test_depth_and_size_cuts_are_flagged(planner: Api) -> None:
    shallow = await lineage(planner, R, "DOWNSTREAM", depth=1)
    assert shallow["truncated"] == {"byDepth": True, "bySize": False, "any": True}
    assert by_code(shallow)[S01]["hasMore"] is True  # its grant lies beyond
    small = await lineage(planner, R, "BOTH", depth=6, first=4)
    assert small["nodeCount"] == 4 and small["truncated"]["bySize"] is True
    whole = await lineage(planner, "SC-370800-0001", "UPSTREAM", depth=6)
    assert whole["truncated"]["any"] is False


async def test_types_restrict_the_walk(planner: Api) -> None:
    result = await lineage(planner, R, "DOWNSTREAM", depth=3, types=["DERIVED_FROM"])
    assert [n["code"] for n in result["nodes"]] == [R, "370800-DSJ-0001"]


async def test_bad_lineage_arguments_get_typed_errors(planner: Api) -> None:
    too_deep = await planner.error(LINEAGE, {"id": R, "direction": "BOTH", "depth": 7})
    assert too_deep["extensions"]["code"] == "DEPTH_TOO_LARGE" and too_deep["extensions"]["max"] == 6
    assert "6" in too_deep["extensions"]["messageZh"]
    too_big = await planner.error(LINEAGE, {"id": R, "direction": "BOTH", "first": 5000})
    assert too_big["extensions"]["code"] == "PAGE_SIZE_TOO_LARGE"
    missing = await planner.error(LINEAGE, {"id": "370800-NOPE-0001", "direction": "BOTH"})
    assert missing["extensions"]["code"] == "NOT_FOUND"
    empty = await planner.error(LINEAGE, {"id": R, "direction": "BOTH", "types": []})
    assert empty["extensions"]["code"] == "INVALID_INPUT"


async def test_field_lineage_names_services_grants_scenarios_and_agencies(planner: Api) -> None:
    query = """query($f: String!) { fieldLineage(resource: "370800-SCJG-0001", field: $f) {
        field { name } services { code } grants { grant { status } service { code } scenario { code }
        agency { code } } scenarios { code } agencies { code } } }"""
    used = (await planner.query(query, {"f": "统一社会信用代码"}))["fieldLineage"]
    assert sorted(s["code"] for s in used["services"]) == [S01, "370800-SCJG-0001-S02"]
    assert used["grants"] == [{"grant": {"status": "ACTIVE"}, "service": {"code": S01},
                               "scenario": {"code": "SC-370800-0001"}, "agency": {"code": SWJ}}]
    assert used["agencies"] == [{"code": SWJ}]
    unused = (await planner.query(query, {"f": "住所"}))["fieldLineage"]
    assert unused["services"] == [] and unused["grants"] == []
    missing = await planner.error(query, {"f": "不存在的信息项"})
    assert missing["extensions"]["code"] == "NOT_FOUND"


DEPENDING = """query($r: String, $a: String, $s: String) {
  projectsDependingOn(resource: $r, agency: $a, supplyListOf: $s) {
    kind totalCount resources { code } derivedResources { code }
    projects { project { code } direct { code } viaDerived { code } } } }"""


async def test_projects_depending_on_a_resource_an_agency_and_its_supply_list(planner: Api) -> None:
    on_resource = (await planner.query(DEPENDING, {"r": R}))["projectsDependingOn"]
    assert on_resource["kind"] == "RESOURCE"
    assert [p["project"]["code"] for p in on_resource["projects"]] == ["PRJ-2024-004", "PRJ-2026-002"]
    assert on_resource["derivedResources"] == [{"code": "370800-DSJ-0001"}]
    on_agency = (await planner.query(DEPENDING, {"a": "济宁市市场监督管理局"}))["projectsDependingOn"]
    assert on_agency["totalCount"] == 2
    assert [r["code"] for r in on_agency["resources"]] == [R, "370800-SCJG-0002"]
    gaj = "11370800004212345B"
    everything = (await planner.query(DEPENDING, {"a": gaj}))["projectsDependingOn"]
    supply = (await planner.query(DEPENDING, {"s": gaj}))["projectsDependingOn"]
    assert [r["code"] for r in everything["resources"]] == ["370800-GAJ-0001", "370800-GAJ-0002"]
    assert [r["code"] for r in supply["resources"]] == ["370800-GAJ-0001"]  # 不予共享 is not supplied
    assert supply["kind"] == "SUPPLY_LIST" and [p["project"]["code"] for p in supply["projects"]] == ["PRJ-2026-001"]
    both = await planner.error(DEPENDING, {"r": R, "a": gaj})
    assert both["extensions"]["code"] == "INVALID_INPUT"


IMPACT = """query($r: String, $s: String) { impact(resource: $r, service: $s) {
  target { __typename } truncated
  counts { services derivedResources grants activeGrants scenarios darkScenarios agencies projects declaringProjects }
  services { code } derivedResources { code } grants { status }
  scenarios { scenario { code } lostGrants { status } remainingGrants dark }
  agencies { agency { code } scenarios { code } projects { code } }
  projects { project { code } reasons reasonLabels resources { code } }
  declaringProjects { code } } }"""


async def test_impact_of_a_service_going_offline(planner: Api) -> None:
    hit = (await planner.query(IMPACT, {"s": S01}))["impact"]
    assert hit["target"] == {"__typename": "DataService"}
    assert hit["counts"] == {"services": 0, "derivedResources": 0, "grants": 1, "activeGrants": 1, "scenarios": 1,
                             "darkScenarios": 1, "agencies": 1, "projects": 1, "declaringProjects": 0}
    assert hit["scenarios"] == [{"scenario": {"code": "SC-370800-0001"}, "lostGrants": [{"status": "ACTIVE"}],
                                 "remainingGrants": 0, "dark": True}]
    # PRJ-2026-002's owner holds the grant; PRJ-2024-004 still has S02 to use.
    assert hit["projects"] == [{"project": {"code": "PRJ-2026-002"}, "reasons": ["HOLDS_GRANT"],
                                "reasonLabels": ["建设单位持有该服务的授权"], "resources": [{"code": R}]}]
    assert hit["agencies"] == [{"agency": {"code": SWJ}, "scenarios": [{"code": "SC-370800-0001"}],
                                "projects": [{"code": "PRJ-2026-002"}]}]


async def test_impact_of_a_resource_going_offline_reaches_derived_data(planner: Api) -> None:
    hit = (await planner.query(IMPACT, {"r": R}))["impact"]
    assert sorted(s["code"] for s in hit["services"]) == ["370800-DSJ-0001-S01", S01, "370800-SCJG-0001-S02"]
    assert hit["derivedResources"] == [{"code": "370800-DSJ-0001"}]
    assert [p["project"]["code"] for p in hit["projects"]] == ["PRJ-2024-004", "PRJ-2026-002"]
    assert all(p["reasons"] == ["DEPENDS_ON_RESOURCE"] for p in hit["projects"])
    assert [a["agency"]["code"] for a in hit["agencies"]] == sorted([DSJ, SWJ])
    assert [p["code"] for p in hit["declaringProjects"]] == ["PRJ-2025-003", "PRJ-2026-001"]
    assert hit["truncated"] is False
    neither = await planner.error(IMPACT, {})
    assert neither["extensions"]["code"] == "INVALID_INPUT"


ACCEPTANCE = """query($code: String!, $asOf: String) { projectAcceptance(code: $code, asOf: $asOf) {
  asOf verdict verdictLabel project { code stage }
  entries { resource { code } passed catalogued aggregated publishedServices { code } openQualityIssues
            lastUpdated updateDue updatedOnCycle checks { check status messageZh messageEn } }
  reasons { code resource { code } messageZh messageEn } } }"""


async def test_r12_a_project_that_delivered_its_supply_list_passes_acceptance(planner: Api) -> None:
    result = (await planner.query(ACCEPTANCE, {"code": "PRJ-2025-003", "asOf": "2025-06-02"}))["projectAcceptance"]
    assert result["verdict"] == "ACCEPTABLE" and result["verdictLabel"] == "符合验收数据条件"
    (entry,) = result["entries"]
    assert entry["passed"] and entry["catalogued"] and entry["aggregated"] and entry["updatedOnCycle"]
    assert [s["code"] for s in entry["publishedServices"]] == [S01, "370800-SCJG-0001-S02"]
    assert entry["openQualityIssues"] == 0  # QI-1 is verified
    assert (entry["lastUpdated"], entry["updateDue"]) == ("2025-06-01", "2025-06-02")
    assert result["reasons"] == []


async def test_r12_late_updates_missing_services_and_open_issues_are_the_reasons(planner: Api) -> None:
    late = (await planner.query(ACCEPTANCE, {"code": "PRJ-2025-003", "asOf": "2025-06-10"}))["projectAcceptance"]
    assert late["verdict"] == "NOT_ACCEPTABLE"
    assert [r["code"] for r in late["reasons"]] == ["UPDATE_OVERDUE"]
    assert "已逾期 8 天" in late["reasons"][0]["messageZh"] and "8 day(s) late" in late["reasons"][0]["messageEn"]
    first = (await planner.query(ACCEPTANCE, {"code": "PRJ-2026-001", "asOf": "2025-06-02"}))["projectAcceptance"]
    problems = {(r["code"], r["resource"]["code"]) for r in first["reasons"]}
    assert problems == {("NOT_CATALOGUED", "370800-SCJG-0002"), ("NO_PUBLISHED_SERVICE", "370800-SCJG-0002"),
                        ("UPDATE_OVERDUE", "370800-SCJG-0002")}
    issue = (await planner.query(ACCEPTANCE, {"code": "PRJ-2024-004", "asOf": "2025-06-02"}))["projectAcceptance"]
    assert "OPEN_QUALITY_ISSUES" in {r["code"] for r in issue["reasons"]}
    bad_day = await planner.error(ACCEPTANCE, {"code": "PRJ-2025-003", "asOf": "2025-13-01"})
    assert bad_day["extensions"]["code"] == "INVALID_INPUT"
    missing = await planner.error(ACCEPTANCE, {"code": "PRJ-NOPE"})
    assert missing["extensions"]["code"] == "NOT_FOUND"


async def test_r12_projects_at_risk_are_those_building_or_in_acceptance_that_would_fail(planner: Api) -> None:
    query = """query($level: Level, $first: Int, $after: String) {
      projectsAtRisk(level: $level, asOf: "2025-06-02", first: $first, after: $after) {
        asOf checkedCount totalCount pageInfo { hasNextPage endCursor }
        projects { project { code stage } verdict reasons { code } } } }"""
    risky = (await planner.query(query, {}))["projectsAtRisk"]
    assert risky["checkedCount"] == 3 and risky["totalCount"] == 2
    assert [p["project"]["code"] for p in risky["projects"]] == ["PRJ-2024-004", "PRJ-2026-002"]  # acceptance first
    assert all(p["verdict"] == "NOT_ACCEPTABLE" for p in risky["projects"])
    page = (await planner.query(query, {"first": 1}))["projectsAtRisk"]
    assert page["pageInfo"]["hasNextPage"]
    rest = (await planner.query(query, {"first": 1, "after": page["pageInfo"]["endCursor"]}))["projectsAtRisk"]
    assert [p["project"]["code"] for p in rest["projects"]] == ["PRJ-2026-002"]
    county = (await planner.query(query, {"level": "COUNTY"}))["projectsAtRisk"]
    assert county["totalCount"] == 0 and county["checkedCount"] == 0
