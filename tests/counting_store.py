"""A store wrapper that counts calls, to prove the loaders batch (统计存储调用次数)."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Collection, Sequence

from graph.model import ChangeSet, Direction, Edge, Label, Node, NodeRef, Page, Rel, Step, Walk
from graph.store import GraphStore, Where


class CountingStore(GraphStore):
    def __init__(self, inner: GraphStore) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    async def open(self) -> None:
        await self.inner.open()

    async def close(self) -> None:
        await self.inner.close()

    async def get_nodes(self, label: Label, keys: Sequence[str]) -> list[Node | None]:
        self.calls[f"get_nodes:{label.value}"] += 1
        return await self.inner.get_nodes(label, keys)

    async def neighbors(
        self, label: Label, keys: Sequence[str], rel: Rel, direction: Direction
    ) -> list[list[Node]]:
        self.calls[f"neighbors:{label.value}:{rel.value}:{direction.value}"] += 1
        return await self.inner.neighbors(label, keys, rel, direction)

    async def find_nodes(
        self, label: Label, where: Where | None = None, *, after: str | None = None, limit: int = 50
    ) -> Page:
        self.calls[f"find_nodes:{label.value}"] += 1
        return await self.inner.find_nodes(label, where, after=after, limit=limit)

    async def count_nodes(self, label: Label, where: Where | None = None) -> int:
        self.calls[f"count_nodes:{label.value}"] += 1
        return await self.inner.count_nodes(label, where)

    async def iter_nodes(self, label: Label, batch: int = 1000) -> AsyncIterator[list[Node]]:
        self.calls[f"iter_nodes:{label.value}"] += 1
        async for nodes in self.inner.iter_nodes(label, batch):
            yield nodes

    async def edges_from(self, label: Label, keys: Sequence[str], rel: Rel) -> list[Edge]:
        self.calls[f"edges_from:{label.value}:{rel.value}"] += 1
        return await self.inner.edges_from(label, keys, rel)

    async def write(self, changes: ChangeSet) -> None:
        self.calls["write"] += 1
        await self.inner.write(changes)

    async def walk(
        self, start: NodeRef, rels: Sequence[Rel], direction: Direction, depth: int, limit: int
    ) -> Walk:
        self.calls["walk"] += 1
        return await self.inner.walk(start, rels, direction, depth, limit)

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
        self.calls["trace"] += 1
        return await self.inner.trace(start, steps, depth, limit, leaves=leaves, probe=probe)

    async def clear(self) -> None:
        await self.inner.clear()
