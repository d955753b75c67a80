"""Which grants an agency's people see (授权可见范围), end to end with real tokens, on every backend.

The sample catalog has two grants: 企业开办“一件事” (a 税务局 scenario) on 市场监管局's enterprise
registry, and 社会救助对象核查 (a 大数据局 scenario) on 公安局's population service. Staff and chief
representatives see the grants their agency consumes or provides, in every list, lookup and
lineage; the bureau and planners see all (tests/test_contract_api_roles.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from app.backends import open_backends
from app.config import Settings
from graph.model import ChangeSet, Label, Node, NodeRef, Rel
from interchange.graph_mapping import grant_key
from sharing.identity import Role
from tests.api import Api
from tests.identities import issue
from tests.sample_catalog import GAJ, SCJG, SWJ

ONE_STOP = grant_key("SC-370800-0001", "370800-SCJG-0001-S01")  # 税务局 uses 市场监管局's data
RELIEF = grant_key("SC-370800-0002", "370800-GAJ-0001-S01")  # 大数据局 uses 公安局's data

GRANTS = """query($first: Int, $after: String) { grants(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id scenario { code } service { code } } } } }"""
NESTED = """{ service(code: "370800-SCJG-0001-S01") { grants { scenario { code } } }
  scenarios(agency: "11370800004312345C") { edges { node { grants { service { code } } } } } }"""
FIELD_LINEAGE = '{ fieldLineage(resource: "370800-SCJG-0001", field: "企业名称") { grants { grant { id } } } }'
IMPACT = '{ impact(service: "370800-SCJG-0001-S01") { counts { grants } } }'
LINEAGE = '{ lineage(id: "370800-SCJG-0001", depth: 3) { nodes { kind code } } }'
NODE = "query($id: ID!) { node(id: $id) { id } }"


async def as_(api: Api, settings: Settings, agency: str, role: Role = Role.AGENCY_STAFF) -> Api:
    return api.as_bearer(await issue(settings, agency=agency, role=role, person="王测试"))


def scenario_codes(page: dict[str, Any]) -> list[str]:
    return [e["node"]["scenario"]["code"] for e in page["edges"]]


@pytest.mark.parametrize("role", [Role.AGENCY_STAFF, Role.CHIEF_REPRESENTATIVE])
@pytest.mark.parametrize(
    ("agency", "sees"),
    [(SCJG, ["SC-370800-0001"]), (SWJ, ["SC-370800-0001"]), (GAJ, ["SC-370800-0002"])],
    ids=["provider", "consumer", "other-grant's-provider"],
)
async def test_an_agencys_people_see_the_grants_it_is_a_party_to(
    api: Api, sample_settings: Settings, role: Role, agency: str, sees: list[str]
) -> None:
    caller = await as_(api, sample_settings, agency, role)
    page = (await caller.query(GRANTS))["grants"]
    assert scenario_codes(page) == sees and page["totalCount"] == len(sees)
    party = agency in (SCJG, SWJ)  # to the one-stop grant on 市场监管局's S01
    nested = await caller.query(NESTED)
    assert nested["service"]["grants"] == ([{"scenario": {"code": "SC-370800-0001"}}] if party else [])
    [one_stop_scenario] = nested["scenarios"]["edges"]
    assert one_stop_scenario["node"]["grants"] == ([{"service": {"code": "370800-SCJG-0001-S01"}}] if party else [])
    traced = (await caller.query(FIELD_LINEAGE))["fieldLineage"]["grants"]
    assert len(traced) == (1 if party else 0)
    kinds = {n["kind"] for n in (await caller.query(LINEAGE))["lineage"]["nodes"]}
    assert ("GRANT" in kinds) == party
    one_stop = (await (await as_(api, sample_settings, SCJG)).query(GRANTS))["grants"]["edges"][0]["node"]["id"]
    if party:
        assert (await caller.query(NODE, {"id": one_stop}))["node"] == {"id": one_stop}
    else:
        for query in (NODE, 'query($id: ID!) { lineage(id: $id) { nodeCount } }'):
            error = await caller.error(query, {"id": one_stop})
            assert error["extensions"]["code"] == "FORBIDDEN"
            assert error["extensions"]["requiredRoles"] == ["BUREAU_ADMIN", "PLANNER"]


async def test_only_the_provider_assesses_an_outage(api: Api, sample_settings: Settings) -> None:
    provider = await as_(api, sample_settings, SCJG, Role.CHIEF_REPRESENTATIVE)
    assert (await provider.query(IMPACT))["impact"]["counts"]["grants"] == 1
    for agency in (SWJ, GAJ):
        error = await (await as_(api, sample_settings, agency)).error(IMPACT)
        assert error["extensions"]["code"] == "FORBIDDEN", error


def _grant(scenario: str, service: str, resource: str) -> Node:
    return Node(Label.GRANT, grant_key(scenario, service),
                {"scenarioCode": scenario, "serviceCode": service, "resourceCode": resource,
                 "fields": [], "status": "ACTIVE"})


async def test_the_grants_page_of_a_consumer_and_provider_is_one_ordered_list(
    api: Api, sample_settings: Settings
) -> None:
    # 公安局 also consumes: a scenario of its own using 市场监管局's S01 and its own service
    scenario = Node(Label.SCENARIO, "SC-370800-0900", {"code": "SC-370800-0900", "name": "户籍业务核验",
                                                        "agencyCode": GAJ, "description": None})
    mine = [_grant("SC-370800-0900", "370800-SCJG-0001-S01", "370800-SCJG-0001"),
            _grant("SC-370800-0900", "370800-GAJ-0001-S01", "370800-GAJ-0001")]
    changes = ChangeSet(upserts=[scenario, *mine])
    changes.set_edges(scenario.ref, Rel.OWNED_BY, [NodeRef(Label.AGENCY, GAJ)])
    for g in mine:
        changes.set_edges(g.ref, Rel.FOR_SCENARIO, [scenario.ref])
        changes.set_edges(g.ref, Rel.GRANTS_ACCESS_TO, [NodeRef(Label.SERVICE, str(g.get("serviceCode")))])
    async with open_backends(sample_settings) as b:
        await b.writer.apply(changes)
    caller = await as_(api, sample_settings, GAJ)
    expected = sorted([RELIEF, *(g.key for g in mine)])  # as provider, as consumer, as both
    seen: list[str] = []
    after: str | None = None
    while True:
        page = (await caller.query(GRANTS, {"first": 2, "after": after}))["grants"]
        assert page["totalCount"] == 3
        seen += [f'{e["node"]["scenario"]["code"]}|{e["node"]["service"]["code"]}' for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == expected
    assert ONE_STOP not in seen
