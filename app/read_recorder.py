"""What one request read (一次请求读取了什么): the dependencies of a cacheable answer.

The request's store, index and clock are wrapped; every read adds the change-log tokens
(`graph.change_log`) a later write must name to change what was read. A cached answer is
dropped when a write lists one of its tokens, and kept otherwise. Reads that make an answer
unfit for the cache (the clock, a search index with queued updates) say why.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from datetime import datetime

from graph import change_log as cl
from graph.model import ChangeSet, Direction, Edge, Label, Node, NodeRef, Page, Rel, Step, Walk
from graph.store import GraphStore, Where
from search.index import SearchDoc, SearchIndex, SearchQuery, SearchResult, Suggestion
from sharing.clock import Clock


class ReadRecord:
    """The tokens read so far, and the first reason the answer must not be cached."""

    def __init__(self) -> None:
        self.tokens: set[str] = set()
        self.uncacheable: str | None = None

    def refuse(self, reason: str) -> None:
        if self.uncacheable is None:
            self.uncacheable = reason

    def nodes(self, nodes: Sequence[Node | None]) -> None:
        self.tokens.update(cl.node_token(n.ref) for n in nodes if n is not None)

    def pending_index(self, pending: bool) -> None:
        if pending:
            self.refuse("search index has queued updates")


class RecordingStore(GraphStore):
    """A `GraphStore` that records what it reads into a `ReadRecord`; writes pass through."""

    def __init__(self, inner: GraphStore, record: ReadRecord) -> None:
        self.inner = inner
        self.record = record

    async def open(self) -> None:
        await self.inner.open()

    async def close(self) -> None:
        await self.inner.close()

    async def get_nodes(self, label: Label, keys: Sequence[str]) -> list[Node | None]:
        self.record.tokens.update(cl.node_token(NodeRef(label, k)) for k in keys)
        return await self.inner.get_nodes(label, keys)

    async def neighbors(
        self, label: Label, keys: Sequence[str], rel: Rel, direction: Direction
    ) -> list[list[Node]]:
        found = await self.inner.neighbors(label, keys, rel, direction)
        tokens = self.record.tokens
        for key, others in zip(keys, found, strict=True):
            ref = NodeRef(label, key)
            if direction in (Direction.OUT, Direction.BOTH):
                tokens.add(cl.out_token(ref, rel))
            if direction in (Direction.IN, Direction.BOTH):
                tokens.add(cl.in_token(ref, rel))
            for other in others:
                tokens.add(cl.node_token(other.ref))
                if direction is not Direction.OUT:
                    # the edge is the other node's outgoing one: replacing that list removes it
                    tokens.add(cl.out_token(other.ref, rel))
                if direction is not Direction.IN:
                    tokens.add(cl.in_token(other.ref, rel))
        return found

    def _scan(self, label: Label) -> None:
        self.record.tokens.add(cl.label_token(label))

    async def find_nodes(
        self, label: Label, where: Where | None = None, *, after: str | None = None, limit: int = 50
    ) -> Page:
        self._scan(label)
        page = await self.inner.find_nodes(label, where, after=after, limit=limit)
        if label is Label.INDEX_OUTBOX:
            self.record.pending_index(bool(page.nodes))
        return page

    async def count_nodes(self, label: Label, where: Where | None = None) -> int:
        self._scan(label)
        count = await self.inner.count_nodes(label, where)
        if label is Label.INDEX_OUTBOX:
            self.record.pending_index(count > 0)
        return count

    async def iter_nodes(self, label: Label, batch: int = 1000) -> AsyncIterator[list[Node]]:
        self._scan(label)
        async for nodes in self.inner.iter_nodes(label, batch):
            if label is Label.INDEX_OUTBOX:
                self.record.pending_index(bool(nodes))
            yield nodes

    async def edges_from(self, label: Label, keys: Sequence[str], rel: Rel) -> list[Edge]:
        self.record.tokens.update(cl.out_token(NodeRef(label, k), rel) for k in keys)
        edges = await self.inner.edges_from(label, keys, rel)
        self.record.tokens.update(cl.node_token(e.dst) for e in edges)  # a delete detaches
        return edges

    async def write(self, changes: ChangeSet) -> None:
        await self.inner.write(changes)

    async def walk(
        self, start: NodeRef, rels: Sequence[Rel], direction: Direction, depth: int, limit: int
    ) -> Walk:
        result = await self.inner.walk(start, rels, direction, depth, limit)
        self._walked(start, rels, result)
        return result

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
        result = await self.inner.trace(start, steps, depth, limit, leaves=leaves, probe=probe)
        self._walked(start, [s.rel for s in steps], result)
        return result

    def _walked(self, start: NodeRef, rels: Sequence[Rel], walk: Walk) -> None:
        """A walk reads its nodes and their edges of the walked types. When a limit or the
        probe past the last hop met nodes left out of the result, those are unknown here, so
        the walk depends on every edge of those types."""
        tokens = self.record.tokens
        unique = list(dict.fromkeys(rels))
        tokens.add(cl.node_token(start))
        for ref in walk.nodes:
            tokens.add(cl.node_token(ref))
            for rel in unique:
                tokens.add(cl.out_token(ref, rel))
                tokens.add(cl.in_token(ref, rel))
        if walk.truncated or walk.cut or walk.depth_cut:
            tokens.update(cl.rel_token(rel) for rel in unique)

    async def clear(self) -> None:
        await self.inner.clear()


class RecordingIndex(SearchIndex):
    """A `SearchIndex` whose reads depend on the whole index (token `s`)."""

    def __init__(self, inner: SearchIndex, record: ReadRecord) -> None:
        self.inner = inner
        self.record = record

    def _read(self) -> None:
        self.record.tokens.add(cl.SEARCH)

    async def open(self) -> None:
        await self.inner.open()

    async def close(self) -> None:
        await self.inner.close()

    async def upsert(self, docs: Sequence[SearchDoc]) -> None:
        await self.inner.upsert(docs)

    async def delete(self, ids: Sequence[str]) -> None:
        await self.inner.delete(ids)

    async def search(self, query: SearchQuery) -> SearchResult:
        self._read()
        return await self.inner.search(query)

    async def suggest(self, prefix: str, limit: int = 10) -> list[Suggestion]:
        self._read()
        return await self.inner.suggest(prefix, limit)

    async def count(self) -> int:
        self._read()
        return await self.inner.count()

    async def all_ids(self) -> set[str]:
        self._read()
        return await self.inner.all_ids()

    async def clear(self) -> None:
        await self.inner.clear()

    async def reload_synonyms(self) -> None:
        await self.inner.reload_synonyms()

    async def rebuild(self, batches: AsyncIterator[list[SearchDoc]]) -> int:
        return await self.inner.rebuild(batches)


class RecordingClock:
    """A clock whose reading makes the answer depend on the time: never cached."""

    def __init__(self, inner: Clock, record: ReadRecord) -> None:
        self.inner = inner
        self.record = record

    def now(self) -> datetime:
        self.record.refuse("the answer depends on the clock")
        return self.inner.now()
