"""The whole graph as plain data, to show a refused call changed nothing (存储快照).

Every node of every label (but the search outbox, which drains on its own) with its
properties, and every edge, read per relationship from the labels it leaves (the table below,
from `graph.model.Rel`). Only the graph store is opened: opening the search index as well would
cost a second per look.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from app.backends import make_store
from app.config import Settings
from graph.model import Label, Rel
from graph.store import GraphStore

# The labels each relationship leaves (graph/model.py documents them beside each Rel).
SOURCES: dict[Rel, tuple[Label, ...]] = {
    Rel.PROVIDED_BY: (Label.RESOURCE,),
    Rel.SUPERVISED_BY: (Label.AGENCY,),
    Rel.HAS_FIELD: (Label.RESOURCE,),
    Rel.MOUNTED_ON: (Label.SERVICE,),
    Rel.EXPOSES: (Label.SERVICE,),
    Rel.RELATED_TO: (Label.RESOURCE,),
    Rel.DERIVED_FROM: (Label.RESOURCE,),
    Rel.OWNED_BY: (Label.SCENARIO, Label.PROJECT, Label.DEMAND),
    Rel.GRANTS_ACCESS_TO: (Label.GRANT,),
    Rel.FOR_SCENARIO: (Label.GRANT, Label.APPLICATION, Label.DEMAND),
    Rel.COVERS_FIELD: (Label.GRANT,),
    Rel.DECLARES: (Label.PROJECT,),
    Rel.DEPENDS_ON: (Label.PROJECT,),
    Rel.SUPPLIES: (Label.SUPPLY_LIST,),
    Rel.REQUESTS: (Label.DEMAND, Label.APPLICATION),
    Rel.ROUTED_TO: (Label.DEMAND,),
    Rel.APPLIES_FOR: (Label.APPLICATION,),
    Rel.ATTACHES: (Label.APPLICATION,),
    Rel.RESULTED_IN: (Label.APPLICATION,),
    Rel.CONCERNS: (Label.QUALITY_ISSUE,),
    Rel.ANSWERED_WITH: (Label.DEMAND,),
    Rel.ISSUED_TO: (Label.ACCESS_TOKEN,),
}


@asynccontextmanager
async def graph_only(settings: Settings) -> AsyncIterator[GraphStore]:
    store = make_store(settings)
    await store.open()
    try:
        yield store
    finally:
        await store.close()


async def snapshot(settings: Settings) -> dict[str, Any]:
    """Every node and every edge of the graph."""
    async with graph_only(settings) as store:
        nodes: dict[str, Any] = {}
        keys: dict[Label, list[str]] = {}
        for label in Label:
            if label is Label.INDEX_OUTBOX:
                continue
            async for batch in store.iter_nodes(label):
                nodes.update({n.id: dict(n.props) for n in batch})
                keys.setdefault(label, []).extend(n.key for n in batch)
        edges: list[tuple[str, str, str]] = []
        for rel, labels in SOURCES.items():
            for label in labels:
                if keys.get(label):
                    edges += [(e.src.id, rel.value, e.dst.id) for e in await store.edges_from(label, keys[label], rel)]
        return {"nodes": nodes, "edges": sorted(edges)}
