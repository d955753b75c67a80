"""Bounded lineage walks in Neo4j (有界血缘遍历).

Breadth first, one Cypher statement per hop, all hops in one read transaction: each
statement expands the whole frontier (matched by element id) over the typed relationships
in the asked directions. The rows are then visited in exactly the order the embedded
`breadth_first_walk` visits them (frontier grouped by label, then type, OUT before IN,
then frontier order, then neighbor `position` and key), so hop counts, the node limit and
`truncated` come out the same on both backends.

Why not one variable-length pattern (`-[:A|B*1..depth]->`): it enumerates every path, not
every node, which grows exponentially with depth on a dense catalog, and which nodes fit
under the limit would depend on the order Neo4j returns paths in. Per hop the work is
linear in the edges touched and the answer is predictable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import AsyncManagedTransaction

from graph.model import Direction, Edge, Label, Node, NodeRef, Rel, Walk
from graph.neo4j import cypher

_PATTERNS = {Direction.OUT: "(n)-[r:{types}]->(m)", Direction.IN: "(n)<-[r:{types}]-(m)"}


async def walk(
    tx: AsyncManagedTransaction,
    start: NodeRef,
    rels: Sequence[Rel],
    direction: Direction,
    depth: int,
    limit: int,
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
    types = list(dict.fromkeys(rels))
    ways = [w for w in (Direction.OUT, Direction.IN) if direction in (w, Direction.BOTH)]
    seen: dict[NodeRef, tuple[Node, int]] = {first.ref: (first, 0)}
    frontier: list[tuple[Node, str]] = [(first, record["id"])]
    edges: list[Edge] = []
    truncated = False
    for hop in range(1, depth + 1):
        if not types or not ways:
            break
        nxt: list[tuple[Node, str]] = []
        for i, rel_type, way, other, element_id in await _expand(tx, frontier, types, ways):
            node = frontier[i][0]
            if way is Direction.OUT:
                edges.append(Edge(rel_type, node.ref, other.ref))
            else:
                edges.append(Edge(rel_type, other.ref, node.ref))
            if other.ref in seen:
                continue
            if len(seen) >= limit:
                truncated = True
                continue
            seen[other.ref] = (other, hop)
            nxt.append((other, element_id))
        frontier = nxt
        if not frontier:
            break
    unique = {(e.type, e.src, e.dst): e for e in edges}
    kept = [e for e in unique.values() if e.src in seen and e.dst in seen]
    return Walk(seen, kept, truncated)


async def _expand(
    tx: AsyncManagedTransaction,
    frontier: list[tuple[Node, str]],
    types: list[Rel],
    ways: list[Direction],
) -> list[tuple[int, Rel, Direction, Node, str]]:
    """One hop from every frontier node, in the embedded walk's visiting order."""
    alternatives = "|".join(cypher.rel(t) for t in types)
    query = " UNION ALL ".join(
        "UNWIND range(0, size($ids) - 1) AS i MATCH (n) WHERE elementId(n) = $ids[i] "
        f"MATCH {_PATTERNS[way].format(types=alternatives)} "
        f"RETURN i, type(r) AS t, '{way.value}' AS way, elementId(m) AS id, "
        "labels(m)[0] AS label, properties(m) AS p"
        for way in ways
    )
    result = await tx.run(query, ids=[element_id for _, element_id in frontier])
    group: dict[Label, int] = {}
    for node, _ in frontier:
        group.setdefault(node.label, len(group))
    type_rank = {t: r for r, t in enumerate(types)}
    way_rank = {w: r for r, w in enumerate(ways)}
    rows: list[tuple[tuple[Any, ...], tuple[int, Rel, Direction, Node, str]]] = []
    async for record in result:
        i, rel_type, way = record["i"], Rel(record["t"]), Direction(record["way"])
        other = cypher.node(record["label"], record["p"])
        order = (
            group[frontier[i][0].label], type_rank[rel_type], way_rank[way], i,
            cypher.neighbor_order(other.get("position", 0), other.key), other.label.value,
        )
        rows.append((order, (i, rel_type, way, other, record["id"])))
    rows.sort(key=lambda row: row[0])
    return [row for _, row in rows]
