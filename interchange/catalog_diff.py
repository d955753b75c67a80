"""Reduce a document's change set to what differs from the graph (与现有目录比对).

Loading the same file twice must change nothing, and a changed file must update by code:
unchanged nodes and edge lists are dropped, and fields or services that a resource in the
file no longer lists are deleted (the file is authoritative for the resources it names).
"""

from __future__ import annotations

from collections import defaultdict

from graph.model import ChangeSet, Direction, Edge, Label, Node, NodeRef, PropValue, Rel
from graph.store import GraphStore


def _edge_key(e: Edge) -> tuple[str, str, str]:
    return (e.dst.id, repr(sorted(e.props.items())), e.type.value)


async def diff(store: GraphStore, changes: ChangeSet) -> ChangeSet:
    out = ChangeSet()
    by_label: dict[Label, list[Node]] = defaultdict(list)
    for node in changes.upserts:
        by_label[node.label].append(node)
    for label, nodes in by_label.items():
        existing = await store.get_nodes(label, [n.key for n in nodes])
        for new, old in zip(nodes, existing, strict=True):
            if old is None or dict(old.props) != _normalised(new):
                out.upserts.append(Node(new.label, new.key, _normalised(new)))

    sources: dict[tuple[Label, Rel], list[NodeRef]] = defaultdict(list)
    for src, rel in changes.edges:
        sources[(src.label, rel)].append(src)
    for (label, rel), refs in sources.items():
        current: dict[NodeRef, list[Edge]] = defaultdict(list)
        for e in await store.edges_from(label, [r.key for r in refs], rel):
            current[e.src].append(e)
        for ref in refs:
            new_edges = changes.edges[(ref, rel)]
            old_keys = sorted(_edge_key(e) for e in current.get(ref, []))
            new_keys = sorted(_edge_key(Edge(e.type, e.src, e.dst, dict(e.props))) for e in new_edges)
            if old_keys != new_keys:
                out.edges[(ref, rel)] = new_edges

    out.deletes = await _dropped_children(store, changes)
    return out


def _normalised(node: Node) -> dict[str, PropValue]:
    """Props as a store gives them back: a JSON round trip turns tuples into lists."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in node.props.items()}


async def _dropped_children(store: GraphStore, changes: ChangeSet) -> list[NodeRef]:
    """Fields and services of the file's resources that the file no longer lists."""
    resources = [n.key for n in changes.upserts if n.label is Label.RESOURCE]
    if not resources:
        return []
    kept = {n.ref for n in changes.upserts}
    dropped: list[NodeRef] = []
    fields = await store.neighbors(Label.RESOURCE, resources, Rel.HAS_FIELD, Direction.OUT)
    services = await store.neighbors(Label.RESOURCE, resources, Rel.MOUNTED_ON, Direction.IN)
    for group in (*fields, *services):
        dropped.extend(n.ref for n in group if n.ref not in kept)
    return dropped
