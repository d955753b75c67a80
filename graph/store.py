"""The one interface the service needs from a graph store (图存储接口).

Every backend (embedded SQLite, Neo4j) implements `GraphStore`; the API never knows which
one runs. All methods are batch-shaped so that DataLoaders can issue one call per level of
a GraphQL query.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Collection, Mapping, Sequence

from graph.model import (
    ChangeSet,
    Direction,
    Edge,
    Label,
    Node,
    NodeRef,
    Page,
    PropValue,
    Rel,
    Step,
    Walk,
)

# Equality filters on node properties: a value, or a list meaning "any of".
Where = Mapping[str, PropValue | Sequence[PropValue]]


class GraphStore(ABC):
    """A property graph of the catalog."""

    @abstractmethod
    async def open(self) -> None:
        """Connect and create constraints/indexes if missing (idempotent)."""

    @abstractmethod
    async def close(self) -> None:
        """Release connections."""

    @abstractmethod
    async def get_nodes(self, label: Label, keys: Sequence[str]) -> list[Node | None]:
        """The nodes with these keys, in the order asked, None where missing."""

    @abstractmethod
    async def neighbors(
        self,
        label: Label,
        keys: Sequence[str],
        rel: Rel,
        direction: Direction,
    ) -> list[list[Node]]:
        """For each key, the nodes one `rel` hop away, ordered by `position` then key."""

    async def count_neighbors(
        self,
        label: Label,
        keys: Sequence[str],
        rel: Rel,
        direction: Direction,
    ) -> list[int]:
        """For each key, how many nodes `neighbors` would give, without reading them.

        Stores override it with a count; this default (for wrappers) reads the neighbours.
        """
        return [len(found) for found in await self.neighbors(label, keys, rel, direction)]

    @abstractmethod
    async def find_nodes(
        self,
        label: Label,
        where: Where | None = None,
        *,
        after: str | None = None,
        limit: int = 50,
    ) -> Page:
        """Nodes of a label matching equality filters, in key order, after a key."""

    @abstractmethod
    async def count_nodes(self, label: Label, where: Where | None = None) -> int:
        """How many nodes of a label match the filters."""

    @abstractmethod
    def iter_nodes(self, label: Label, batch: int = 1000) -> AsyncIterator[list[Node]]:
        """Every node of a label, in key order, in batches (export, reindex)."""

    @abstractmethod
    async def edges_from(self, label: Label, keys: Sequence[str], rel: Rel) -> list[Edge]:
        """All outgoing `rel` edges of the given nodes (export, diffing)."""

    @abstractmethod
    async def write(self, changes: ChangeSet) -> None:
        """Apply a change set in one transaction: all of it, or nothing."""

    @abstractmethod
    async def walk(
        self,
        start: NodeRef,
        rels: Sequence[Rel],
        direction: Direction,
        depth: int,
        limit: int,
    ) -> Walk:
        """Breadth-first walk over `rels` up to `depth` hops and `limit` nodes."""

    @abstractmethod
    async def trace(
        self,
        start: NodeRef,
        steps: Sequence[Step],
        depth: int,
        limit: int,
        *,
        leaves: Collection[Label] = (),
        probe: bool = True,
    ) -> Walk:
        """Breadth-first walk that leaves each node only by the `steps` of its label (血缘遍历).

        Up to `depth` hops and `limit` nodes (the start included). Nodes of a label in
        `leaves` are reached but not left, unless they are the start. With `probe`, the
        nodes at the last hop are expanded once more without taking anything in, so that
        `Walk.cut` / `Walk.depth_cut` say where the depth cut the walk. Per hop the frontier
        is visited grouped by label (in order of first appearance), then by step in the
        order given, then in frontier order, then neighbours by `position` and key; so hop
        counts, the limit and the flags come out the same on every backend.
        """

    @abstractmethod
    async def clear(self) -> None:
        """Remove every node and relationship (tests, `catalog demo --fresh`)."""

