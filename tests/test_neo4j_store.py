"""What is particular to the Neo4j store (Neo4j 图存储的特有行为).

The shared answers are checked by the contract suite; here: schema set-up, batched writes
that roll back whole, the label whitelist, null/list properties equal to the embedded
store's, and an unreachable server. Needs `CATALOG_TEST_GRAPH_URL` (skipped without it,
a failure with `CATALOG_TEST_REQUIRE_SERVERS=1`), except the unreachable-server test.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

import pytest

from graph.embedded import EmbeddedGraphStore
from graph.errors import IntegrityError, StoreUnavailable
from graph.model import ChangeSet, Direction, Edge, Label, Node, NodeRef, Rel, Walk
from graph.neo4j import cypher
from graph.neo4j_store import Neo4jGraphStore, schema_statements
from graph.store import GraphStore
from tests.backends import REQUIRE

URL = os.environ.get("CATALOG_TEST_GRAPH_URL")
DATABASE = os.environ.get("CATALOG_TEST_GRAPH_DATABASE", "neo4j")

needs_neo4j = pytest.mark.skipif(
    URL is None and not REQUIRE, reason="CATALOG_TEST_GRAPH_URL is not set"
)


def new_store(batch: int = 2000) -> Neo4jGraphStore:
    assert URL is not None, "CATALOG_TEST_GRAPH_URL is not set"
    return Neo4jGraphStore(URL, user=None, password=None, database=DATABASE, batch=batch)


@pytest.fixture
async def store() -> AsyncIterator[Neo4jGraphStore]:
    s = new_store(batch=1000)
    await s.open()
    await s.clear()
    try:
        yield s
    finally:
        await s.clear()
        await s.close()


def fields_of(res: str, n: int) -> list[Node]:
    return [Node(Label.FIELD, f"{res}#f{i:05d}", {"name": f"信息项{i}", "resourceCode": res,
                                                   "position": i}) for i in range(n)]


def bulk(prefix: str, resources: int, per_resource: int) -> ChangeSet:
    cs = ChangeSet()
    for r in range(resources):
        code = f"{prefix}{r:03d}"
        cs.upserts.append(Node(Label.RESOURCE, code, {"code": code, "name": f"资源{code}"}))
        fields = fields_of(code, per_resource)
        cs.upserts.extend(fields)
        cs.set_edges(NodeRef(Label.RESOURCE, code), Rel.HAS_FIELD, [f.ref for f in fields])
    return cs


async def test_an_unreachable_server_is_store_unavailable() -> None:
    s = Neo4jGraphStore("bolt://127.0.0.1:1", user=None, password=None)
    with pytest.raises(StoreUnavailable):
        await s.open()


@needs_neo4j
async def test_open_creates_key_constraints_and_indexes_idempotently(
    store: Neo4jGraphStore,
) -> None:
    await store.open()  # the same instance: a no-op
    again = new_store()
    await again.open()  # a new instance on an already set-up database
    await again.close()
    records = await store._query("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties", {})
    unique = {(r["labelsOrTypes"][0], tuple(r["properties"])) for r in records
              if r["type"] == "UNIQUENESS" and r["name"].startswith("catalog_")}
    assert unique == {(label.value, ("key",)) for label in Label}
    records = await store._query("SHOW INDEXES YIELD name, state, properties", {})
    indexes = {r["name"]: (r["state"], r["properties"]) for r in records}
    assert all(indexes[name][0] == "ONLINE" for name in schema_statements())
    assert indexes["catalog_Field_by_resourceCode"][1] == ["resourceCode", "key"]


@needs_neo4j
async def test_a_large_write_goes_in_batches_and_a_failing_one_rolls_back_whole(
    store: Neo4jGraphStore, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="graph.neo4j_store"):
        await store.write(bulk("R", 20, 1000))  # 20,020 nodes, 20,000 edges
    statements = [cast(tuple[Any, ...], r.args)[3] for r in caplog.records if "statements" in r.msg]
    # 1 + 20 batches of nodes, 1 of old-edge removal, 20 of new edges: 1,000 rows each
    assert statements == [42]
    assert await store.count_nodes(Label.FIELD) == 20_000
    (first,) = await store.neighbors(Label.RESOURCE, ["R000"], Rel.HAS_FIELD, Direction.OUT)
    assert [f.key for f in first[:2]] == ["R000#f00000", "R000#f00001"] and len(first) == 1000

    bad = bulk("S", 20, 1000)  # 20,020 more nodes and edges, and an existing list replaced
    bad.set_edges(NodeRef(Label.RESOURCE, "R000"), Rel.HAS_FIELD, [])
    bad.set_edges(NodeRef(Label.RESOURCE, "S019"), Rel.DERIVED_FROM,
                  [NodeRef(Label.RESOURCE, "NOPE")])
    with pytest.raises(IntegrityError, match="DataResource:NOPE"):
        await store.write(bad)
    assert await store.count_nodes(Label.FIELD) == 20_000
    assert await store.count_nodes(Label.RESOURCE) == 20
    assert await store.get_nodes(Label.RESOURCE, ["S000"]) == [None]
    (still,) = await store.neighbors(Label.RESOURCE, ["R000"], Rel.HAS_FIELD, Direction.OUT)
    assert len(still) == 1000


class _NoDriver:
    """Stands in for the driver: any query reaching it fails the test."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"a query reached the driver ({name})")


async def test_names_outside_the_whitelist_never_reach_a_query() -> None:
    s = Neo4jGraphStore("bolt://127.0.0.1:1", user=None, password=None)
    s._driver = cast(Any, _NoDriver())
    evil = cast(Label, "Agency`) DETACH DELETE n //")
    with pytest.raises(ValueError, match="not a catalog label"):
        await s.get_nodes(evil, ["A1"])
    with pytest.raises(ValueError, match="not a catalog label"):
        await s.find_nodes(cast(Label, "Nope"))
    with pytest.raises(ValueError, match="not a catalog relationship type"):
        await s.neighbors(Label.AGENCY, ["A1"], cast(Rel, "KNOWS"), Direction.OUT)
    with pytest.raises(ValueError, match="bad property name"):
        await s.count_nodes(Label.AGENCY, {"name` = 1 OR true //": "x"})
    with pytest.raises(ValueError, match="bad property name"):
        await s.count_nodes(Label.AGENCY, {"key": "A1"})
    assert cypher.label(Label.AGENCY) == "`Agency`" and cypher.rel(Rel.HAS_FIELD) == "`HAS_FIELD`"


@needs_neo4j
async def test_reserved_property_names_are_refused_before_anything_is_written(
    store: Neo4jGraphStore,
) -> None:
    with pytest.raises(ValueError, match="reserved"):
        await store.write(ChangeSet(upserts=[Node(Label.AGENCY, "A1", {"_nulls": ["x"]})]))
    assert await store.count_nodes(Label.AGENCY) == 0


def catalog() -> ChangeSet:
    """Nulls, lists, empty lists, bools, floats, edge properties and a small lineage graph."""
    agency = Node(Label.AGENCY, "A1", {"code": "A1", "name": "市大数据局", "shortName": None,
                                       "tags": ["省级", "市级"], "empty": [], "score": 1.5})
    res = [Node(Label.RESOURCE, f"R{i}", {"code": f"R{i}", "providerCode": "A1",
                                          "legalBasis": None, "aggregated": i % 2 == 0,
                                          "position": None})
           for i in range(1, 7)]
    cs = ChangeSet(upserts=[agency, *res, *fields_of("R1", 3)])
    for r in res:
        cs.set_edges(r.ref, Rel.PROVIDED_BY, [Edge(Rel.PROVIDED_BY, r.ref, agency.ref,
                                                   {"since": None, "note": "主"})])
    cs.set_edges(NodeRef(Label.RESOURCE, "R1"), Rel.HAS_FIELD,
                 [n.ref for n in reversed(fields_of("R1", 3))])
    for src, dsts in (("R2", ["R1"]), ("R3", ["R1", "R2"]), ("R4", ["R3"]), ("R5", ["R1"]),
                      ("R6", ["R6"])):
        cs.set_edges(NodeRef(Label.RESOURCE, src), Rel.DERIVED_FROM,
                     [NodeRef(Label.RESOURCE, d) for d in dsts])
    return cs


async def answers(s: GraphStore) -> list[Any]:
    r = NodeRef(Label.RESOURCE, "R1")
    a = NodeRef(Label.AGENCY, "A1")
    rels = [Rel.DERIVED_FROM, Rel.PROVIDED_BY, Rel.HAS_FIELD]
    return [
        await s.get_nodes(Label.AGENCY, ["A1", "A1", "none"]),
        await s.get_nodes(Label.RESOURCE, ["R6", "R1"]),
        await s.neighbors(Label.RESOURCE, ["R1", "R3", "R6"], Rel.DERIVED_FROM, Direction.BOTH),
        await s.neighbors(Label.RESOURCE, ["R1"], Rel.HAS_FIELD, Direction.OUT),
        await s.find_nodes(Label.RESOURCE, {"legalBasis": None, "aggregated": [True]}, limit=2),
        await s.find_nodes(Label.RESOURCE, {"providerCode": "A1"}, after="R2", limit=10),
        await s.find_nodes(Label.RESOURCE, {"providerCode": ["A9", "A1"], "aggregated": False}),
        await s.count_nodes(Label.RESOURCE, {"providerCode": "A1", "legalBasis": None}),
        await s.count_nodes(Label.AGENCY, {"shortName": None, "empty": []}),
        await s.edges_from(Label.RESOURCE, ["R3", "R1"], Rel.PROVIDED_BY),
        await s.edges_from(Label.RESOURCE, ["R3"], Rel.DERIVED_FROM),
        [b async for b in s.iter_nodes(Label.RESOURCE, batch=4)],
        *[_walked(await s.walk(start, rels, way, depth, limit))
          for start in (r, a) for way in Direction for depth in (1, 3) for limit in (3, 100)],
    ]


def _walked(w: Walk) -> tuple[Any, ...]:
    return list(w.nodes.items()), w.edges, w.truncated  # in discovery order, too


@needs_neo4j
async def test_every_read_equals_the_embedded_store(store: Neo4jGraphStore, tmp_path: Path) -> None:
    embedded = EmbeddedGraphStore(tmp_path)
    await embedded.open()
    try:
        for s in (embedded, store):
            await s.write(catalog())
        assert await answers(store) == await answers(embedded)
    finally:
        await embedded.close()
