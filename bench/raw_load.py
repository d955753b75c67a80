"""Raw bulk loads of the same rows the catalog imports, for the import ratio (原生批量导入).

Each one writes the already-mapped rows straight into the backend with nothing of the
catalog's in between (no validation, diff, outbox or projection): SQLite `executemany` in
one transaction, Neo4j `UNWIND` batches over the official driver in one transaction, the
Elasticsearch `async_bulk` helper into a scratch index with the catalog's mapping.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk
from neo4j import AsyncGraphDatabase, AsyncManagedTransaction

from graph.embedded import _SCHEMA as GRAPH_TABLES
from graph.model import ChangeSet, Edge, Label, Rel
from graph.neo4j import cypher
from search.index import SearchDoc

BATCH = 5000  # the Neo4j store's own batch size (graph/neo4j/writes.py)


def _edges(changes: ChangeSet) -> list[Edge]:
    return [e for group in changes.edges.values() for e in group]


def _dump(props: Any) -> str:
    return json.dumps(dict(props), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sqlite_load(changes: ChangeSet, docs: Sequence[SearchDoc], path: Path) -> float:
    """Seconds to insert the nodes, edges and search documents into a fresh SQLite file."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(GRAPH_TABLES)
        db.execute("CREATE TABLE docs (id TEXT PRIMARY KEY, kind TEXT, name TEXT, text TEXT) WITHOUT ROWID")
        start = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            "INSERT INTO node (label, key, props) VALUES (?, ?, ?)",
            [(n.label.value, n.key, _dump(n.props)) for n in changes.upserts],
        )
        db.executemany(
            "INSERT OR REPLACE INTO edge VALUES (?, ?, ?, ?, ?, ?)",
            [(e.type.value, e.src.label.value, e.src.key, e.dst.label.value, e.dst.key, _dump(e.props))
             for e in _edges(changes)],
        )
        db.executemany(
            "INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?)",
            [(d.id, d.kind.value, d.name, d.text) for d in docs],
        )
        db.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        db.close()
        path.unlink(missing_ok=True)


async def neo4j_load(
    url: str, changes: ChangeSet, *, auth: tuple[str, str] | None = None, database: str = "neo4j"
) -> float:
    """Seconds to create the nodes and edges in one transaction of `UNWIND` batches.

    The database must be empty (with the store's key constraints in place): nodes are
    created, not merged."""
    nodes: dict[Label, list[dict[str, Any]]] = {}
    for n in changes.upserts:
        nodes.setdefault(n.label, []).append(cypher.encode(n.props, n.key))
    edges: dict[tuple[Label, Rel, Label], list[dict[str, Any]]] = {}
    for e in _edges(changes):
        edges.setdefault((e.src.label, e.type, e.dst.label), []).append(
            {"s": e.src.key, "d": e.dst.key, "p": cypher.encode(e.props)}
        )

    async def work(tx: AsyncManagedTransaction) -> None:
        for label, rows in nodes.items():
            for i in range(0, len(rows), BATCH):
                await (await tx.run(f"UNWIND $rows AS row CREATE (n:{cypher.label(label)}) SET n = row",
                                    rows=rows[i : i + BATCH])).consume()
        for (src, rel, dst), rows in edges.items():
            for i in range(0, len(rows), BATCH):
                await (await tx.run(
                    f"UNWIND $rows AS row MATCH (s:{cypher.label(src)} {{key: row.s}}) "
                    f"MATCH (d:{cypher.label(dst)} {{key: row.d}}) "
                    f"CREATE (s)-[r:{cypher.rel(rel)}]->(d) SET r = row.p",
                    rows=rows[i : i + BATCH],
                )).consume()

    async with AsyncGraphDatabase.driver(url, auth=auth) as driver, driver.session(database=database) as session:
        start = time.perf_counter()
        await session.execute_write(work)
        return time.perf_counter() - start


async def elasticsearch_bulk(
    client: AsyncElasticsearch,
    index: str,
    sources: Sequence[tuple[str, dict[str, Any]]],
    settings: dict[str, Any],
    mappings: dict[str, Any],
    chunk_size: int = 1000,
) -> float:
    """Seconds to bulk-index the analysed documents into a scratch index (then dropped)."""
    await client.options(ignore_status=404).indices.delete(index=index)
    await client.indices.create(index=index, settings=settings, mappings=mappings)
    try:
        start = time.perf_counter()
        actions = ({"_op_type": "index", "_index": index, "_id": i, "_source": s} for i, s in sources)
        await async_bulk(client, actions, chunk_size=chunk_size)
        await client.indices.refresh(index=index)
        return time.perf_counter() - start
    finally:
        await client.options(ignore_status=404).indices.delete(index=index)
