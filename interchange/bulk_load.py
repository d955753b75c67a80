"""Bulk load of a whole catalog into an EMPTY catalog (空库批量导入), for generated catalogs.

`catalog load` writes one graph transaction per file: all or nothing. At province scale
(two million nodes, four million edges) one transaction does not fit a Neo4j heap (about
2.5 KB per node and edge while it is open), so a bulk load trades the single transaction for
committed batches behind a marker:

1. the document is validated whole, exactly as `catalog load` does, and the catalog must
   be empty (else the load is refused and nothing is written);
2. a `BulkLoad` marker node is committed first: while it exists the catalog is incomplete;
3. the graph is written in committed batches, phase by phase (agencies; resources with
   their fields and services; the links between resources, scenarios and projects; grants
   — each batch only references nodes already written), and at the same time the search
   index is built from the same records (not read back from the graph) as a new index
   version that replaces the (empty) serving one at the end;
4. the marker is deleted: the catalog is complete.

Recovery: if anything fails, the load clears the graph and the index, which restores the
empty catalog it started from, and re-raises. If the process dies instead, the marker stays;
the next bulk load finds it, clears the remains of the interrupted one and starts again, and
`interrupted()` lets other commands say so. The trade-off: during the load readers may see
a partial catalog, which is why it is only offered for an empty catalog (a new deployment or
a benchmark) and never replaces the all-or-nothing `catalog load` of a real file.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from graph import change_log
from graph.model import ChangeSet, Edge, Label, Node, NodeRef, Rel
from graph.store import GraphStore
from interchange.graph_mapping import (
    _grant_changes,
    _resource_changes,
    agency_node,
    document_changes,
)
from interchange.origins import Origins
from interchange.problems import InvalidCatalogFile
from interchange.records import CatalogDocument
from interchange.validation import KnownCodes, validate
from search.index import SearchDoc, SearchIndex
from search.projection import INDEXED_LABELS, documents

MARKER_KEY = "current"
RESOURCES_PER_BATCH = 500  # ≈ 7,500 fields and 20,000 edges per graph transaction
RECORDS_PER_BATCH = 5_000  # scenarios, grants, projects per graph transaction
# Bookkeeping that `GraphStore.clear()` keeps (the change log numbers writes across clears):
# not catalog content, so an empty catalog may hold it.
KEPT_BY_CLEAR = frozenset({"ChangeLog"})
# Graph transactions at a time within a phase. More is slower: concurrent batches touch the
# same agencies and services, so they wait on each other's locks and deadlock-retry (measured
# on Neo4j 5 at city scale: 2 writers took 2.6x the wall time and 3.8x the server CPU of one).
GRAPH_WRITERS = 1
_QUEUED_BATCHES = 4  # search batches waiting for the index while the graph goes on

Progress = Callable[[str, int, int], None]  # (phase, done, total)
_T = TypeVar("_T")


class BulkLoadRefused(Exception):
    """A bulk load that cannot start (批量导入被拒绝); nothing was written."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(f"{message_zh} / {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass(slots=True)
class BulkLoadReport:
    """What a bulk load did and how long each part took (批量导入结果)."""

    file: str
    rows: int
    counts: dict[str, int]
    nodes: int = 0
    edges: int = 0
    documents: int = 0
    recovered: bool = False  # an interrupted earlier load was cleared first
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        total = self.seconds.get("total", 0.0)
        return self.rows / total if total > 0 else 0.0


async def interrupted(store: GraphStore) -> bool:
    """Whether an unfinished bulk load left the catalog incomplete."""
    return await store.count_nodes(Label.BULK_LOAD) > 0


async def bulk_load(
    doc: CatalogDocument,
    file: str,
    store: GraphStore,
    index: SearchIndex,
    progress: Progress | None = None,
) -> BulkLoadReport:
    """Validate `doc` and load it into the empty catalog in committed batches (see above)."""
    started = time.perf_counter()
    report = BulkLoadReport(file, doc.row_count(), _counts(doc))
    problems = validate(doc, file, KnownCodes(), Origins())
    if problems:
        raise InvalidCatalogFile(problems)
    report.seconds["validate"] = time.perf_counter() - started
    if await interrupted(store):
        await store.clear()
        await index.clear()
        report.recovered = True
    await _require_empty(store)
    await store.write(ChangeSet(upserts=[
        Node(Label.BULK_LOAD, MARKER_KEY, {"file": file, "rows": report.rows})
    ]))  # fmt: skip
    try:
        await _load(doc, store, index, report, progress)
    except BaseException:
        await _undo(store, index)
        raise
    # the index was filled beside the graph, not through the outbox: announce it (change log)
    await store.write(ChangeSet(deletes=[NodeRef(Label.BULK_LOAD, MARKER_KEY)], notes=[change_log.SEARCH]))
    report.seconds["total"] = time.perf_counter() - started
    return report


async def _require_empty(store: GraphStore) -> None:
    for label in Label:
        if label.value in KEPT_BY_CLEAR:
            continue
        if await store.count_nodes(label) > 0:
            raise BulkLoadRefused(
                "CATALOG_NOT_EMPTY",
                f"目录非空（已有{label.value}节点）：批量导入只用于空目录，请先清空或改用 catalog load",
                f"the catalog is not empty (it holds {label.value} nodes): a bulk load needs an "
                "empty catalog; clear it first or use `catalog load`",
            )


async def _undo(store: GraphStore, index: SearchIndex) -> None:
    """Back to the empty catalog the load started from (the marker goes with it)."""
    try:
        await index.clear()
    finally:
        await store.clear()


async def _load(doc: CatalogDocument, store: GraphStore, index: SearchIndex, report: BulkLoadReport,
                progress: Progress | None) -> None:
    queue: asyncio.Queue[list[SearchDoc] | None] = asyncio.Queue(_QUEUED_BATCHES)
    total_docs = len(doc.agencies) + len(doc.resources) + len(doc.scenarios)
    total_docs += sum(len(r.fields) for r in doc.resources)
    total_rows = report.rows

    async def write(batches: Iterator[tuple[ChangeSet, int]]) -> None:
        for changes, rows in batches:  # shared by the writers of a phase
            # the catalog was empty: an empty edge list has no old edges to replace
            changes.edges = {key: group for key, group in changes.edges.items() if group}
            await store.write(changes)
            report.nodes += len(changes.upserts)
            report.edges += sum(len(group) for group in changes.edges.values())
            docs = _documents(changes, agencies)
            if docs:
                await queue.put(docs)
            if progress:
                progress("graph", rows, total_rows)

    async def graph() -> None:
        began = time.perf_counter()
        try:
            for phase in _phases(doc):
                await asyncio.gather(*(write(phase) for _ in range(GRAPH_WRITERS)))
        finally:
            await queue.put(None)
        report.seconds["graph"] = time.perf_counter() - began

    async def batches() -> AsyncIterator[list[SearchDoc]]:
        while (docs := await queue.get()) is not None:
            yield docs
            if progress:
                progress("index", len(docs), total_docs)

    async def search() -> None:
        began = time.perf_counter()
        report.documents = await index.rebuild(batches())
        report.seconds["index"] = time.perf_counter() - began

    agencies = {a.code: agency_node(a) for a in doc.agencies}
    try:
        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(graph())
            tasks.create_task(search())
    except BaseExceptionGroup as failed:  # the first failure, as if the parts ran in line
        raise failed.exceptions[0] from None


def _phases(doc: CatalogDocument) -> Iterator[Iterator[tuple[ChangeSet, int]]]:
    """The batches of change sets, phase by phase, each with the number of document rows it
    carries. Every edge of a phase points to nodes of earlier phases or of its own batch, so
    the batches of a phase can be written in any order; a phase is generated only when the
    one before it has been written."""
    links: list[tuple[tuple[NodeRef, Rel], list[Edge]]] = []

    def agencies() -> Iterator[tuple[ChangeSet, int]]:
        yield document_changes(CatalogDocument(agencies=doc.agencies)), len(doc.agencies)

    def resources() -> Iterator[tuple[ChangeSet, int]]:
        for chunk in _chunks(doc.resources, RESOURCES_PER_BATCH):
            cs = ChangeSet()
            for r in chunk:
                _resource_changes(cs, r)
            for key in [k for k in cs.edges if k[1] in (Rel.RELATED_TO, Rel.DERIVED_FROM)]:
                links.append((key, cs.edges.pop(key)))  # written once every resource exists
            yield cs, sum(1 + len(r.fields) + len(r.services) for r in chunk)

    def linked() -> Iterator[tuple[ChangeSet, int]]:
        for link_chunk in _chunks([group for group in links if group[1]], RECORDS_PER_BATCH):
            yield ChangeSet(edges=dict(link_chunk)), 0
        for sc_chunk in _chunks(doc.scenarios, RECORDS_PER_BATCH):
            yield document_changes(CatalogDocument(scenarios=list(sc_chunk))), len(sc_chunk)
        for p_chunk in _chunks(doc.projects, RECORDS_PER_BATCH):
            yield document_changes(CatalogDocument(projects=list(p_chunk))), len(p_chunk)

    def grants() -> Iterator[tuple[ChangeSet, int]]:
        services = {s.code: r.code for r in doc.resources for s in r.services}
        for g_chunk in _chunks(doc.grants, RECORDS_PER_BATCH):
            cs = ChangeSet()
            for g in g_chunk:
                _grant_changes(cs, g, services.get(g.service))
            yield cs, len(g_chunk)

    yield agencies()
    yield resources()
    yield linked()
    yield grants()


def _documents(changes: ChangeSet, agencies: dict[str, Node]) -> list[SearchDoc]:
    """The search documents of a batch, as `search.projection.project` makes them from the graph."""
    nodes = [n for n in changes.upserts if n.label in INDEXED_LABELS]
    resources = {n.key: n for n in nodes if n.label is Label.RESOURCE}
    return documents(nodes, resources, agencies)


def _chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _counts(doc: CatalogDocument) -> dict[str, int]:
    return {
        "agencies": len(doc.agencies),
        "resources": len(doc.resources),
        "fields": sum(len(r.fields) for r in doc.resources),
        "services": sum(len(r.services) for r in doc.resources),
        "scenarios": len(doc.scenarios),
        "grants": len(doc.grants),
        "projects": len(doc.projects),
    }
