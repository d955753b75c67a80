"""The orientation table and the acceptance rules, as pure functions (血缘方向与验收规则)."""

from __future__ import annotations

from datetime import date

from graph.model import Direction, Edge, Label, Node, NodeRef, Rel, Step
from sharing.acceptance import Check, CheckStatus, Problem, SupplyFacts, Verdict, judge
from sharing.lineage import ASSOCIATIONS, ORIENTATION, Flow, lineage_rels, steps, upstream_end


def test_downstream_of_a_resource_are_its_services_derivatives_and_dependent_projects() -> None:
    down = {s for s in steps(Flow.DOWNSTREAM, lineage_rels(Label.RESOURCE)) if s.label is Label.RESOURCE}
    assert down == {
        Step(Label.RESOURCE, Rel.MOUNTED_ON, Direction.IN),
        Step(Label.RESOURCE, Rel.DERIVED_FROM, Direction.IN),
        Step(Label.RESOURCE, Rel.DEPENDS_ON, Direction.IN),
        Step(Label.RESOURCE, Rel.REQUESTS, Direction.IN),
    }


def test_upstream_of_a_resource_are_its_sources_provider_and_the_projects_supplying_it() -> None:
    up = {s for s in steps(Flow.UPSTREAM, lineage_rels(Label.RESOURCE)) if s.label is Label.RESOURCE}
    assert up == {
        Step(Label.RESOURCE, Rel.PROVIDED_BY, Direction.OUT),
        Step(Label.RESOURCE, Rel.DERIVED_FROM, Direction.OUT),
        Step(Label.RESOURCE, Rel.DECLARES, Direction.IN),
        Step(Label.RESOURCE, Rel.SUPPLIES, Direction.IN),
    }


def test_a_grant_leads_downstream_to_its_scenario_and_upstream_to_its_service() -> None:
    rels = lineage_rels(Label.GRANT)
    assert {s for s in steps(Flow.DOWNSTREAM, rels) if s.label is Label.GRANT} == {
        Step(Label.GRANT, Rel.FOR_SCENARIO, Direction.OUT)
    }
    assert {s for s in steps(Flow.UPSTREAM, rels) if s.label is Label.GRANT} == {
        Step(Label.GRANT, Rel.GRANTS_ACCESS_TO, Direction.OUT)
    }


def test_every_row_reverses_into_the_other_direction() -> None:
    for row in ORIENTATION:
        down = steps(Flow.DOWNSTREAM, [row.rel])
        up = steps(Flow.UPSTREAM, [row.rel])
        for step in down:
            assert any(u.direction is not step.direction for u in up), row


def test_field_lineage_reaches_grants_by_the_fields_they_cover_not_by_their_service() -> None:
    rels = lineage_rels(Label.FIELD)
    assert Rel.COVERS_FIELD in rels and Rel.EXPOSES in rels and Rel.HAS_FIELD in rels
    assert Rel.GRANTS_ACCESS_TO not in rels and Rel.MOUNTED_ON not in rels
    assert Rel.HAS_FIELD not in lineage_rels(Label.RESOURCE)  # entity lineage skips fields


def test_associations_are_followed_both_ways_only_when_asked() -> None:
    for rel in ASSOCIATIONS:
        assert rel not in lineage_rels(Label.RESOURCE)
        assert {s.direction for s in steps(Flow.UPSTREAM, [rel])} == {Direction.OUT, Direction.IN}


def test_the_upstream_end_of_an_edge_is_where_the_data_comes_from() -> None:
    service, resource = NodeRef(Label.SERVICE, "S"), NodeRef(Label.RESOURCE, "R")
    grant, scenario = NodeRef(Label.GRANT, "G"), NodeRef(Label.SCENARIO, "C")
    assert upstream_end(Edge(Rel.MOUNTED_ON, service, resource)) == resource
    assert upstream_end(Edge(Rel.FOR_SCENARIO, grant, scenario)) == grant
    assert upstream_end(Edge(Rel.PROVIDED_BY, resource, NodeRef(Label.AGENCY, "A"))) == NodeRef(Label.AGENCY, "A")


# --------------------------------------------------------------------------- R12 acceptance


def resource(**props: object) -> Node:
    base: dict[str, object] = {"name": "企业登记信息", "sharingType": "CONDITIONAL", "aggregated": True,
                               "updateCycle": "MONTHLY", "publishedAt": "2026-01-10"}
    base.update(props)
    return Node(Label.RESOURCE, "R-1", base)  # type: ignore[arg-type]


def service(status: str) -> Node:
    return Node(Label.SERVICE, f"R-1-{status}", {"status": status})


PROJECT = Node(Label.PROJECT, "XM-1", {"name": "项目", "stage": "ACCEPTANCE"})
DAY = date(2026, 2, 1)


def test_r12_a_project_that_delivered_its_supply_list_is_acceptable() -> None:
    result = judge(PROJECT, [SupplyFacts(resource(), 6, [service("PUBLISHED")], [])], DAY)
    assert result.verdict is Verdict.ACCEPTABLE and result.reasons == []
    assert all(c.status is CheckStatus.PASSED for c in result.entries[0].checks)


def test_r12_a_project_without_a_supply_list_is_not_acceptable() -> None:
    result = judge(PROJECT, [], DAY)
    assert result.verdict is Verdict.NOT_ACCEPTABLE
    assert [r.problem for r in result.reasons] == [Problem.NO_SUPPLY_LIST]


def test_r12_no_data_bad_quality_or_late_updates_mean_no_acceptance() -> None:
    facts = SupplyFacts(
        resource(aggregated=False, notAggregatedReason="系统改造中", publishedAt="2025-11-01"),
        6, [service("OFFLINE")], [Node(Label.QUALITY_ISSUE, "Q1", {"status": "REPORTED"})],
    )
    result = judge(PROJECT, [facts], DAY)
    assert [r.problem for r in result.reasons] == [
        Problem.NOT_AGGREGATED, Problem.NO_PUBLISHED_SERVICE, Problem.OPEN_QUALITY_ISSUES, Problem.UPDATE_OVERDUE,
    ]
    assert "系统改造中" in result.reasons[0].zh and "R-1" in result.reasons[0].en
    late = result.reasons[-1]
    assert "2025-12-02" in late.zh and "61 天" in late.zh and "61 day(s) late" in late.en


def test_r12_an_entry_not_published_in_the_catalog_is_not_catalogued() -> None:
    result = judge(PROJECT, [SupplyFacts(resource(publishedAt=None), 0, [service("PUBLISHED")], [])], DAY)
    (entry,) = result.entries
    assert entry.status(Check.CATALOGUED) is CheckStatus.FAILED
    assert entry.status(Check.UPDATED_ON_CYCLE) is CheckStatus.FAILED  # nothing to date it by
    assert Problem.NOT_CATALOGUED in {r.problem for r in result.reasons}


def test_updated_at_counts_before_published_at_and_irregular_is_never_late() -> None:
    fresh = judge(PROJECT, [SupplyFacts(resource(publishedAt="2020-01-01", updatedAt="2026-01-20"), 6,
                                        [service("CHANGED")], [])], DAY)
    assert fresh.verdict is Verdict.ACCEPTABLE  # CHANGED is a published service, changed since
    irregular = judge(PROJECT, [SupplyFacts(resource(updateCycle="IRREGULAR", publishedAt="2020-01-01"), 6,
                                            [service("PUBLISHED")], [])], DAY)
    assert irregular.entries[0].status(Check.UPDATED_ON_CYCLE) is CheckStatus.NOT_APPLICABLE
    assert irregular.verdict is Verdict.ACCEPTABLE


def test_a_not_shared_entry_needs_no_service() -> None:
    facts = SupplyFacts(resource(sharingType="NOT_SHARED"), 6, [], [])
    result = judge(PROJECT, [facts], DAY)
    assert result.entries[0].status(Check.SERVICE_PUBLISHED) is CheckStatus.NOT_APPLICABLE
    assert result.verdict is Verdict.ACCEPTABLE
