"""Bounded lineage walks in Neo4j (有界血缘遍历).

Breadth first, one Cypher statement per hop, all hops in one read transaction: each
statement expands the frontier (matched by element id) by the steps of each node's label,
one `UNION ALL` branch per step. The rows are then visited in exactly the order the
embedded `breadth_first_trace` visits them (frontier grouped by label, then step, then
frontier order, then neighbour `position` and key), so hop counts, the node limit,
`truncated` and `cut` come out the same on both backends.

Why not one variable-length pattern (`-[:A|B*1..depth]->`): it enumerates every path, not
every node, which grows exponentially with depth on a dense catalog, and which nodes fit
under the limit would depend on the order Neo4j returns paths in. Per hop the work is
linear in the edges touched and the answer is predictable.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from neo4j import AsyncManagedTransaction

from graph.model import Direction, Edge, Label, Node, NodeRef, Step, Walk
from graph.neo4j import cypher

_PATTERNS = {Direction.OUT: "(n)-[r:{type}]->(m)", Direction.IN: "(n)<-[r:{type}]-(m)"}


async def trace(
    tx: AsyncManagedTransaction,
    start: NodeRef,
    steps: Sequence[Step],
    depth: int,
    limit: int,
    leaves: Collection[Label] = (),
    probe: bool = True,
) -> Walk:
    result = await tx.run(
        f"MATCH (n:{cypher.label(start.label)} {{key: $key}}) "
        "RETURN elementId(n) AS id, properties(n) AS p",
        key=start.key,
    )
    record = await result.single()
    if record is None:
        return Walk({}, [], False)
    first = cypher.node(start.label, record["p"])
    unique = list(dict.fromkeys(steps))
    seen: dict[NodeRef, tuple[Node, int]] = {first.ref: (first, 0)}
    frontier: list[tuple[Node, str]] = [(first, record["id"])]
    edges: list[Edge] = []
    cut: set[NodeRef] = set()
    truncated = depth_cut = False
    for hop in range(1, depth + 2):
        probing = hop > depth
        if probing and not probe:
            break
        expandable = [
            (i, node, element_id)
            for i, (node, element_id) in enumerate(frontier)
            if node.ref == first.ref or node.label not in leaves
        ]
        nxt: list[tuple[Node, str]] = []
        for i, step, other, element_id in await _expand(tx, expandable, unique, light=probing):
            node = frontier[i][0]
            if probing:
                if other.ref not in seen:
                    cut.add(node.ref)
                    depth_cut = True
                continue
            if step.direction is Direction.OUT:
                edges.append(Edge(step.rel, node.ref, other.ref))
            else:
                edges.append(Edge(step.rel, other.ref, node.ref))
            if other.ref in seen:
                continue
            if len(seen) >= limit:
                truncated = True
                cut.add(node.ref)
                continue
            seen[other.ref] = (other, hop)
            nxt.append((other, element_id))
        frontier = nxt
        if not frontier:
            break
    kept_edges = {(e.type, e.src, e.dst): e for e in edges}
    kept = [e for e in kept_edges.values() if e.src in seen and e.dst in seen]
    return Walk(seen, kept, truncated, frozenset(cut), depth_cut)


async def _expand(
    tx: AsyncManagedTransaction,
    frontier: list[tuple[int, Node, str]],
    steps: list[Step],
    *,
    light: bool,
) -> list[tuple[int, Step, Node, str]]:
    """One hop from every frontier node by its label's steps, in the embedded visiting order.

    `light` (the probe past the last hop) asks only for the neighbours' identities.
    """
    group: dict[Label, int] = {}
    for _, node, _ in frontier:
        group.setdefault(node.label, len(group))
    branches: list[str] = []
    params: dict[str, Any] = {}
    returned = "labels(m)[0] AS label, " + ("{key: m.key} AS p" if light else "properties(m) AS p")
    for s, step in enumerate(steps):
        members = [(i, element_id) for i, node, element_id in frontier if node.label is step.label]
        if not members:
            continue
        params[f"i{s}"] = [i for i, _ in members]
        params[f"e{s}"] = [element_id for _, element_id in members]
        pattern = _PATTERNS[step.direction].format(type=cypher.rel(step.rel))
        branches.append(
            f"UNWIND range(0, size($e{s}) - 1) AS j MATCH (n) WHERE elementId(n) = $e{s}[j] "
            f"MATCH {pattern} RETURN $i{s}[j] AS i, {s} AS s, elementId(m) AS id, {returned}"
        )
    if not branches:
        return []
    result = await tx.run(" UNION ALL ".join(branches), params)
    nodes = {i: node for i, node, _ in frontier}
    rows: list[tuple[tuple[Any, ...], tuple[int, Step, Node, str]]] = []
    async for record in result:
        i, s = record["i"], record["s"]
        other = cypher.node(record["label"], record["p"])
        order = (
            group[nodes[i].label], s, i,
            cypher.neighbor_order(other.get("position", 0), other.key), other.label.value,
        )
        rows.append((order, (i, steps[s], other, record["id"])))
    rows.sort(key=lambda row: row[0])
    return [row for _, row in rows]
