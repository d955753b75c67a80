"""Neo4j lineage walks equal the embedded ones on the demo catalog, at every limit (Neo4j 血缘遍历).

The Neo4j walk expands hops on the server and takes nodes in on the client; wherever the
node limit falls (at the first hop, mid-hop, at the last hop, not at all) and with or
without the probe, it must give exactly the embedded store's walk. A walk the limit does not
cut is one statement; once the limit is reached, the hop after it is a second one.
Needs `CATALOG_TEST_GRAPH_URL` (skipped without it, a failure with `CATALOG_TEST_REQUIRE_SERVERS=1`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import EmbeddedGraphStore
from graph.model import Label, NodeRef, Walk
from graph.neo4j import walk as neo4j_walk
from graph.neo4j_store import Neo4jGraphStore
from graph.store import GraphStore
from interchange.demo import build_demo_catalog
from interchange.load import load_document
from interchange.origins import Origins
from search.embedded import EmbeddedSearchIndex
from sharing.catalog_writer import CatalogWriter
from sharing.lineage import LEAVES, Flow, lineage_rels, steps
from tests.test_neo4j_store import needs_neo4j, new_store

R = NodeRef(Label.RESOURCE, "370800-SCJG-0001")  # 企业登记信息: 444 nodes downstream at depth 5
ROOTS = [
    R,
    NodeRef(Label.SERVICE, "370800-SCJG-0001-S01"),
    NodeRef(Label.PROJECT, "XM-370800-2023-003"),
    NodeRef(Label.RESOURCE, "no-such-resource"),
]


async def _load(store: GraphStore, data_dir: Path) -> None:
    index = EmbeddedSearchIndex(data_dir)
    await index.open()
    try:
        await load_document(build_demo_catalog(), Origins(), "demo", CatalogWriter(store, index))
    finally:
        await index.close()


@pytest.fixture
async def stores(tmp_path: Path) -> AsyncIterator[tuple[EmbeddedGraphStore, Neo4jGraphStore]]:
    embedded = EmbeddedGraphStore(tmp_path / "embedded")
    neo4j = new_store()
    await embedded.open()
    await neo4j.open()
    await neo4j.clear()
    try:
        await _load(embedded, tmp_path / "embedded")
        await _load(neo4j, tmp_path / "neo4j")
        yield embedded, neo4j
    finally:
        await neo4j.clear()
        await neo4j.close()
        await embedded.close()


def _walked(w: Walk) -> tuple[Any, ...]:
    return list(w.nodes.items()), w.edges, w.truncated, w.cut, w.depth_cut  # in discovery order


@needs_neo4j
async def test_traces_equal_the_embedded_store_wherever_the_limit_falls(
    stores: tuple[EmbeddedGraphStore, Neo4jGraphStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded, neo4j = stores
    (resource,) = await embedded.get_nodes(R.label, [R.key])
    assert resource is not None
    provider = NodeRef(Label.AGENCY, str(resource.get("providerCode")))  # left as the root only
    roots = [*ROOTS, provider]
    second_statements = 0
    expand = neo4j_walk._expand_by_statement

    async def counted(*args: Any) -> Any:
        nonlocal second_statements
        second_statements += 1
        return await expand(*args)

    monkeypatch.setattr(neo4j_walk, "_expand_by_statement", counted)
    compared = cut_by_limit = 0
    for root in roots:
        for flow in (Flow.UPSTREAM, Flow.DOWNSTREAM):
            walk_steps = steps(flow, lineage_rels(root.label))
            for depth in (0, 2, 5):
                for limit in (1, 5, 30, 100, 1000):
                    for probe in (True, False):
                        want = await embedded.trace(root, walk_steps, depth, limit, leaves=LEAVES, probe=probe)
                        before = second_statements
                        got = await neo4j.trace(root, walk_steps, depth, limit, leaves=LEAVES, probe=probe)
                        assert _walked(got) == _walked(want), (root, flow, depth, limit, probe)
                        assert second_statements - before <= (1 if len(want.nodes) >= limit else 0)
                        compared += 1
                        cut_by_limit += want.truncated
    assert compared == len(roots) * 2 * 3 * 5 * 2
    assert cut_by_limit > 30 and second_statements > 0  # the limit fell at many places
