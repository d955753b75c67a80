"""The graph store contract: every backend gives the same answers (图存储契约)."""

from __future__ import annotations

import asyncio

import pytest

from app.backends import Backends
from graph.errors import AlreadyExists, IntegrityError
from graph.model import ChangeSet, Direction, Edge, Label, Node, NodeRef, PropValue, Rel


def agency(code: str, **props: PropValue) -> Node:
    return Node(Label.AGENCY, code, {"code": code, "name": f"机构{code}", "level": "CITY", **props})


def resource(code: str, provider: str, **props: PropValue) -> Node:
    return Node(Label.RESOURCE, code, {"code": code, "name": f"资源{code}",
                                       "providerCode": provider, "sharingType": "CONDITIONAL",
                                       "aggregated": True, **props})


def field(res: str, name: str, position: int) -> Node:
    return Node(Label.FIELD, f"{res}#{name}", {"name": name, "resourceCode": res,
                                                "position": position})


async def seed(b: Backends) -> None:
    cs = ChangeSet(upserts=[agency("A1"), agency("A2", level="COUNTY"),
                            resource("R1", "A1"), resource("R2", "A1"),
                            resource("R3", "A2", sharingType="UNCONDITIONAL"),
                            field("R1", "统一社会信用代码", 0), field("R1", "企业名称", 1),
                            field("R1", "住所", 2)])
    for r, a in (("R1", "A1"), ("R2", "A1"), ("R3", "A2")):
        cs.set_edges(NodeRef(Label.RESOURCE, r), Rel.PROVIDED_BY, [NodeRef(Label.AGENCY, a)])
    cs.set_edges(NodeRef(Label.RESOURCE, "R1"), Rel.HAS_FIELD,
                 [NodeRef(Label.FIELD, f"R1#{n}") for n in ("住所", "统一社会信用代码", "企业名称")])
    cs.set_edges(NodeRef(Label.RESOURCE, "R3"), Rel.DERIVED_FROM, [NodeRef(Label.RESOURCE, "R1")])
    await b.store.write(cs)


async def test_nodes_come_back_in_the_order_asked_with_none_for_missing(backends: Backends) -> None:
    await seed(backends)
    got = await backends.store.get_nodes(Label.RESOURCE, ["R3", "missing", "R1"])
    assert [n.key if n else None for n in got] == ["R3", None, "R1"]
    assert got[0] is not None and got[0].get("sharingType") == "UNCONDITIONAL"
    assert got[2] is not None and got[2].get("aggregated") is True


async def test_neighbors_are_batched_and_ordered_by_position(backends: Backends) -> None:
    await seed(backends)
    fields, none = await backends.store.neighbors(
        Label.RESOURCE, ["R1", "R2"], Rel.HAS_FIELD, Direction.OUT
    )
    assert [f.get("name") for f in fields] == ["统一社会信用代码", "企业名称", "住所"]
    assert none == []
    (provided,) = await backends.store.neighbors(
        Label.AGENCY, ["A1"], Rel.PROVIDED_BY, Direction.IN
    )
    assert sorted(n.key for n in provided) == ["R1", "R2"]


async def test_neighbor_counts_equal_the_neighbors(backends: Backends) -> None:
    await seed(backends)
    store = backends.store
    loop = ChangeSet()
    loop.set_edges(NodeRef(Label.RESOURCE, "R2"), Rel.DERIVED_FROM, [NodeRef(Label.RESOURCE, "R2")])
    await store.write(loop)
    asks = [
        (Label.RESOURCE, ["R1", "R2", "R1", "none"], Rel.HAS_FIELD, Direction.OUT),
        (Label.AGENCY, ["A2", "A1"], Rel.PROVIDED_BY, Direction.IN),
        (Label.RESOURCE, ["R1", "R2", "R3"], Rel.DERIVED_FROM, Direction.BOTH),
    ]
    for label, keys, rel, way in asks:
        counts = await store.count_neighbors(label, keys, rel, way)
        assert counts == [len(found) for found in await store.neighbors(label, keys, rel, way)]
    assert await store.count_neighbors(Label.RESOURCE, ["R1", "R2", "none"], Rel.HAS_FIELD,
                                       Direction.OUT) == [3, 0, 0]
    assert await store.count_neighbors(Label.RESOURCE, ["R2"], Rel.DERIVED_FROM, Direction.BOTH) == [2]


async def test_find_filters_pages_and_counts(backends: Backends) -> None:
    await seed(backends)
    store = backends.store
    page = await store.find_nodes(Label.RESOURCE, {"providerCode": "A1"}, limit=1)
    assert [n.key for n in page.nodes] == ["R1"] and page.has_next
    page = await store.find_nodes(Label.RESOURCE, {"providerCode": "A1"}, after="R1", limit=1)
    assert [n.key for n in page.nodes] == ["R2"] and not page.has_next
    assert await store.count_nodes(Label.RESOURCE, {"sharingType": ["UNCONDITIONAL"]}) == 1
    assert await store.count_nodes(Label.RESOURCE, {"aggregated": True}) == 3
    assert await store.count_nodes(Label.RESOURCE) == 3
    # an empty list matches nothing, also beside a filter on an indexed property
    nothing = {"providerCode": ["A1"], "sharingType": [], "category": "x"}
    assert (await store.find_nodes(Label.RESOURCE, nothing)).nodes == []
    assert await store.count_nodes(Label.RESOURCE, {"providerCode": "A1", "sharingType": []}) == 0


async def test_a_failed_write_leaves_the_store_as_it_was(backends: Backends) -> None:
    await seed(backends)
    before = await backends.store.count_nodes(Label.RESOURCE)
    bad = ChangeSet(upserts=[resource("R9", "A1")])
    bad.set_edges(NodeRef(Label.RESOURCE, "R9"), Rel.PROVIDED_BY, [NodeRef(Label.AGENCY, "NOPE")])
    with pytest.raises(IntegrityError):
        await backends.store.write(bad)
    assert await backends.store.count_nodes(Label.RESOURCE) == before
    assert (await backends.store.get_nodes(Label.RESOURCE, ["R9"])) == [None]


def _creating(node: Node, *also: Node) -> ChangeSet:
    return ChangeSet(upserts=[node, *also], new={node.ref})


async def test_a_create_if_absent_write_fails_whole_when_the_node_exists(backends: Backends) -> None:
    await seed(backends)
    store = backends.store
    await store.write(_creating(resource("R9", "A1", name="first")))
    with pytest.raises(AlreadyExists) as raised:
        await store.write(_creating(resource("R9", "A1", name="second"), agency("A9")))
    assert raised.value.refs == ["DataResource:R9"]
    (kept,) = await store.get_nodes(Label.RESOURCE, ["R9"])
    assert kept is not None and kept.get("name") == "first"
    assert await store.get_nodes(Label.AGENCY, ["A9"]) == [None]
    # an upsert of an existing node (not marked new) still replaces it
    await store.write(ChangeSet(upserts=[resource("R9", "A1", name="third")]))
    (kept,) = await store.get_nodes(Label.RESOURCE, ["R9"])
    assert kept is not None and kept.get("name") == "third"


async def test_of_two_concurrent_creates_of_one_node_exactly_one_wins(backends: Backends) -> None:
    await seed(backends)
    store = backends.store
    names = [f"writer{i}" for i in range(4)]
    outcomes = await asyncio.gather(
        *(store.write(_creating(resource("R8", "A1", name=n))) for n in names), return_exceptions=True
    )
    won = [n for n, o in zip(names, outcomes, strict=True) if o is None]
    lost = [o for o in outcomes if o is not None]
    assert len(won) == 1 and len(lost) == 3
    assert all(isinstance(o, AlreadyExists) for o in lost), lost
    (kept,) = await store.get_nodes(Label.RESOURCE, ["R8"])
    assert kept is not None and kept.get("name") == won[0]


async def test_set_edges_replaces_and_delete_detaches(backends: Backends) -> None:
    await seed(backends)
    store = backends.store
    cs = ChangeSet()
    cs.set_edges(NodeRef(Label.RESOURCE, "R1"), Rel.HAS_FIELD, [NodeRef(Label.FIELD, "R1#住所")])
    await store.write(cs)
    (fields,) = await store.neighbors(Label.RESOURCE, ["R1"], Rel.HAS_FIELD, Direction.OUT)
    assert [f.key for f in fields] == ["R1#住所"]
    await store.write(ChangeSet(deletes=[NodeRef(Label.AGENCY, "A2")]))
    (gone,) = await store.neighbors(Label.RESOURCE, ["R3"], Rel.PROVIDED_BY, Direction.OUT)
    assert gone == []


async def test_edges_from_keep_their_properties(backends: Backends) -> None:
    await seed(backends)
    src = NodeRef(Label.RESOURCE, "R2")
    cs = ChangeSet()
    cs.edges[(src, Rel.RELATED_TO)] = [
        Edge(Rel.RELATED_TO, src, NodeRef(Label.RESOURCE, "R3"), {"position": 0}),
        Edge(Rel.RELATED_TO, src, NodeRef(Label.RESOURCE, "R1"), {"position": 1}),
    ]
    await backends.store.write(cs)
    edges = await backends.store.edges_from(Label.RESOURCE, ["R2"], Rel.RELATED_TO)
    assert sorted((e.dst.key, e.props.get("position")) for e in edges) == [("R1", 1), ("R3", 0)]


async def test_walk_is_bounded_by_depth_and_size(backends: Backends) -> None:
    await seed(backends)
    store = backends.store
    start = NodeRef(Label.RESOURCE, "R3")
    walk = await store.walk(start, [Rel.DERIVED_FROM, Rel.PROVIDED_BY], Direction.OUT, 2, 100)
    hops = {ref.key: hop for ref, (_, hop) in walk.nodes.items()}
    assert hops == {"R3": 0, "R1": 1, "A2": 1, "A1": 2}
    assert not walk.truncated
    small = await store.walk(start, [Rel.DERIVED_FROM, Rel.PROVIDED_BY], Direction.OUT, 2, 2)
    assert len(small.nodes) == 2 and small.truncated


async def test_clear_empties_everything(backends: Backends) -> None:
    await seed(backends)
    await backends.store.clear()
    assert await backends.store.count_nodes(Label.RESOURCE) == 0
    assert await backends.store.count_nodes(Label.AGENCY) == 0
