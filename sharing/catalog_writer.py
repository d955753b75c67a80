"""Writes to the catalog: the graph first, then the index (目录写入：先图后索引).

The graph is the source of truth. Each write records, in the same graph transaction, which
search documents it makes stale (an outbox entry). After the graph commit the index is
updated and the entry removed; if the index cannot be reached the entry stays, search is
reported degraded, and `catch_up()` (run by `catalog reindex --pending`, on start-up and
after each later write) brings the index level with the graph.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from graph import change_log
from graph.model import ChangeSet, Direction, Label, Node, NodeRef, Rel
from graph.store import GraphStore
from search.index import SearchIndex
from search.projection import INDEXED_LABELS, project

log = logging.getLogger(__name__)

_OUTBOX_CHUNK = 1000  # ids per outbox entry
_INDEX_BATCH = 1000  # documents per index call

Progress = Callable[[int], None]


@dataclass(slots=True)
class WriteOutcome:
    """What a write did (写入结果)."""

    nodes_written: int
    nodes_deleted: int
    documents_pending: int  # search documents not yet indexed (0 unless degraded)

    @property
    def search_degraded(self) -> bool:
        return self.documents_pending > 0


class CatalogWriter:
    """The one path by which the catalog changes."""

    def __init__(self, store: GraphStore, index: SearchIndex) -> None:
        self.store = store
        self.index = index

    async def apply(self, changes: ChangeSet, progress: Progress | None = None) -> WriteOutcome:
        if changes.is_empty():
            return WriteOutcome(0, 0, 0)
        stale = await self._stale_refs(changes)
        outbox = [
            Node(
                Label.INDEX_OUTBOX,
                f"{uuid.uuid4().hex}",
                {"ids": [r.id for r in stale[i : i + _OUTBOX_CHUNK]]},
            )
            for i in range(0, len(stale), _OUTBOX_CHUNK)
        ]
        changes.upserts.extend(outbox)
        await self.store.write(changes)
        written = len(changes.upserts) - len(outbox)
        pending = await self._drain(outbox, progress)
        return WriteOutcome(written, len(changes.deletes), pending)

    async def announce_search_change(self) -> None:
        """Log a change of the search index alone (synonyms reloaded, a rebuild), so that every
        process drops the answers it derived from the index (`graph.change_log`)."""
        await self.store.write(ChangeSet(notes=[change_log.SEARCH]))

    async def catch_up(self, progress: Progress | None = None) -> int:
        """Index everything the outbox holds; returns the number of documents still pending."""
        entries: list[Node] = []
        async for batch in self.store.iter_nodes(Label.INDEX_OUTBOX):
            entries.extend(batch)
        return await self._drain(entries, progress)

    async def pending(self) -> int:
        """How many search documents wait for the index (0 when search is current)."""
        total = 0
        async for batch in self.store.iter_nodes(Label.INDEX_OUTBOX):
            total += sum(len(n.get("ids") or []) for n in batch)
        return total

    async def _drain(self, entries: Sequence[Node], progress: Progress | None) -> int:
        pending = 0
        for i, entry in enumerate(entries):
            refs = [NodeRef.parse(x) for x in entry.get("ids") or []]
            try:
                await self._reindex(refs, progress)
            except Exception as exc:  # any index failure leaves the entry for catch-up
                log.warning("search index update deferred: %s", exc)
                pending += sum(len(e.get("ids") or []) for e in entries[i:])
                return pending
            done = ChangeSet(deletes=[entry.ref])
            await self.store.write(done)
        return pending

    async def _reindex(self, refs: Sequence[NodeRef], progress: Progress | None) -> None:
        for i in range(0, len(refs), _INDEX_BATCH):
            chunk = refs[i : i + _INDEX_BATCH]
            docs, gone = await project(self.store, chunk)
            if docs:
                await self.index.upsert(docs)
            if gone:
                await self.index.delete(gone)
            if progress:
                progress(len(chunk))

    async def _stale_refs(self, changes: ChangeSet) -> list[NodeRef]:
        """Indexed nodes whose documents this change alters, including dependants:
        a resource's fields carry its name and provider, an agency's resources and
        fields carry the agency's name."""
        refs: dict[NodeRef, None] = {}
        for node in changes.upserts:
            if node.label in INDEXED_LABELS:
                refs[node.ref] = None
        for ref in changes.deletes:
            if ref.label in INDEXED_LABELS:
                refs[ref] = None
        resources = [r.key for r in refs if r.label is Label.RESOURCE]
        agencies = [r.key for r in refs if r.label is Label.AGENCY]
        if agencies:
            existing = await self.store.get_nodes(Label.AGENCY, agencies)
            renamed = [
                a.key for a, new in zip(existing, agencies, strict=True)
                if a is not None and _renamed(a, changes, new)
            ]
            if renamed:
                for found in await self.store.neighbors(
                    Label.AGENCY, renamed, Rel.PROVIDED_BY, Direction.IN
                ):
                    resources.extend(n.key for n in found)
                    refs.update({n.ref: None for n in found})
        if resources:
            for found in await self.store.neighbors(
                Label.RESOURCE, resources, Rel.HAS_FIELD, Direction.OUT
            ):
                refs.update({n.ref: None for n in found})
        return list(refs)


def _renamed(old: Node, changes: ChangeSet, key: str) -> bool:
    for node in changes.upserts:
        if node.label is Label.AGENCY and node.key == key:
            return bool(
                node.get("name") != old.get("name") or node.get("level") != old.get("level")
            )
    return True  # deleted
