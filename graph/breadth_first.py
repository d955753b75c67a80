"""The bookkeeping of a bounded breadth-first trace, shared by every store (有界广度优先遍历).

A store says only how to expand one hop (`Expand`); which nodes are taken in, at which hop,
which edges are kept and where the node limit or the depth cut the walk is decided here, so
hop counts, the limit and the flags come out the same on every backend.

Per hop the frontier is visited grouped by label (in order of first appearance), then by
step in the order given, then in frontier order, then neighbours by `position` and key.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence

from graph.model import Direction, Edge, Label, Node, NodeRef, Step, Walk

# One hop: for each (step, frontier nodes of the step's label) asked, in the order asked,
# each node's neighbours by that step, ordered by `position` (None as 0) then key. `probing`:
# the hop past the last one, where only the neighbours' identities (label, key) are read.
Expand = Callable[[int, Sequence[tuple[Step, Sequence[Node]]], bool], Awaitable[list[list[list[Node]]]]]


async def breadth_first(
    first: Node,
    steps: Sequence[Step],
    depth: int,
    limit: int,
    expand: Expand,
    *,
    leaves: Collection[Label] = (),
    probe: bool = True,
) -> Walk:
    """The trace from `first` (see `GraphStore.trace`), expanding each hop with `expand`."""
    by_label: dict[Label, list[Step]] = {}
    for step in dict.fromkeys(steps):
        by_label.setdefault(step.label, []).append(step)
    seen: dict[NodeRef, tuple[Node, int]] = {first.ref: (first, 0)}
    edges: list[Edge] = []
    cut: set[NodeRef] = set()
    frontier = [first]
    truncated = depth_cut = False
    for hop in range(1, depth + 2):
        probing = hop > depth
        if probing and not probe:
            break
        groups: dict[Label, list[Node]] = {}
        for node in frontier:
            if node.ref == first.ref or node.label not in leaves:
                groups.setdefault(node.label, []).append(node)
        asks = [(step, nodes) for label, nodes in groups.items() for step in by_label.get(label, ())]
        nxt: list[Node] = []
        for (step, nodes), found in zip(asks, await expand(hop, asks, probing), strict=True):
            for node, others in zip(nodes, found, strict=True):
                for other in others:
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
                    nxt.append(other)
        frontier = nxt
        if not frontier:
            break
    unique = {(e.type, e.src, e.dst): e for e in edges}
    kept = [e for e in unique.values() if e.src in seen and e.dst in seen]
    return Walk(seen, kept, truncated, frozenset(cut), depth_cut)
