"""`GraphStore.trace`, the walk lineage is built on: the same answers on every backend (血缘遍历契约).

A small catalog: agency A1 provides R1 and R2; R3 (of A2) derives from R1; service S1 is
mounted on R1, grant G1 on S1 is for scenario C1 of agency A2; project P1 depends on R1.
"""

from __future__ import annotations

from app.backends import Backends
from graph.model import ChangeSet, Direction, Label, Node, NodeRef, Rel, Step

A1, A2 = NodeRef(Label.AGENCY, "A1"), NodeRef(Label.AGENCY, "A2")
R1, R2, R3 = (NodeRef(Label.RESOURCE, k) for k in ("R1", "R2", "R3"))
S1, G1 = NodeRef(Label.SERVICE, "S1"), NodeRef(Label.GRANT, "G1")
C1, P1 = NodeRef(Label.SCENARIO, "C1"), NodeRef(Label.PROJECT, "P1")

# Downstream, the way sharing.lineage orients it.
DOWNSTREAM = [
    Step(Label.AGENCY, Rel.PROVIDED_BY, Direction.IN),
    Step(Label.RESOURCE, Rel.DERIVED_FROM, Direction.IN),
    Step(Label.RESOURCE, Rel.MOUNTED_ON, Direction.IN),
    Step(Label.RESOURCE, Rel.DEPENDS_ON, Direction.IN),
    Step(Label.SERVICE, Rel.GRANTS_ACCESS_TO, Direction.IN),
    Step(Label.GRANT, Rel.FOR_SCENARIO, Direction.OUT),
    Step(Label.SCENARIO, Rel.OWNED_BY, Direction.OUT),
    Step(Label.PROJECT, Rel.OWNED_BY, Direction.OUT),
]


async def seed(b: Backends) -> None:
    nodes = [Node(r.label, r.key, {"name": r.key}) for r in (A1, A2, R1, R2, R3, S1, G1, C1, P1)]
    cs = ChangeSet(upserts=nodes)
    cs.set_edges(R1, Rel.PROVIDED_BY, [A1])
    cs.set_edges(R2, Rel.PROVIDED_BY, [A1])
    cs.set_edges(R3, Rel.PROVIDED_BY, [A2])
    cs.set_edges(R3, Rel.DERIVED_FROM, [R1])
    cs.set_edges(S1, Rel.MOUNTED_ON, [R1])
    cs.set_edges(G1, Rel.GRANTS_ACCESS_TO, [S1])
    cs.set_edges(G1, Rel.FOR_SCENARIO, [C1])
    cs.set_edges(C1, Rel.OWNED_BY, [A2])
    cs.set_edges(P1, Rel.OWNED_BY, [A2])
    cs.set_edges(P1, Rel.DEPENDS_ON, [R1])
    await b.store.write(cs)


def hops(walk: object) -> dict[str, int]:
    return {ref.key: hop for ref, (_, hop) in walk.nodes.items()}  # type: ignore[attr-defined]


async def test_trace_leaves_each_kind_only_by_its_own_steps(backends: Backends) -> None:
    await seed(backends)
    walk = await backends.store.trace(R1, DOWNSTREAM, 6, 100, leaves=[Label.AGENCY])
    # Not R1 -> A1 (PROVIDED_BY is followed IN, from agencies only), and A2 is not left
    # for R3 (reached through the scenario and the project, a leaf).
    assert hops(walk) == {"R1": 0, "R3": 1, "S1": 1, "P1": 1, "G1": 2, "A2": 2, "C1": 3}
    assert list(walk.nodes)[:4] == [R1, R3, S1, P1]  # steps in the order given
    assert not walk.truncated and not walk.depth_cut
    assert {(e.type, e.src.key, e.dst.key) for e in walk.edges} == {
        (Rel.DERIVED_FROM, "R3", "R1"), (Rel.MOUNTED_ON, "S1", "R1"), (Rel.DEPENDS_ON, "P1", "R1"),
        (Rel.GRANTS_ACCESS_TO, "G1", "S1"), (Rel.OWNED_BY, "P1", "A2"), (Rel.FOR_SCENARIO, "G1", "C1"),
        (Rel.OWNED_BY, "C1", "A2"),
    }


async def test_an_agency_is_left_only_when_it_is_the_start(backends: Backends) -> None:
    await seed(backends)
    walk = await backends.store.trace(A1, DOWNSTREAM, 2, 100, leaves=[Label.AGENCY])
    assert hops(walk) == {"A1": 0, "R1": 1, "R2": 1, "R3": 2, "S1": 2, "P1": 2}
    leaf = await backends.store.trace(A2, DOWNSTREAM, 3, 100, leaves=[Label.AGENCY])
    assert hops(leaf) == {"A2": 0, "R3": 1}


async def test_the_probe_says_where_the_depth_cut_the_walk(backends: Backends) -> None:
    await seed(backends)
    walk = await backends.store.trace(R1, DOWNSTREAM, 1, 100, leaves=[Label.AGENCY])
    assert hops(walk) == {"R1": 0, "R3": 1, "S1": 1, "P1": 1}
    assert walk.depth_cut and not walk.truncated
    assert walk.cut == {S1, P1}  # R3 has nothing downstream
    unprobed = await backends.store.trace(R1, DOWNSTREAM, 1, 100, leaves=[Label.AGENCY], probe=False)
    assert not unprobed.depth_cut and unprobed.cut == frozenset()


async def test_the_node_limit_truncates_and_marks_the_node_cut(backends: Backends) -> None:
    await seed(backends)
    walk = await backends.store.trace(R1, DOWNSTREAM, 6, 3, leaves=[Label.AGENCY])
    assert hops(walk) == {"R1": 0, "R3": 1, "S1": 1}
    assert walk.truncated and R1 in walk.cut
    assert all(e.src in walk.nodes and e.dst in walk.nodes for e in walk.edges)


async def test_a_missing_start_gives_an_empty_walk(backends: Backends) -> None:
    await seed(backends)
    walk = await backends.store.trace(NodeRef(Label.RESOURCE, "nope"), DOWNSTREAM, 3, 10)
    assert walk.nodes == {} and walk.edges == [] and not walk.truncated
