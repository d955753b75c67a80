"""Bounded lineage walks in Neo4j (有界血缘遍历).

Usually one Cypher statement, answered as one record, for the whole walk. The statement
expands the frontier hop by hop on the server (one `CALL` subquery per hop, one `UNION ALL`
branch per step, the frontier carried as a list of nodes, nodes already reached dropped),
and returns per hop the rows (step, node key, neighbour label, key, position) and the
properties of the nodes first reached at that hop; the probe past the last hop returns
identities only. It stops expanding once the limit is reached. The rows are then visited by
the bookkeeping every store shares (`graph.breadth_first`), in the embedded visiting order,
so hop counts, the node limit, `truncated` and `cut` come out the same on both backends.

The server expands every node at a hop, the Python side takes in only up to the limit: the
nodes taken in at a hop are always among those the server expanded, because up to the hop
where the limit is reached both sides reach the same nodes. The one hop after that (whose
frontier is what the limit let in) is asked for with a second statement. Each statement
returns one record: the driver's cost per record, not the server, was what made a walk of
a few hundred rows per hop slow.

Why not one variable-length pattern (`-[:A|B*1..depth]->`): it enumerates every path, not
every node, which grows exponentially with depth on a dense catalog, and which nodes fit
under the limit would depend on the order Neo4j returns paths in. Per hop the work is
linear in the edges touched and the answer is predictable.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from neo4j import AsyncManagedTransaction

from graph.breadth_first import breadth_first
from graph.model import Direction, Label, Node, NodeRef, Step, Walk
from graph.neo4j import cypher

_PATTERNS = {Direction.OUT: "(n)-[:{type}]->(m)", Direction.IN: "(n)<-[:{type}]-(m)"}

Rows = dict[tuple[int, str], list[tuple[tuple[Any, ...], NodeRef]]]  # (step, key) → neighbours


async def trace(
    tx: AsyncManagedTransaction,
    start: NodeRef,
    steps: Sequence[Step],
    depth: int,
    limit: int,
    leaves: Collection[Label] = (),
    probe: bool = True,
) -> Walk:
    unique = list(dict.fromkeys(steps))
    hops = depth + 1 if probe else depth
    query = walk_query(start.label, unique, hops, depth, leaves)
    record = await (await tx.run(query, key=start.key, limit=limit)).single()
    if record is None:
        return Walk({}, [], False)
    first = cypher.node(start.label, record["root"])
    known: dict[NodeRef, Node] = {first.ref: first}
    levels: list[Rows | None] = []
    for level in record["levels"]:
        if level is None:  # the limit was reached before this hop: not expanded
            levels.append(None)
            continue
        rows, fresh = level
        for label, props in fresh:
            node = cypher.node(label, props)
            known[node.ref] = node
        levels.append(_group(rows))
    index = {step: s for s, step in enumerate(unique)}

    async def expand(
        hop: int, asks: Sequence[tuple[Step, Sequence[Node]]], probing: bool
    ) -> list[list[list[Node]]]:
        rows = levels[hop - 1] if hop <= len(levels) else None
        if rows is None:
            return await _expand_by_statement(tx, asks, probing, known)
        return [
            [[_node(ref, known) for _, ref in rows.get((index[step], n.key), ())] for n in nodes]
            for step, nodes in asks
        ]

    return await breadth_first(first, unique, depth, limit, expand, leaves=leaves, probe=probe)


def walk_query(
    root: Label, steps: Sequence[Step], hops: int, depth: int, leaves: Collection[Label]
) -> str:
    """The statement of a whole walk: `hops` expansions from the node `$key` of `root`, up to
    `$limit` nodes; the ones past `depth` (the probe) read identities only."""
    leaf = " OR ".join(f"m:{cypher.label(lbl)}" for lbl in sorted(set(leaves)))
    keep = f"[m IN fresh WHERE NOT ({leaf})]" if leaf else "fresh"
    parts = [
        f"MATCH (root:{cypher.label(root)} {{key: $key}}) "
        "WITH root, [root] AS f, [root] AS seen, [] AS levels"
    ]
    for hop in range(1, hops + 1):
        branches = [
            f"UNWIND [x IN f WHERE x:{cypher.label(step.label)}] AS n MATCH {_pattern(step)} "
            f"RETURN {s} AS s, n.key AS k, m"
            for s, step in enumerate(steps)
        ]
        if not branches:
            break
        expanded = (
            f"CALL (f) {{ CALL (f) {{ {' UNION ALL '.join(branches)} }} "
            "RETURN collect([s, k, labels(m)[0], m.key, m.position]) AS rows, "
            "collect(DISTINCT m) AS reached }"
        )
        if hop > depth:  # the probe: whether anything lies beyond, identities only
            parts.append(
                f"{expanded} WITH root, seen, f, "
                "levels + [CASE WHEN f IS NULL THEN null ELSE [rows, []] END] AS levels"
            )
            continue
        parts.append(
            f"{expanded} WITH root, seen, f, rows, [m IN reached WHERE NOT m IN seen] AS fresh, levels "
            "WITH root, seen + fresh AS seen, fresh, "
            f"CASE WHEN f IS NULL THEN null ELSE {keep} END AS next, "
            "levels + [CASE WHEN f IS NULL THEN null "
            "ELSE [rows, [m IN fresh | [labels(m)[0], properties(m)]]] END] AS levels "
            "WITH root, seen, levels, CASE WHEN size(seen) < $limit THEN next ELSE null END AS f"
        )
    parts.append("RETURN properties(root) AS root, levels")
    return " ".join(parts)


def _pattern(step: Step) -> str:
    return _PATTERNS[step.direction].format(type=cypher.rel(step.rel))


def _group(rows: list[list[Any]]) -> Rows:
    """Rows by (step, node key), each node's neighbours in `position`, key order."""
    grouped: Rows = {}
    for s, k, label, key, position in rows:
        grouped.setdefault((s, k), []).append(
            ((*cypher.neighbor_order(position, key), label), NodeRef(Label(label), key))
        )
    for found in grouped.values():
        found.sort(key=lambda row: row[0])
    return grouped


def _node(ref: NodeRef, known: dict[NodeRef, Node]) -> Node:
    """A reached node; past the last hop only its identity is known."""
    return known.get(ref) or Node(ref.label, ref.key, {})


async def _expand_by_statement(
    tx: AsyncManagedTransaction,
    asks: Sequence[tuple[Step, Sequence[Node]]],
    probing: bool,
    known: dict[NodeRef, Node],
) -> list[list[list[Node]]]:
    """One hop for exactly these frontier nodes (found by their key index), one statement."""
    params: dict[str, Any] = {}
    branches: list[str] = []
    for a, (step, nodes) in enumerate(asks):
        params[f"k{a}"] = [n.key for n in nodes]
        branches.append(
            f"UNWIND $k{a} AS k MATCH (n:{cypher.label(step.label)} {{key: k}}) "
            f"MATCH {_pattern(step)} "
            f"RETURN {a} AS a, k, m"
        )
    if not branches:
        return []
    props = "{key: m.key, position: m.position}" if probing else "properties(m)"
    query = (
        f"CALL () {{ {' UNION ALL '.join(branches)} }} "
        f"RETURN collect([a, k, labels(m)[0], {props}]) AS rows"
    )
    record = await (await tx.run(query, params)).single()
    grouped: dict[tuple[int, str], list[tuple[tuple[Any, ...], Node]]] = {}
    for a, k, label, stored in record["rows"] if record else ():
        other = known.get(NodeRef(Label(label), stored[cypher.KEY]))
        if other is None:
            other = cypher.node(label, stored) if not probing else Node(Label(label), stored[cypher.KEY], {})
        order = (*cypher.neighbor_order(stored.get("position"), other.key), label)
        grouped.setdefault((a, k), []).append((order, other))
    for found in grouped.values():
        found.sort(key=lambda row: row[0])
    return [
        [[other for _, other in grouped.get((a, n.key), ())] for n in nodes]
        for a, (_, nodes) in enumerate(asks)
    ]
