"""Read the whole catalog out of the graph as a document (整库读出，用于导出与对比)."""

from __future__ import annotations

from collections import defaultdict

from graph.model import Direction, Edge, Label, Node, Rel
from graph.store import GraphStore
from interchange.graph_mapping import (
    agency_record,
    grant_record,
    project_record,
    resource_record,
    scenario_record,
)
from interchange.records import CatalogDocument


async def _all(store: GraphStore, label: Label) -> list[Node]:
    nodes: list[Node] = []
    async for batch in store.iter_nodes(label):
        nodes.extend(batch)
    return nodes


def _targets(edges: list[Edge]) -> dict[str, list[str]]:
    """Destination keys per source key, in the order the edges were declared."""
    out: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for e in edges:
        out[e.src.key].append((int(e.props.get("position") or 0), e.dst.key))  # type: ignore[arg-type]
    return {k: [d for _, d in sorted(v)] for k, v in out.items()}


async def read_catalog(store: GraphStore) -> CatalogDocument:
    doc = CatalogDocument()
    doc.agencies = [agency_record(n) for n in await _all(store, Label.AGENCY)]

    resources = await _all(store, Label.RESOURCE)
    codes = [r.key for r in resources]
    fields = await store.neighbors(Label.RESOURCE, codes, Rel.HAS_FIELD, Direction.OUT)
    services = await store.neighbors(Label.RESOURCE, codes, Rel.MOUNTED_ON, Direction.IN)
    service_keys = [s.key for group in services for s in group]
    exposed = dict(
        zip(
            service_keys,
            await store.neighbors(Label.SERVICE, service_keys, Rel.EXPOSES, Direction.OUT),
            strict=True,
        )
    )
    related = _targets(await store.edges_from(Label.RESOURCE, codes, Rel.RELATED_TO))
    derived = _targets(await store.edges_from(Label.RESOURCE, codes, Rel.DERIVED_FROM))
    for r, fs, ss in zip(resources, fields, services, strict=True):
        svc = [(s, [str(f.get("name")) for f in exposed[s.key]]) for s in ss]
        doc.resources.append(
            resource_record(r, fs, svc, related.get(r.key, []), derived.get(r.key, []))
        )

    doc.scenarios = [scenario_record(n) for n in await _all(store, Label.SCENARIO)]
    doc.grants = [grant_record(n) for n in await _all(store, Label.GRANT)]
    projects = await _all(store, Label.PROJECT)
    keys = [p.key for p in projects]
    supplies = _targets(await store.edges_from(Label.PROJECT, keys, Rel.DECLARES))
    uses = _targets(await store.edges_from(Label.PROJECT, keys, Rel.DEPENDS_ON))
    doc.projects = [
        project_record(p, supplies.get(p.key, []), uses.get(p.key, [])) for p in projects
    ]
    return doc

