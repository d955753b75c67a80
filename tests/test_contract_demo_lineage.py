"""The planner's questions of issue 6, asked of the demo catalog on every backend (示例目录的规划问题)."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import date

import pytest

from app.backends import Backends
from graph.model import Label
from interchange.demo import DEMO_AS_OF, build_demo_catalog
from interchange.load import load_document
from interchange.origins import Origins
from resolvers import lineage as ask
from sharing.acceptance import Problem, Verdict, assess
from sharing.identity import Actor, Role
from sharing.impact import TargetKind
from sharing.lineage import Flow

R = "370800-SCJG-0001"  # 企业登记信息
S01 = "370800-SCJG-0001-S01"  # its query interface


@pytest.fixture
async def demo(backends: Backends) -> AsyncIterator[Backends]:
    await load_document(build_demo_catalog(), Origins(), "demo", backends.writer)
    yield backends


async def test_planner_questions_on_the_demo_catalog(demo: Backends) -> None:
    store = demo.store
    # Which projects depend on the market-regulation bureau's supply list?
    depending = await ask.projects_depending_on(store, None, None, "济宁市市场监督管理局", True)
    assert depending.kind is TargetKind.SUPPLY_LIST
    users = {p.project.key for p in depending.projects if any(r.key == R for r in p.direct)}
    assert len(users) == 20  # the demo's 20 projects using 企业登记信息
    assert all(r.get("providerCode") == depending.target.key for r in depending.resources)

    # What breaks if its interface service goes offline?
    hit = await ask.impact(store, None, S01, Actor(Role.PLANNER, agency_code="any", person="周规划"))
    assert len(hit.grants) == 20 and 0 < len(hit.scenarios) <= len(hit.active_grants)
    assert hit.agencies and all(s.lost for s in hit.scenarios)

    # Does a project in acceptance pass, and why not?
    verdict = await ask.project_acceptance(store, "XM-370800-2023-003", "2026-12-04")
    assert verdict.verdict is Verdict.NOT_ACCEPTABLE and verdict.reasons
    assert all(r.zh and r.en for r in verdict.reasons)
    risky, checked, day = await ask.projects_at_risk(store, None, None, "2026-12-04")
    assert day == date(2026, 12, 4) and 0 < len(risky) <= checked


async def test_the_demo_has_acceptable_and_unacceptable_projects(demo: Backends) -> None:
    projects = (await demo.store.find_nodes(Label.PROJECT, limit=1000)).nodes
    judged = await assess(demo.store, projects, DEMO_AS_OF)
    verdicts = Counter(a.verdict for a in judged)
    problems = Counter(r.problem for a in judged for r in a.reasons)
    assert verdicts[Verdict.ACCEPTABLE] and verdicts[Verdict.NOT_ACCEPTABLE]
    # Not every refusal is a late update: the demo's verdicts have varied reasons.
    assert problems[Problem.UPDATE_OVERDUE] and len(problems) > 1


async def test_a_depth_five_lineage_is_bounded_by_the_node_cap(demo: Backends) -> None:
    planner = Actor(Role.PLANNER, agency_code="any", person="周规划")
    capped = await ask.lineage(demo.store, R, Flow.BOTH, 5, None, 100, viewer=planner)
    assert len(capped.nodes) == 100 and capped.truncated_by_size
    assert capped.root.node.label is Label.RESOURCE
    full = await ask.lineage(demo.store, R, Flow.BOTH, 5, None, 1000, viewer=planner)
    assert 100 < len(full.nodes) < 1000 and full.truncated_by_depth
    ids = {n.node.ref for n in full.nodes}
    assert all(e.upstream in ids and e.downstream in ids for e in full.edges)
    assert all(n.path[0] == full.root.node.ref and n.path[-1] == n.node.ref for n in full.nodes)
    assert all(len(n.path) == n.hop + 1 for n in full.nodes)
